"""Account request transitions (000, DÉCIMA), including every refused one."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services_onboarding as svc
from accounts.models import AccountRequest, ActivationToken, RequestDocument, RequiredDocument, User
from accounts.tests.factories import (
    UserFactory,
    make_agreement,
    make_signatory,
    pdf_upload,
    profile,
    valid_curp,
    valid_rfc_for,
)

pytestmark = pytest.mark.django_db

CURP = valid_curp(7001, sex="M", birth="880214")


def request_data(agreement, signatory, curp=CURP, **overrides):
    data = {
        "given_names": "María José",
        "paternal_surname": "Núñez",
        "maternal_surname": "Ibáñez",
        "curp": curp,
        "rfc": valid_rfc_for(curp),
        "email": f"{curp.lower()}@institucion.gob.mx",
        "phone": "81 1234 5678",
        "extension": "204",
        "public_servant_number": "SP-7788",
        "position": "Analista de información",
        "area": "Dirección de Análisis",
        "requested_profile": profile("analyst"),
        "justification": "Consulta de registros para investigaciones en curso.",
        "agreement": agreement,
        "signatory": signatory,
    }
    data.update(overrides)
    return data


def upload_all(req, actor, *, issued=None):
    issued = issued or timezone.localdate() - datetime.timedelta(days=10)
    for requirement in RequiredDocument.objects.filter(active=True):
        svc.account_request_upload_document(
            request=req,
            actor=actor,
            requirement=requirement,
            file=pdf_upload(f"{requirement.code}.pdf"),
            issue_date=issued if requirement.is_dated else None,
        )


@pytest.fixture
def draft(inst_admin, agreement, signatory):
    return svc.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory)
    )


@pytest.fixture
def submitted(draft, inst_admin, reviewer):
    upload_all(draft, inst_admin)
    return svc.account_request_submit(request=draft, actor=inst_admin)


def check_all(req, reviewer, valid=True):
    for doc in req.documents.all():
        svc.request_document_check(document=doc, actor=reviewer, valid=valid, note="" if valid else "Ilegible")


def test_draft_derives_birth_date_and_sex_from_curp(draft):
    assert draft.status == AccountRequest.Status.DRAFT
    assert draft.birth_date == datetime.date(1988, 2, 14)
    assert draft.sex == "M"
    assert draft.folio.startswith("SC-")


def test_draft_refuses_invalid_curp(inst_admin, agreement, signatory):
    bad = CURP[:-1] + ("0" if CURP[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        svc.account_request_create(
            institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory, curp=bad)
        )
    assert "dígito verificador de la CURP" in str(exc.value)


def test_draft_only_by_an_administrator_of_the_institution(other_member, agreement, signatory):
    outsider = UserFactory(institution=other_member, profile=profile("institution_admin"))
    analyst = UserFactory(institution=agreement.parties.last().institution, profile=profile("analyst"))
    for actor in (outsider, analyst):
        with pytest.raises(PermissionDenied):
            svc.account_request_create(
                institution=agreement.parties.last().institution, actor=actor, data=request_data(agreement, signatory)
            )


def test_submit_lists_everything_missing_in_spanish(inst_admin):
    req = svc.account_request_create(
        institution=inst_admin.institution,
        actor=inst_admin,
        data={"given_names": "Luis", "paternal_surname": "Ávila", "curp": CURP},
    )
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=req, actor=inst_admin)
    messages = exc.value.messages
    assert "Falta el dato «RFC»." in messages
    assert "Falta el dato «convenio»." in messages
    assert "Falta el documento «Certificado de antecedentes no penales»." in messages
    req.refresh_from_db()
    assert req.status == AccountRequest.Status.DRAFT


def test_submit_refuses_invalid_rfc(inst_admin, agreement, signatory):
    rfc = valid_rfc_for(CURP)
    bad_rfc = rfc[:-1] + ("A" if rfc[-1] != "A" else "B")
    req = svc.account_request_create(
        institution=inst_admin.institution,
        actor=inst_admin,
        data=request_data(agreement, signatory, rfc=""),
    )
    req.rfc = bad_rfc
    req.save()
    upload_all(req, inst_admin)
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=req, actor=inst_admin)
    assert "El dígito verificador del RFC no corresponde." in exc.value.messages


def test_submit_refuses_rfc_of_another_person(inst_admin, agreement, signatory):
    other = valid_rfc_for(valid_curp(9, birth="700101"))
    req = svc.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory, rfc=other)
    )
    upload_all(req, inst_admin)
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=req, actor=inst_admin)
    assert any("no corresponde a la CURP" in m for m in exc.value.messages)


def test_submit_refuses_expired_criminal_record_certificate(draft, inst_admin):
    upload_all(draft, inst_admin, issued=timezone.localdate() - datetime.timedelta(days=91))
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=draft, actor=inst_admin)
    assert any("más de 90 días de expedido" in m for m in exc.value.messages)


def test_dated_document_needs_its_issue_date(draft, inst_admin):
    requirement = RequiredDocument.objects.get(code=RequiredDocument.CRIMINAL_RECORD)
    with pytest.raises(ValidationError) as exc:
        svc.account_request_upload_document(request=draft, actor=inst_admin, requirement=requirement, file=pdf_upload())
    assert exc.value.code == "issue_date_missing"


def test_upload_refuses_a_renamed_executable(draft, inst_admin):
    requirement = RequiredDocument.objects.get(code=RequiredDocument.REQUEST_LETTER)
    with pytest.raises(ValidationError):
        svc.account_request_upload_document(
            request=draft, actor=inst_admin, requirement=requirement, file=pdf_upload("oficio.pdf", b"MZ\x90\x00rest")
        )
    assert not draft.documents.exists()


def test_submit_refuses_unregistered_signatory(inst_admin, agreement, member):
    pending = make_signatory(institution=member, status="submitted", full_name="Firma Sin Registrar")
    req = svc.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, pending)
    )
    upload_all(req, inst_admin)
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=req, actor=inst_admin)
    assert any("no es una firma autorizada registrada y vigente" in m for m in exc.value.messages)


def test_submit_refuses_expired_signatory(inst_admin, agreement, member):
    old = make_signatory(institution=member, valid_until=datetime.date(2021, 12, 31), full_name="Firma Vencida")
    req = svc.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, old)
    )
    upload_all(req, inst_admin)
    with pytest.raises(ValidationError):
        svc.account_request_submit(request=req, actor=inst_admin)


def test_submit_refuses_agreement_not_in_force_or_without_the_institution(inst_admin, member, commission, signatory):
    expired = make_agreement(institution=member, commission=commission, status="expired")
    req = svc.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(expired, signatory)
    )
    upload_all(req, inst_admin)
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=req, actor=inst_admin)
    assert any("no está vigente" in m for m in exc.value.messages)

    from agreements.tests.factories import InstitutionFactory

    foreign = make_agreement(institution=InstitutionFactory(), commission=commission)
    svc.account_request_update(request=req, actor=inst_admin, data={"agreement": foreign})
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=req, actor=inst_admin)
    assert any("no es parte del convenio" in m for m in exc.value.messages)


def test_submit_sets_business_day_due_date(submitted):
    assert submitted.status == AccountRequest.Status.SUBMITTED
    assert submitted.due_date == svc.due_date_for(submitted.submitted_at)
    assert submitted.due_date > timezone.localdate()
    assert submitted.submission_count == 1


def test_duplicate_curp_refused_while_a_request_is_open(draft, inst_admin, agreement, signatory):
    with pytest.raises(ValidationError) as exc:
        svc.account_request_create(
            institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory)
        )
    assert exc.value.code == "curp_open_request"


def test_duplicate_curp_refused_when_a_live_account_exists(inst_admin, agreement, signatory, member):
    UserFactory(institution=member, curp=CURP)
    with pytest.raises(ValidationError) as exc:
        svc.account_request_create(
            institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory)
        )
    assert exc.value.code == "curp_has_account"


def test_curp_free_again_after_rejection(submitted, inst_admin, reviewer, agreement, signatory):
    svc.account_request_reject(request=submitted, actor=reviewer, reason="Documentación apócrifa")
    again = svc.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory)
    )
    assert again.status == AccountRequest.Status.DRAFT


def test_reject_and_return_need_a_reason(submitted, reviewer):
    with pytest.raises(ValidationError):
        svc.account_request_reject(request=submitted, actor=reviewer, reason="  ")
    with pytest.raises(ValidationError):
        svc.account_request_return(request=submitted, actor=reviewer, reason="")
    submitted.refresh_from_db()
    assert submitted.status == AccountRequest.Status.SUBMITTED


def test_return_then_correct_and_resubmit(submitted, reviewer, inst_admin, django_capture_on_commit_callbacks):
    letter = submitted.documents.get(requirement__code=RequiredDocument.REQUEST_LETTER)
    svc.request_document_check(document=letter, actor=reviewer, valid=False, note="Falta la firma")
    with django_capture_on_commit_callbacks(execute=True):
        svc.account_request_return(request=submitted, actor=reviewer, reason="Cargue el oficio firmado")
    submitted.refresh_from_db()
    assert submitted.status == AccountRequest.Status.RETURNED
    assert any(inst_admin.email in m.to for m in mail.outbox)
    with pytest.raises(ValidationError) as exc:
        svc.account_request_submit(request=submitted, actor=inst_admin)
    assert any("observado por la Comisión" in m for m in exc.value.messages)
    svc.account_request_upload_document(
        request=submitted, actor=inst_admin, requirement=letter.requirement, file=pdf_upload("oficio-firmado.pdf")
    )
    again = svc.account_request_submit(request=submitted, actor=inst_admin)
    assert again.status == AccountRequest.Status.SUBMITTED
    assert again.submission_count == 2


def test_review_refused_in_wrong_state(draft, reviewer):
    with pytest.raises(ValidationError) as exc:
        svc.account_request_approve(request=draft, actor=reviewer)
    assert exc.value.code == "wrong_state"
    with pytest.raises(ValidationError):
        svc.account_request_reject(request=draft, actor=reviewer, reason="x")


def test_edit_refused_once_submitted(submitted, inst_admin):
    with pytest.raises(ValidationError) as exc:
        svc.account_request_update(request=submitted, actor=inst_admin, data={"position": "Otro"})
    assert exc.value.code == "wrong_state"


@pytest.fixture
def commission_staff_request(commission, agreement):
    """The commission administrator files an account for a member of the commission's own staff."""
    commission_admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    signatory = make_signatory(institution=commission, full_name="Titular de la Comisión")
    req = svc.account_request_create(
        institution=commission,
        actor=commission_admin,
        data=request_data(agreement, signatory, requested_profile=profile("commission_reviewer")),
    )
    upload_all(req, commission_admin)
    return svc.account_request_submit(request=req, actor=commission_admin)


