"""The client's address in the history log and the lockout: the socket's unless a proxy is trusted.

A client can write anything in X-Forwarded-For or X-Real-IP; with no trusted proxy in front
(``AUDIT_TRUSTED_PROXY_COUNT`` = 0, the default) those claims must not become the address the
history log keeps for an access, a sign-in failure or a lockout attempt.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog

from accounts.tests.factories import UserFactory
from audit.models import AccessEvent, Event

pytestmark = pytest.mark.django_db

SOCKET = "203.0.113.9"
FORGED = {
    "REMOTE_ADDR": SOCKET,
    "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7",
    "HTTP_X_REAL_IP": "7.7.7.7",
}


def failed_login(client, username):
    response = client.post("/cuenta/entrar/", {"username": username, "password": "No-Es-La-Clave-9"}, **FORGED)
    assert response.status_code == 200
    return Event.objects.get(category="auth", action="login_failure", username=username)


def page_view(client, user, login):
    login(user)
    client.get("/", **FORGED)
    return AccessEvent.objects.filter(user_id=user.pk, method="GET").latest("id")


def test_without_a_trusted_proxy_forged_headers_are_ignored(client, login, settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 0
    user = UserFactory(username="ana.lopez")
    assert page_view(client, user, login).ip == SOCKET
    client.logout()
    assert failed_login(client, "ana.lopez").ip == SOCKET
    assert AccessEvent.objects.filter(method="POST", username="ana.lopez").latest("id").ip == SOCKET
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [SOCKET]
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {SOCKET}


def test_with_one_trusted_proxy_the_last_forwarded_entry_is_the_client(client, login, settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    user = UserFactory(username="ana.lopez")
    assert page_view(client, user, login).ip == "198.51.100.7"
    client.logout()
    assert failed_login(client, "ana.lopez").ip == "198.51.100.7"
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer entries than proxies: the leftmost
        (1, "", SOCKET),  # no header at all
        (1, "6.6.6.6, no-es-una-ip", SOCKET),  # a malformed entry is not trusted
        (1, " 2001:DB8::1 ", "2001:db8::1"),
    ],
)
def test_client_ip_counts_trusted_entries_from_the_right(rf, settings, count, forwarded, expected):
    from audit.requestinfo import client_ip

    settings.AUDIT_TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=SOCKET, HTTP_X_FORWARDED_FOR=forwarded, HTTP_X_REAL_IP="7.7.7.7")
    assert client_ip(request) == expected
