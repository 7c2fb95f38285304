"""Reactivation by the commission, and what a password reset does not do."""

import io
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from accounts.management.commands.account_reactivate import operator_name
from accounts.models import LoginThrottle, User
from accounts.services import account_reactivate
from accounts.tests.factories import PASSWORD, UserFactory, profile
from accounts.tests.lockout_helpers import WRONG, attempt, expire_lock, lock, outcome
from kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(client):
    user = UserFactory(username="ana.lopez")
    lock(client, "ana.lopez")
    expire_lock("ana.lopez")
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "suspended"
    user.refresh_from_db()
    assert user.status == User.Status.SUSPENDED
    return user


@pytest.fixture
def commission_admin(commission):
    return UserFactory(username="comision.admin", institution=commission, profile=profile("commission_admin"))


def test_reactivation_clears_the_counters_and_the_lock_history(client, suspended, commission_admin, auth_events):
    assert AccessAttempt.objects.filter(username="ana.lopez").exists()
    account_reactivate(user=suspended, actor=commission_admin, reason="Oficio SSP/123/2026")
    suspended.refresh_from_db()
    assert suspended.status == User.Status.ACTIVE and suspended.is_active
    latest = suspended.history.first()
    assert latest.history_user == commission_admin and latest.history_change_reason == "Oficio SSP/123/2026"
    assert not LoginThrottle.objects.filter(username="ana.lopez").exists()
    assert not AccessAttempt.objects.filter(username="ana.lopez").exists()
    event = auth_events.of("reactivation")[0]
    assert event["actor"] == commission_admin and event["detail"] == {"reason": "Oficio SSP/123/2026"}
    # A failure now is a first failure again, not a suspension; the password works.
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"


@pytest.mark.parametrize("code", ["commission_reviewer", "institution_admin", "auditor", "analyst"])
def test_only_a_commission_administrator_reactivates(suspended, code, commission):
    actor = UserFactory(
        institution=commission if code != "institution_admin" else suspended.institution, profile=profile(code)
    )
    with pytest.raises(PermissionDenied):
        account_reactivate(user=suspended, actor=actor, reason="Solicitud")
    suspended.refresh_from_db()
    assert suspended.status == User.Status.SUSPENDED


def test_reactivation_needs_a_reason_and_a_suspended_account(suspended, commission_admin):
    with pytest.raises(ValidationError):
        account_reactivate(user=suspended, actor=commission_admin, reason="  ")
    active = UserFactory()
    with pytest.raises(ValidationError):
        account_reactivate(user=active, actor=commission_admin, reason="Solicitud")


def test_the_commission_reactivates_through_its_page(client, suspended, commission_admin, login):
    UserFactory(username="otra.suspendida", status=User.Status.SUSPENDED)
    login(commission_admin)
    listing = client.get("/suspendidas/")
    assert listing.status_code == 200
    assert "ana.lopez" in listing.content.decode() and "otra.suspendida" in listing.content.decode()
    url = f"/suspendidas/{suspended.pk}/reactivar/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Confirmar reactivación" in confirm.content.decode()
    # No reason: nothing changes and the page says why.
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    suspended.refresh_from_db()
    assert suspended.status == User.Status.SUSPENDED
    response = client.post(url, {"reason": "Oficio SSP/123/2026"})
    assert response.status_code == 302
    suspended.refresh_from_db()
    assert suspended.status == User.Status.ACTIVE
    again = client.get(url)  # no longer suspended: nothing to confirm
    assert again.status_code == 200 and "no está suspendida" in again.content.decode()
    assert "Confirmar reactivación" not in again.content.decode()
    assert client.post(url, {"reason": "Otra vez"}).status_code == 200


def test_an_account_out_of_scope_answers_404_and_others_get_403(client, suspended, login):
    institution_admin = UserFactory(institution=suspended.institution, profile=profile("institution_admin"))
    login(institution_admin)
    assert client.get("/suspendidas/").status_code == 403
    assert client.post(f"/suspendidas/{suspended.pk}/reactivar/", {"reason": "x"}).status_code == 403
    suspended.refresh_from_db()
    assert suspended.status == User.Status.SUSPENDED


def _reset_link(client, email, on_commit):
    mail.outbox.clear()
    with on_commit(execute=True):  # the outbox sends after commit
        client.post("/cuenta/contrasena/restablecer/", {"email": email})
    if not mail.outbox:
        return None
    return re.search(r"(/cuenta/contrasena/restablecer/[^/]+/[^/]+/)", mail.outbox[0].body).group(1)


def test_a_password_reset_does_not_lift_a_lock(client, django_capture_on_commit_callbacks):
    user = UserFactory(username="ana.lopez")
    lock(client, "ana.lopez")
    link = _reset_link(client, user.email, django_capture_on_commit_callbacks)
    assert link is not None  # a locked (not suspended) user may still reset
    form_url = client.get(link).url
    new_password = "Otra-Clave-Nueva-2026"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert outcome(attempt(client, "ana.lopez", new_password)) == "locked"
    expire_lock("ana.lopez")
    assert outcome(attempt(client, "ana.lopez", new_password)) == "in"


