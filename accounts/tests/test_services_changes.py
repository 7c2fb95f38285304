"""Account changes (000, OCTAVA): profile change, suspension, reactivation, cancellation."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services_changes as svc
from accounts.models import AccountChangeRequest, User
from accounts.services_onboarding import can_decide
from accounts.tests.factories import UserFactory, approve_change, profile, request_change

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
    change = request_change(
        user=target,
        actor=inst_admin,
        kind=Kind.PROFILE_CHANGE,
        new_profile=profile("institution_admin"),
        reason="Ascenso",
    )
    assert change.due_date is not None and change.status == "submitted"
    approve_change(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.profile.code == "institution_admin"
    assert list(target.groups.all()) == [target.profile.group]
    assert not session_alive(key)
    change.refresh_from_db()
    assert change.status == "approved"
    assert change.history.filter(history_user=reviewer, status="approved").exists()


def test_suspension_and_reactivation(target, inst_admin, reviewer, commission_admin):
    key = open_session(target)
    change = request_change(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="Licencia")
    approve_change(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.status == User.Status.SUSPENDED and not target.is_active
    assert not session_alive(key)

    with pytest.raises(ValidationError):
        request_change(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="Otra vez")
    again = request_change(user=target, actor=inst_admin, kind=Kind.REACTIVATION, reason="Regresó")
    # The commission lifts a suspension on a request (000, OCTAVA 5); an administrator may decide it too.
    approve_change(change=again, actor=commission_admin)
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
    change = request_change(user=target, actor=inst_admin, kind=Kind.REACTIVATION, reason="Bloqueo")
    approve_change(change=change, actor=commission_admin)
    target.refresh_from_db()
    assert target.status == User.Status.ACTIVE


def test_reactivation_refused_for_a_live_account(target, inst_admin):
    with pytest.raises(ValidationError) as exc:
        request_change(user=target, actor=inst_admin, kind=Kind.REACTIVATION, reason="x")
    assert exc.value.code == "not_suspended"


def test_cancellation_within_24_hours_is_on_time(target, inst_admin, reviewer):
    now = timezone.now()
    key = open_session(target)
    change = request_change(
        user=target,
        actor=inst_admin,
        kind=Kind.CANCELLATION,
        reason="Renuncia",
        left_at=now - datetime.timedelta(hours=23, minutes=59),
        now=now,
    )
    assert change.is_late is False
    approve_change(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.status == User.Status.CANCELLED
    assert not session_alive(key)


def test_cancellation_after_24_hours_is_marked_late(target, inst_admin):
    now = timezone.now()
    change = request_change(
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
        request_change(user=target, actor=inst_admin, kind=Kind.CANCELLATION, reason="x")
    with pytest.raises(ValidationError):
        request_change(
            user=target,
            actor=inst_admin,
            kind=Kind.CANCELLATION,
            reason="x",
            left_at=timezone.now() + datetime.timedelta(days=1),
        )


def test_one_open_change_per_account(target, inst_admin):
    request_change(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="x")
    with pytest.raises(ValidationError) as exc:
        request_change(
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
        request_change(user=target, actor=outsider, kind=Kind.SUSPENSION, reason="x")


def test_platform_profile_refused_for_member_accounts(target, inst_admin):
    with pytest.raises(ValidationError):
        request_change(
            user=target, actor=inst_admin, kind=Kind.PROFILE_CHANGE, new_profile=profile("commission_admin"), reason="x"
        )


def test_return_resubmit_reject_and_wrong_state(target, inst_admin, reviewer):
    change = request_change(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="x")
    with pytest.raises(ValidationError):
        svc.account_change_return(change=change, actor=reviewer, reason="")
    svc.account_change_return(change=change, actor=reviewer, reason="Explique el motivo con detalle")
    with pytest.raises(ValidationError):
        approve_change(change=change, actor=reviewer)
    svc.account_change_resubmit(change=change, actor=inst_admin, reason="Licencia médica de tres meses")
    change.refresh_from_db()
    assert change.status == "submitted"
    with pytest.raises(ValidationError):
        svc.account_change_reject(change=change, actor=reviewer, reason=" ")
    svc.account_change_reject(change=change, actor=reviewer, reason="Sin sustento")
    target.refresh_from_db()
    assert target.status == User.Status.ACTIVE
    with pytest.raises(ValidationError):
        approve_change(change=change, actor=reviewer)


def test_a_commission_reviewer_decides_a_change_about_a_colleague_filed_by_another(commission, reviewer):
    colleague = UserFactory(institution=commission, profile=profile("analyst"))
    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    change = request_change(user=colleague, actor=admin, kind=Kind.SUSPENSION, reason="x")
    with pytest.raises(PermissionDenied):
        approve_change(change=change, actor=admin)  # the filer
    approve_change(change=change, actor=reviewer)
    colleague.refresh_from_db()
    assert colleague.status == User.Status.SUSPENDED


def test_nobody_decides_a_change_about_themselves(commission, reviewer):
    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    change = request_change(
        user=reviewer, actor=admin, kind=Kind.PROFILE_CHANGE, new_profile=profile("auditor"), reason="x"
    )
    assert not can_decide(reviewer, change)
    with pytest.raises(PermissionDenied):
        approve_change(change=change, actor=reviewer)
    with pytest.raises(PermissionDenied):
        svc.account_change_reject(change=change, actor=reviewer, reason="x")
    change.refresh_from_db()
    assert change.status == AccountChangeRequest.Status.SUBMITTED


# --- Documents (000, NOVENA) -------------------------------------------------------------------


def test_a_change_without_the_letter_is_refused(target, inst_admin):
    from accounts.tests.factories import change_attachments

    attachments = change_attachments(target.institution)
    del attachments["letter"]
    with pytest.raises(ValidationError) as exc:
        svc.account_change_request(
            user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="Licencia", **attachments
        )
    assert exc.value.code == "letter_required"
    assert not AccountChangeRequest.objects.filter(user=target).exists()


def test_a_letter_signed_by_a_revoked_signatory_is_refused(target, inst_admin):
    from accounts.tests.factories import change_attachments, make_signatory

    attachments = change_attachments(target.institution)
    attachments["signatory"] = make_signatory(institution=target.institution, status="revoked", full_name="Ex Titular")
    with pytest.raises(ValidationError) as exc:
        svc.account_change_request(
            user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="Licencia", **attachments
        )
    assert exc.value.code == "signatory_not_current"


def test_the_reviewer_approves_only_after_every_document_is_accepted(target, inst_admin, reviewer):
    change = request_change(user=target, actor=inst_admin, kind=Kind.SUSPENSION, reason="Licencia")
    letter, form = change.documents.get(kind="letter"), change.documents.get(kind="catalog_form")
    with pytest.raises(ValidationError) as exc:
        svc.account_change_approve(change=change, actor=reviewer)
    assert exc.value.code == "documents_not_valid"
    svc.change_document_check(document=letter, actor=reviewer, valid=True)
    svc.change_document_check(document=form, actor=reviewer, valid=False, note="Sin firma de la persona")
    with pytest.raises(ValidationError):
        svc.account_change_approve(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.status == User.Status.ACTIVE
    # Returned, the institution must replace the observed form before sending it back.
    svc.account_change_return(change=change, actor=reviewer, reason="Corrija el formato")
    with pytest.raises(ValidationError) as exc:
        svc.account_change_resubmit(change=change, actor=inst_admin, reason="Licencia")
    assert exc.value.code == "document_invalid"
    from accounts.tests.factories import pdf_upload

    svc.account_change_resubmit(
        change=change, actor=inst_admin, reason="Licencia", catalog_form=pdf_upload("catalogo2.pdf")
    )
    svc.change_document_check(document=change.documents.get(kind="catalog_form"), actor=reviewer, valid=True)
    svc.account_change_approve(change=change, actor=reviewer)
    target.refresh_from_db()
    assert target.status == User.Status.SUSPENDED


def test_the_profile_catalog_form_pdf_carries_the_prefilled_fields(target, inst_admin):
    import io

    from pypdf import PdfReader

    from accounts.tests.factories import change_attachments

    signatory = change_attachments(target.institution)["signatory"]
    data = svc.profile_catalog_pdf(
        user=target,
        actor=inst_admin,
        kind=Kind.PROFILE_CHANGE,
        new_profile=profile("auditor"),
        reason="Pasa a auditoría interna",
        signatory=signatory,
    )
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    for expected in (target.username, "Cambio de perfil", profile("auditor").name, "Pasa a auditoría interna"):
        assert expected in text
    assert signatory.full_name in text
