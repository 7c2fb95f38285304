"""Account changes (000, OCTAVA): profile change, suspension, reactivation, cancellation."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services_changes as svc
from accounts.models import AccountChangeRequest, User
from accounts.services_onboarding import can_decide
from accounts.tests.factories import UserFactory, profile

pytestmark = pytest.mark.django_db
Kind = AccountChangeRequest.Kind


@pytest.fixture
def target(member):
    return UserFactory(institution=member, profile=profile("analyst"))


def open_session(user):
    """A signed-in session of ``user`` opened the way the portal tracks sessions."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.session.session_key


def session_alive(key):
    return SessionStore().exists(key)


def test_profile_change_applies_at_once_and_ends_sessions(target, inst_admin, reviewer):
    key = open_session(target)
    change = svc.account_change_request(
        user=target,
        actor=inst_admin,
        kind=Kind.PROFILE_CHANGE,
        new_profile=profile("institution_admin"),
        reason="Ascenso",
    )
    assert change.due_date is not None and change.status == "submitted"
    svc.account_change_approve(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.profile.code == "institution_admin"
    assert list(target.groups.all()) == [target.profile.group]
    assert not session_alive(key)
    change.refresh_from_db()
    assert change.status == "approved"
    assert change.history.filter(history_user=reviewer, status="approved").exists()


def test_suspension_and_reactivation(target, inst_admin, reviewer, commission_admin):
    key = open_session(target)
    change = svc.account_change_request(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="Licencia")
    svc.account_change_approve(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.status == User.Status.SUSPENDED and not target.is_active
    assert not session_alive(key)

    with pytest.raises(ValidationError):
        svc.account_change_request(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="Otra vez")
    again = svc.account_change_request(user=target, actor=inst_admin, kind=Kind.REACTIVATION, reason="Regresó")
    # The commission lifts a suspension on a request (000, OCTAVA 5); an administrator may decide it too.
    svc.account_change_approve(change=again, actor=commission_admin)
    target.refresh_from_db()
    # No accepted letter on file for this factory user: back to the letter step first.
    assert target.status == User.Status.PENDING_LETTER


def test_reactivation_after_lockout_suspension(target, inst_admin, commission_admin):
    target.status = User.Status.SUSPENDED
    target.save()
    from accounts.models import ConfidentialityLetter

    ConfidentialityLetter.objects.create(
        folio="CC-PRUEBA-1",
        user=target,
        institution=target.institution,
        full_name=target.full_name,
        address="x",
        public_servant_number="1",
        phone="1",
        id_document="ine",
        id_folio="1",
        area="x",
        template_title="t",
        pdf="accounts/letters/x.pdf",
        sha256="0" * 64,
        accepted_at=timezone.now(),
    )
    change = svc.account_change_request(user=target, actor=inst_admin, kind=Kind.REACTIVATION, reason="Bloqueo")
    svc.account_change_approve(change=change, actor=commission_admin)
    target.refresh_from_db()
    assert target.status == User.Status.ACTIVE


def test_reactivation_refused_for_a_live_account(target, inst_admin):
    with pytest.raises(ValidationError) as exc:
        svc.account_change_request(user=target, actor=inst_admin, kind=Kind.REACTIVATION, reason="x")
    assert exc.value.code == "not_suspended"


def test_cancellation_within_24_hours_is_on_time(target, inst_admin, reviewer):
    now = timezone.now()
    key = open_session(target)
    change = svc.account_change_request(
        user=target,
        actor=inst_admin,
        kind=Kind.CANCELLATION,
        reason="Renuncia",
        left_at=now - datetime.timedelta(hours=23, minutes=59),
        now=now,
    )
    assert change.is_late is False
    svc.account_change_approve(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.status == User.Status.CANCELLED
    assert not session_alive(key)


def test_cancellation_after_24_hours_is_marked_late(target, inst_admin):
    now = timezone.now()
    change = svc.account_change_request(
        user=target,
        actor=inst_admin,
        kind=Kind.CANCELLATION,
        reason="Cambio de área",
        left_at=now - datetime.timedelta(hours=24, minutes=1),
        now=now,
    )
    assert change.is_late is True


def test_cancellation_needs_a_past_departure_date(target, inst_admin):
    with pytest.raises(ValidationError):
        svc.account_change_request(user=target, actor=inst_admin, kind=Kind.CANCELLATION, reason="x")
    with pytest.raises(ValidationError):
        svc.account_change_request(
            user=target,
            actor=inst_admin,
            kind=Kind.CANCELLATION,
            reason="x",
            left_at=timezone.now() + datetime.timedelta(days=1),
        )


def test_one_open_change_per_account(target, inst_admin):
    svc.account_change_request(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="x")
    with pytest.raises(ValidationError) as exc:
        svc.account_change_request(
            user=target,
            actor=inst_admin,
            kind=Kind.PROFILE_CHANGE,
            new_profile=profile("institution_admin"),
            reason="y",
        )
    assert exc.value.code == "open_change"


def test_wrong_institution_cannot_request(target, other_member):
    outsider = UserFactory(institution=other_member, profile=profile("institution_admin"))
    with pytest.raises(PermissionDenied):
        svc.account_change_request(user=target, actor=outsider, kind=Kind.SUSPENSION, reason="x")


def test_platform_profile_refused_for_member_accounts(target, inst_admin):
    with pytest.raises(ValidationError):
        svc.account_change_request(
            user=target, actor=inst_admin, kind=Kind.PROFILE_CHANGE, new_profile=profile("commission_admin"), reason="x"
        )


def test_return_resubmit_reject_and_wrong_state(target, inst_admin, reviewer):
    change = svc.account_change_request(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="x")
    with pytest.raises(ValidationError):
        svc.account_change_return(change=change, actor=reviewer, reason="")
    svc.account_change_return(change=change, actor=reviewer, reason="Explique el motivo con detalle")
    with pytest.raises(ValidationError):
        svc.account_change_approve(change=change, actor=reviewer)
    svc.account_change_resubmit(change=change, actor=inst_admin, reason="Licencia médica de tres meses")
    change.refresh_from_db()
    assert change.status == "submitted"
    with pytest.raises(ValidationError):
        svc.account_change_reject(change=change, actor=reviewer, reason=" ")
    svc.account_change_reject(change=change, actor=reviewer, reason="Sin sustento")
    target.refresh_from_db()
    assert target.status == User.Status.ACTIVE
    with pytest.raises(ValidationError):
        svc.account_change_approve(change=change, actor=reviewer)


def test_a_commission_reviewer_decides_a_change_about_a_colleague_filed_by_another(commission, reviewer):
    colleague = UserFactory(institution=commission, profile=profile("analyst"))
    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    change = svc.account_change_request(user=colleague, actor=admin, kind=Kind.SUSPENSION, reason="x")
    with pytest.raises(PermissionDenied):
        svc.account_change_approve(change=change, actor=admin)  # the filer
    svc.account_change_approve(change=change, actor=reviewer)
    colleague.refresh_from_db()
    assert colleague.status == User.Status.SUSPENDED


def test_nobody_decides_a_change_about_themselves(commission, reviewer):
    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    change = svc.account_change_request(
        user=reviewer, actor=admin, kind=Kind.PROFILE_CHANGE, new_profile=profile("auditor"), reason="x"
    )
    assert not can_decide(reviewer, change)
    with pytest.raises(PermissionDenied):
        svc.account_change_approve(change=change, actor=reviewer)
    with pytest.raises(PermissionDenied):
        svc.account_change_reject(change=change, actor=reviewer, reason="x")
    change.refresh_from_db()
    assert change.status == AccountChangeRequest.Status.SUBMITTED