def test_a_suspended_account_cannot_reset_and_a_reset_does_not_lift_the_suspension(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(username="ana.lopez")
    lock(client, "ana.lopez")
    early_link = _reset_link(client, user.email, django_capture_on_commit_callbacks)  # obtained while only locked
    expire_lock("ana.lopez")
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "suspended"
    assert _reset_link(client, user.email, django_capture_on_commit_callbacks) is None  # nothing sent
    response = client.get(early_link, follow=True)
    assert not response.context["validlink"]
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "suspended"


def test_reactivation_may_return_to_pending_letter_and_clear_lockout_serves_other_callers(
    client, suspended, commission_admin
):
    from accounts import lockout

    account_reactivate(user=suspended, actor=commission_admin, reason="Solicitud 7", status=User.Status.PENDING_LETTER)
    suspended.refresh_from_db()
    assert suspended.status == User.Status.PENDING_LETTER and suspended.is_active
    with pytest.raises(ValueError):
        account_reactivate(user=suspended, actor=commission_admin, reason="x", status=User.Status.CANCELLED)

    lock(client, "ana.lopez")
    lockout.clear_lockout(user=suspended, actor=commission_admin)
    assert not LoginThrottle.objects.filter(username="ana.lopez").exists()
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"


# --- The server operator's way back (manage.py account_reactivate) ----------------------------


def run_reactivate(*args):
    out = io.StringIO()
    call_command("account_reactivate", *args, stdout=out)
    return out.getvalue()


def test_an_operator_reactivates_a_suspended_account_from_the_server(client, suspended, auth_events):
    out = run_reactivate("Ana.Lopez", "--reason", "Ticket MESA-4410: nadie de la Comisión puede entrar")
    assert "ana.lopez" in out
    suspended.refresh_from_db()
    assert suspended.status == User.Status.ACTIVE  # the status it had before the suspension
    latest = suspended.history.first()
    assert latest.history_user is None
    assert latest.history_change_reason.startswith(f"operador {operator_name()}: Ticket MESA-4410")
    event = auth_events.of("reactivation")[0]
    assert event["actor"] is None
    assert event["detail"]["reason"] == "Ticket MESA-4410: nadie de la Comisión puede entrar"
    assert operator_name() in event["detail"]["by"] and "account_reactivate" in event["detail"]["by"]
    assert not LoginThrottle.objects.filter(username="ana.lopez").exists()
    assert not AccessAttempt.objects.filter(username="ana.lopez").exists()
    assert outcome(attempt(client, "ana.lopez", WRONG)) == "invalid"  # a first failure again
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"


def test_an_operator_lifts_a_lock(client, auth_events):
    UserFactory(username="ana.lopez")
    lock(client, "ana.lopez")
    run_reactivate("ana.lopez", "--reason", "Bloqueo provocado por terceros")
    assert outcome(attempt(client, "ana.lopez", PASSWORD)) == "in"
    assert auth_events.of("reactivation")[0]["detail"]["was_locked"] is True


def test_the_operator_command_refuses_unknown_usernames_and_needs_a_reason(suspended):
    with pytest.raises(CommandError, match="No existe una cuenta con el usuario 'nadie'"):
        run_reactivate("nadie", "--reason", "x")
    with pytest.raises(CommandError, match="motivo"):
        run_reactivate("ana.lopez", "--reason", "  ")
    with pytest.raises(CommandError):
        run_reactivate("ana.lopez")  # --reason is required
    suspended.refresh_from_db()
    assert suspended.status == User.Status.SUSPENDED
    active = UserFactory(username="activa")
    with pytest.raises(CommandError, match="no está suspendida ni bloqueada"):
        run_reactivate("activa", "--reason", "x")
    assert not LoginThrottle.objects.filter(username=active.username).exists()


# --- Other commission administrators hear when one of them is locked or suspended -------------


def test_the_other_commission_administrators_are_told_of_a_lock_and_a_suspension(
    client, commission, commission_admin, django_capture_on_commit_callbacks
):
    second = UserFactory(username="comision.admin2", institution=commission, profile=profile("commission_admin"))
    reviewer = UserFactory(institution=commission, profile=profile("commission_reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        lock(client, "comision.admin")
    alerts = Notification.objects.filter(template="commission_admin_locked")
    assert {n.recipient for n in alerts} == {second}  # not the locked one, not a reviewer
    email = alerts.get(channel="email")
    assert "comision.admin" in email.subject and "bloqueada" in email.subject
    assert mail.outbox and mail.outbox[-1].to == [second.email]

    expire_lock("comision.admin")
    with django_capture_on_commit_callbacks(execute=True):
        assert outcome(attempt(client, "comision.admin", WRONG)) == "suspended"
    suspension = alerts.filter(subject__contains="suspendida")
    assert {n.recipient for n in suspension} == {second}
    assert "account_reactivate" in suspension.get(channel="email").body
    assert not Notification.objects.filter(recipient=reviewer).exists()
    # One message each about the suspension: the alert, not also the institution's generic notice.
    assert not Notification.objects.filter(recipient=second, template="account_suspended").exists()


def test_no_alert_when_someone_else_is_locked(client, commission_admin, suspended):
    assert not Notification.objects.filter(template="commission_admin_locked").exists()