def test_another_commission_reviewer_decides_a_commission_staff_request(commission_staff_request, commission):
    req = commission_staff_request
    colleague = UserFactory(institution=commission, profile=profile("commission_reviewer"))
    assert svc.can_decide(colleague, req)
    for doc in req.documents.all():
        svc.request_document_check(document=doc, actor=colleague, valid=True)
    svc.account_request_approve(request=req, actor=colleague)
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by == colleague
    assert req.account.institution == commission


def test_the_filer_never_decides_their_own_filing(commission_staff_request):
    req = commission_staff_request
    filer = req.created_by  # a commission administrator: a reviewer of everyone else's requests
    assert svc.is_reviewer(filer) and not svc.can_decide(filer, req)
    with pytest.raises(PermissionDenied):
        svc.account_request_approve(request=req, actor=filer)
    with pytest.raises(PermissionDenied):
        svc.account_request_reject(request=req, actor=filer, reason="x")
    with pytest.raises(PermissionDenied):
        svc.request_document_check(document=req.documents.first(), actor=filer, valid=True)
    req.refresh_from_db()
    assert req.status == "submitted"


def test_nobody_decides_a_request_for_an_account_of_their_own(commission_staff_request, commission):
    # A reviewer with the CURP of the person the request is about (a second account asked for them).
    req = commission_staff_request
    same_person = UserFactory(institution=commission, profile=profile("commission_reviewer"), curp=req.curp)
    assert not svc.can_decide(same_person, req)
    with pytest.raises(PermissionDenied):
        svc.account_request_return(request=req, actor=same_person, reason="x")


