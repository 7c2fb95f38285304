"""The lockout's events as stored rows of the history log (audit.Event)."""

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services import account_reactivate
from accounts.tests.factories import PASSWORD, UserFactory, profile
from accounts.tests.lockout_helpers import WRONG, attempt, expire_lock, lock, outcome
from audit.models import Event

pytestmark = pytest.mark.django_db


def rows(username):
    events = Event.objects.filter(category="auth", username__iexact=username).order_by("id")
    return list(events.values_list("action", "detail"))


def test_failures_lock_suspension_and_reactivation_are_stored_once_each(client, commission):
    user = UserFactory(username="ana.lopez")
    lock(client, "ANA.LOPEZ")
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "locked"
    expire_lock("ana.lopez")
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "suspended"
    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    account_reactivate(user=User.objects.get(pk=user.pk), actor=admin, reason="Oficio 9")

    actions = [action for action, _ in rows("ana.lopez")]
    assert actions == [
        "login_failure",
        "login_failure",
        "login_failure",
        "lock",
        "login_failure",  # refused during the lock, not counted
        "login_failure",
        "suspension",
        "reactivation",
    ]
    details = [detail for _, detail in rows("ana.lopez")]
    assert [d.get("counted") for d in details[:5]] == [True, True, True, None, False]
    assert details[6] == {"reason": "lockout", "logins_ended": 0}
    assert details[7] == {"reason": "Oficio 9"}
    failure = Event.objects.filter(action="login_failure", username__iexact="ana.lopez").first()
    assert failure.ip == "127.0.0.1" and failure.target_id == str(user.pk)
    assert Event.objects.get(action="reactivation").actor_id == admin.pk
    assert "password" not in str(list(Event.objects.values_list("detail", flat=True)))
    assert Event.objects.filter(occurred_at__lte=timezone.now()).count() >= 8


def test_unknown_usernames_are_logged_as_typed_and_normalised(client):
    lock(client, "Nadie.Existe")
    assert [action for action, _ in rows("nadie.existe")] == ["login_failure"] * 3 + ["lock"]


def test_a_login_is_logged_once_and_a_replaced_session_too(client):
    UserFactory(username="ana.lopez")
    other = type(client)()
    assert outcome(attempt(other, "ana.lopez", PASSWORD)) == "in"
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"
    actions = [action for action, _ in rows("ana.lopez")]
    assert actions.count("login_success") == 2
    assert actions.count("session_replaced") == 1
