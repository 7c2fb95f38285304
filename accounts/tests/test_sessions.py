"""Sessions: rotated at login, one live session per user, idle timeout, absolute lifetime."""

import time

import pytest
from django.contrib.sessions.models import Session

from accounts.models import UserSession
from accounts.sessions import end_user_sessions
from accounts.signals import LOGIN_AT, SEEN_AT
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.lockout_helpers import attempt, outcome, signed_in

pytestmark = pytest.mark.django_db


def _age(client, key, seconds):
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_the_session_key_is_rotated_at_login(client):
    UserFactory(username="ana.lopez")
    client.get("/cuenta/entrar/")
    session = client.session
    session["previo"] = True
    session.save()
    before = session.session_key
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_new_login_ends_the_older_session_and_records_it(client, auth_events):
    user = UserFactory(username="ana.lopez")
    first = type(client)()
    assert outcome(attempt(first, "ana.lopez", PASSWORD)) == "in"
    assert outcome(attempt(client, "ANA.LOPEZ", PASSWORD)) == "in"
    assert first.get("/").status_code == 302
    assert not signed_in(first)
    assert client.get("/").status_code == 200
    replaced = auth_events.of("session_replaced")
    assert len(replaced) == 1 and replaced[0]["target"] == user and replaced[0]["detail"] == {"logins_ended": 1}
    assert UserSession.objects.filter(user=user).count() == 1


def test_an_idle_session_ends(client, auth_events, settings):
    UserFactory(username="ana.lopez")
    attempt(client, "ana.lopez", PASSWORD)
    _age(client, SEEN_AT, settings.PORTAL_SESSION_IDLE_MINUTES * 60 - 30)
    assert client.get("/").status_code == 200  # still within the idle time: activity renews it
    _age(client, SEEN_AT, settings.PORTAL_SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/cuenta/entrar/")
    assert "inactividad" in response.content.decode()
    assert auth_events.of("session_expired")[0]["detail"] == {"reason": "idle"}
    assert settings.SESSION_COOKIE_AGE == 15 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_ends_after_twelve_hours_even_when_active(client, auth_events):
    UserFactory(username="ana.lopez")
    attempt(client, "ana.lopez", PASSWORD)
    _age(client, LOGIN_AT, 12 * 3600 - 60)
    assert client.get("/").status_code == 200
    _age(client, LOGIN_AT, 12 * 3600 + 1)
    assert client.get("/").status_code == 302
    assert not signed_in(client)
    assert auth_events.of("session_expired")[0]["detail"] == {"reason": "absolute"}


def test_ending_a_users_sessions_leaves_other_users_alone(client):
    ana = UserFactory(username="ana.lopez")
    UserFactory(username="beto")
    other = type(client)()
    attempt(client, "ana.lopez", PASSWORD)
    attempt(other, "beto", PASSWORD)
    assert end_user_sessions(user=ana) == 1
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 200


def test_logout_forgets_the_tracked_session(client, auth_events):
    user = UserFactory(username="ana.lopez")
    attempt(client, "ana.lopez", PASSWORD)
    client.post("/cuenta/salir/")
    assert not UserSession.objects.filter(user=user).exists()
    assert auth_events.count("logout") == 1


def test_force_login_in_tests_is_tracked_like_a_real_login(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()