def test_institution_admin_cannot_decide(submitted, inst_admin):
    with pytest.raises(PermissionDenied):
        svc.account_request_approve(request=submitted, actor=inst_admin)


def test_approve_needs_every_document_valid(submitted, reviewer):
    with pytest.raises(ValidationError) as exc:
        svc.account_request_approve(request=submitted, actor=reviewer)
    assert exc.value.code == "documents_not_valid"


def test_document_check_invalid_needs_note(submitted, reviewer):
    doc = submitted.documents.first()
    with pytest.raises(ValidationError):
        svc.request_document_check(document=doc, actor=reviewer, valid=False, note="")
    doc.refresh_from_db()
    assert doc.check_status == RequestDocument.Check.PENDING


def test_approve_creates_pending_account_and_activation_link(
    submitted, reviewer, inst_admin, django_capture_on_commit_callbacks
):
    check_all(submitted, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        svc.account_request_approve(request=submitted, actor=reviewer)
    submitted.refresh_from_db()
    assert submitted.status == AccountRequest.Status.APPROVED
    user = submitted.account
    assert user.status == User.Status.PENDING_LETTER
    assert user.profile.code == "analyst"
    assert user.groups.get() == user.profile.group
    assert not user.has_usable_password()
    assert user.curp == CURP and user.institution == submitted.institution
    token = ActivationToken.objects.get(user=user)
    assert token.expires_at - token.created_at == datetime.timedelta(hours=72)
    activation_mail = next(m for m in mail.outbox if user.email in m.to)
    assert "/cuentas/activar/" in activation_mail.body
    assert any(inst_admin.email in m.to and "Aprobada" in m.subject for m in mail.outbox)


def test_activation_link_is_one_time_and_expires(submitted, reviewer, django_capture_on_commit_callbacks):
    check_all(submitted, reviewer)
    svc.account_request_approve(request=submitted, actor=reviewer)
    user = User.objects.get(curp=CURP)
    raw = svc.activation_link_send(user=user, actor=reviewer)
    assert svc.activation_token_find(raw) is not None
    svc.account_activate(raw_token=raw, password="Una-Clave-Muy-Larga-2026")
    user.refresh_from_db()
    assert user.check_password("Una-Clave-Muy-Larga-2026")
    with pytest.raises(ValidationError):
        svc.account_activate(raw_token=raw, password="Otra-Clave-Muy-Larga-2026")

    late = svc.activation_link_send(user=user, actor=reviewer)
    token = ActivationToken.objects.get(used_at__isnull=True, user=user)
    token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save()
    assert svc.activation_token_find(late) is None
    with pytest.raises(ValidationError):
        svc.account_activate(raw_token=late, password="Otra-Clave-Muy-Larga-2026")


def test_new_activation_link_voids_the_previous_one(submitted, reviewer):
    check_all(submitted, reviewer)
    svc.account_request_approve(request=submitted, actor=reviewer)
    user = User.objects.get(curp=CURP)
    first = svc.activation_link_send(user=user, actor=reviewer)
    second = svc.activation_link_send(user=user, actor=reviewer)
    assert svc.activation_token_find(first) is None
    assert svc.activation_token_find(second) is not None


def test_withdraw_only_from_editable_states(draft, inst_admin):
    svc.account_request_withdraw(request=draft, actor=inst_admin)
    draft.refresh_from_db()
    assert draft.status == AccountRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        svc.account_request_withdraw(request=draft, actor=inst_admin)


def test_catalog_change_notifies_every_institution_admin(
    commission_admin, inst_admin, other_member, django_capture_on_commit_callbacks
):
    other_admin = UserFactory(institution=other_member, profile=profile("institution_admin"))
    document = RequiredDocument(code="constancia_curso", name="Constancia del curso de protección de datos")
    with django_capture_on_commit_callbacks(execute=True):
        svc.required_document_save(document=document, actor=commission_admin)
    recipients = {address for m in mail.outbox for address in m.to}
    assert {inst_admin.email, other_admin.email} <= recipients
    with pytest.raises(PermissionDenied):
        svc.required_document_save(document=document, actor=inst_admin)


def test_catalog_change_applies_to_later_submissions_only(submitted, commission_admin, inst_admin, reviewer):
    RequiredDocument.objects.create(code="constancia", name="Constancia de curso", mandatory=True)
    # Already submitted: the reviewer can still approve with the documents it was sent with.
    check_all(submitted, reviewer)
    for doc in submitted.documents.all():
        assert doc.check_status == "valid"
    svc.account_request_approve(request=submitted, actor=reviewer)
    # A new draft must carry the new document.
    other = svc.account_request_create(
        institution=inst_admin.institution,
        actor=inst_admin,
        data={"given_names": "Luis", "paternal_surname": "Ávila", "curp": valid_curp(7002)},
    )
    assert "Falta el documento «Constancia de curso»." in svc.submission_problems(other)


def test_curu_pdf_carries_the_data(draft, inst_admin):
    data = svc.curu_pdf(request=draft)
    assert data.startswith(b"%PDF-")
