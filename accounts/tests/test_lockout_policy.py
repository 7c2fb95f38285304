"""The lockout policy through the real login form, against PostgreSQL (000, OCTAVA 5)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db.models import Sum
from django.utils import timezone

from accounts import lockout
from accounts.models import LoginThrottle, User
from accounts.tests import hashers
from accounts.tests.factories import PASSWORD, UserFactory, profile
from accounts.tests.lockout_helpers import (
    WRONG,
    attempt,
    error_text,
    expire_lock,
    lock,
    outcome,
    signed_in,
)

pytestmark = pytest.mark.django_db


def axes_failures(username):
    return AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0


@pytest.fixture
def user():
    return UserFactory(username="ana.lopez")


def test_third_failure_locks_the_account_and_says_until_what_local_time(client, user, auth_events):
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    before = timezone.now()
    response = attempt(client, "ana.lopez", WRONG)
    assert outcome(response) == "locked"

    state = LoginThrottle.objects.get(username="ana.lopez")
    assert state.lock_count == 1
    expected_end = before + timedelta(minutes=60)
    assert abs((state.locked_until - expected_end).total_seconds()) < 5
    local = timezone.localtime(state.locked_until, ZoneInfo("America/Mexico_City"))
    shown = (
        (local.replace(second=0, microsecond=0) + timedelta(minutes=1))
        .strftime("%H:%M del %d/%m/%Y")
        .replace(" del 0", " del ")
    )
    assert shown in response.content.decode()
    assert "hora del centro de México" in response.content.decode()
    assert auth_events.actions() == ["login_failure", "login_failure", "login_failure", "lock"]
    assert auth_events.of("lock")[0]["target"] == user
    assert axes_failures("ana.lopez") == 3  # django-axes counted the same failures


def test_correct_password_is_refused_during_the_lock(client, user):
    lock(client, "ana.lopez")
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "locked"
    assert not signed_in(client)


def test_failures_during_the_lock_are_neither_counted_nor_extend_it(client, user, auth_events):
    lock(client, "ana.lopez")
    state = LoginThrottle.objects.get(username="ana.lopez")
    for _ in range(5):
        assert outcome(attempt(client, "ana.lopez", WRONG)) == "locked"
    after = LoginThrottle.objects.get(username="ana.lopez")
    assert (after.locked_until, after.failures, after.lock_count) == (state.locked_until, state.failures, 1)
    assert len(auth_events.failures(counted=True)) == 3
    assert [c["detail"] for c in auth_events.failures(counted=False)] == [{"reason": "locked", "counted": False}] * 5
    assert axes_failures("ana.lopez") == 3
    user.refresh_from_db()
    assert user.status == User.Status.ACTIVE


def test_success_after_the_lock_expires_resets_everything(client, user):
    lock(client, "ana.lopez")
    expire_lock("ana.lopez")
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"
    assert not LoginThrottle.objects.filter(username="ana.lopez").exists()
    assert axes_failures("ana.lopez") == 0
    client.logout()
    # A fresh start: the next failure is an ordinary one, not a suspension.
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    user.refresh_from_db()
    assert user.status == User.Status.ACTIVE


def test_a_failure_after_the_lock_expires_suspends_at_once(
    client, user, auth_events, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="inst.admin", institution=user.institution, profile=profile("institution_admin"))
    other_admin = UserFactory(profile=profile("institution_admin"))  # another institution: not told
    other_device = type(client)()
    assert outcome(attempt(other_device, "ana.lopez", PASSWORD)) == "in"
    lock(client, "ana.lopez")
    expire_lock("ana.lopez")

    with django_capture_on_commit_callbacks(execute=True):
        assert outcome(attempt(client, "ana.lopez", WRONG)) == "suspended"

    user.refresh_from_db()
    assert user.status == User.Status.SUSPENDED
    assert not user.is_active
    assert other_device.get("/").status_code == 302  # its session was ended
    assert not signed_in(other_device)
    assert auth_events.count("suspension") == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([user.email, admin.email])
    assert other_admin.email not in recipients
    assert "suspendida" in mail.outbox[0].subject
    assert "solicitud de reactivación" in mail.outbox[0].body


def test_a_suspended_account_refuses_the_correct_password(client, user):
    lock(client, "ana.lopez")
    expire_lock("ana.lopez")
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "suspended"
    response = attempt(client, "ana.lopez", PASSWORD)
    assert outcome(response) == "suspended"
    assert "la institución debe solicitarlo a la Comisión" in response.content.decode()
    assert not signed_in(client)


def test_an_account_suspended_otherwise_shows_suspension_only_with_the_correct_password(client, user):
    user.status = User.Status.SUSPENDED
    user.save()
    # Without the password, nothing tells it apart from an unknown or active account.
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "suspended"


def test_mixed_case_usernames_share_one_counter(client, user):
    assert outcome(attempt(client, "Ana.Lopez", WRONG)) == "invalid"
    assert outcome(attempt(client, "ANA.LOPEZ", WRONG)) == "invalid"
    assert outcome(attempt(client, " ana.LOPEZ ", WRONG)) == "locked"
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "locked"
    assert list(LoginThrottle.objects.values_list("username", flat=True)) == ["ana.lopez"]


def test_failures_are_counted_per_username_not_per_ip(client, user):
    UserFactory(username="colega")
    for n in range(3):
        # Rotating addresses does not reset the count...
        client.post("/cuenta/entrar/", {"username": "ana.lopez", "password": WRONG}, REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "locked"
    # ...and the shared office address does not lock a colleague.
    assert outcome(client.post("/cuenta/entrar/", {"username": "colega", "password": PASSWORD})) == "in"


def test_unknown_usernames_get_the_same_responses_as_known_ones(client, user):
    def scenario(username):
        seen = []
        for password in (WRONG, WRONG, WRONG, WRONG, PASSWORD):
            response = attempt(client, username, password)
            seen.append((response.status_code, error_text(response)))
        expire_lock(username)
        for password in (WRONG, WRONG, PASSWORD):
            response = attempt(client, username, password)
            seen.append((response.status_code, error_text(response)))
        return seen

    known = scenario("ana.lopez")
    unknown = scenario("nadie.existe")
    assert known == unknown
    assert [outcome_text.split(".")[0] for _, outcome_text in known[:3]] == [
        "Usuario o contraseña incorrectos",
        "Usuario o contraseña incorrectos",
        "La cuenta está bloqueada por demasiados intentos fallidos",
    ]


def test_unknown_usernames_cost_the_same_password_hashing(client, user, settings):
    settings.PASSWORD_HASHERS = ["accounts.tests.hashers.CountingHasher"]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])

    def hashes_for(username):
        hashers.ENCODED.clear()
        attempt(client, username, WRONG)
        return len(hashers.ENCODED)

    assert hashes_for("ana.lopez") == hashes_for("nadie.existe") == 1


def test_the_limit_and_duration_come_from_settings(client, user, settings):
    settings.PORTAL_LOCKOUT_FAILURES = 5
    settings.PORTAL_LOCKOUT_MINUTES = 0.5
    results = [outcome(attempt(client, "ana.lopez", WRONG)) for _ in range(5)]
    assert results == ["invalid"] * 4 + ["locked"]
    state = LoginThrottle.objects.get(username="ana.lopez")
    assert 25 <= (state.locked_until - state.last_failure_at).total_seconds() <= 31
    assert (
        "Tras 5 intentos fallidos la cuenta se bloquea durante 0.5 minutos"
        in client.get("/cuenta/entrar/").content.decode()
    )


def _age_failures(username, delta):
    """Move the recorded failures back in time (LoginThrottle is not history-tracked)."""
    LoginThrottle.objects.filter(username=username).update(last_failure_at=timezone.now() - delta)


def test_two_failures_a_day_apart_then_a_third_locks(client, user):
    """000 OCTAVA 5: three failures lock, however far apart; there is no sliding window."""
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    _age_failures("ana.lopez", timedelta(days=2))
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    _age_failures("ana.lopez", timedelta(days=1))
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "locked"
    assert LoginThrottle.objects.get(username="ana.lopez").lock_count == 1


def test_failures_count_until_a_successful_sign_in(client, user):
    attempt(client, "ana.lopez", WRONG)
    _age_failures("ana.lopez", timedelta(hours=5))
    attempt(client, "ana.lopez", WRONG)
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"
    client.logout()
    assert LoginThrottle.objects.filter(username="ana.lopez").count() == 0
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"  # counting starts again
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"


def test_the_django_admin_login_goes_through_the_same_policy(client):
    UserFactory(username="tecnico", is_superuser=True, is_staff=True)
    for _ in range(2):
        response = attempt(client, "tecnico", WRONG, url="/admin/login/?next=/admin/")
        assert response.status_code == 200
    response = attempt(client, "TECNICO", WRONG, url="/admin/login/?next=/admin/")
    assert "bloqueada" in response.content.decode()
    response = attempt(client, "tecnico", PASSWORD, url="/admin/login/?next=/admin/")
    assert response.status_code == 200
    assert "bloqueada" in response.content.decode()
    assert not signed_in(client)
    assert LoginThrottle.objects.get(username="tecnico").lock_count == 1


def test_the_unlock_time_is_shown_in_mexico_city_time_rounded_up():
    until = datetime(2026, 11, 23, 18, 34, 10, tzinfo=ZoneInfo("UTC"))
    assert lockout.local_unlock_time(until) == datetime(2026, 11, 23, 12, 35, tzinfo=ZoneInfo("America/Mexico_City"))
    message = lockout.LoginRefused(lockout.LoginRefused.LOCKED, until=until).message()
    assert "a partir de las 12:35 del 23/11/2026 (hora del centro de México)" in message


def test_nightly_purge_keeps_every_failure_until_a_success(client, user):
    from accounts.tasks import lockout_attempts_purge

    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"  # one failure, no lock
    assert outcome(attempt(client, "nadie.mas", WRONG)) == "invalid"
    for _ in range(3):
        attempt(client, "con.bloqueo", WRONG)  # locked: its history must survive
    LoginThrottle.objects.create(username="vacia")  # holds nothing: decides what no row decides
    assert LoginThrottle.objects.count() == 4

    assert lockout_attempts_purge()["throttles"] == 1
    later = timezone.now() + timedelta(days=30)
    assert lockout.purge_stale_attempts(now=later)["throttles"] == 0
    assert sorted(LoginThrottle.objects.values_list("username", flat=True)) == ["ana.lopez", "con.bloqueo", "nadie.mas"]
    assert not AccessAttempt.objects.filter(attempt_time__lt=later).exists()  # django-axes decides nothing
    # The lock is still remembered: after it expires the next failure suspends, purge or not.
    expire_lock("con.bloqueo")
    assert outcome(attempt(client, "con.bloqueo", WRONG)) == "suspended"
    # A month later the old failure still counts: two more lock.
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "locked"
