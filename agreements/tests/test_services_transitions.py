"""Every state transition of agreements, signatories and memberships, including refused ones."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services
from agreements.models import Agreement, AgreementParty, Membership, Signatory, TerminationNotice
from agreements.tests.factories import make_agreement, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


# --- Agreements --------------------------------------------------------------------------------


def test_an_agreement_needs_two_parties_and_the_commission(commission, member, other_member, commission_admin):
    base = {"folio": "X-1", "title": "T", "kind": "specific", "purpose": "P", "term_kind": "indefinite"}
    with pytest.raises(ValidationError, match="al menos dos"):
        services.agreement_create(actor=commission_admin, parties=[(member, "member")], **base)
    with pytest.raises(ValidationError, match="La Comisión debe ser parte"):
        services.agreement_create(
            actor=commission_admin, parties=[(member, "member"), (other_member, "member")], **base
        )
    agreement = services.agreement_create(
        actor=commission_admin, parties=[(commission, "commission"), (member, "member")], **base
    )
    assert agreement.status == Agreement.Status.DRAFT and agreement.end_date is None


def test_activate_from_draft_only_and_when_signed(commission, member, commission_admin):
    unsigned = make_agreement(
        members=[member], commission=commission, actor=commission_admin, status="draft", signed_on=None
    )
    with pytest.raises(ValidationError, match="fecha de firma"):
        services.agreement_activate(agreement=unsigned, actor=commission_admin)
    past = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        status="draft",
        term_kind="until_date",
        term_until=date(2026, 1, 31),
    )
    with pytest.raises(ValidationError, match="ya terminó"):
        services.agreement_activate(agreement=past, actor=commission_admin, today=date(2026, 2, 1))
    draft = make_agreement(members=[member], commission=commission, actor=commission_admin, status="draft")
    services.agreement_activate(agreement=draft, actor=commission_admin, today=date(2026, 2, 1))
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.IN_FORCE
    with pytest.raises(ValidationError, match="borrador"):
        services.agreement_activate(agreement=draft, actor=commission_admin)


def test_expiry_by_the_daily_job(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        term_kind="until_date",
        term_until=date(2026, 6, 30),
    )
    assert services.agreements_expire_due(today=date(2026, 6, 30)) == 0
    assert services.agreements_expire_due(today=date(2026, 7, 1)) == 1
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EXPIRED


def test_renewal_links_a_new_period_with_the_same_parties(agreement, commission_admin):
    renewal = services.agreement_renew(
        agreement=agreement,
        actor=commission_admin,
        folio="REN-1",
        signed_on=date(2031, 1, 15),
        renewal_file=pdf_upload(),
    )
    assert renewal.previous == agreement and agreement.renewal == renewal
    assert renewal.end_date == date(2036, 1, 14)
    assert set(renewal.parties.values_list("institution", "role")) == set(
        agreement.parties.values_list("institution", "role")
    )
    with pytest.raises(ValidationError, match="ya fue renovado"):
        services.agreement_renew(
            agreement=agreement,
            actor=commission_admin,
            folio="REN-2",
            signed_on=date(2031, 1, 15),
            renewal_file=pdf_upload(),
        )
    with pytest.raises(ValidationError, match="vigente o vencido"):
        services.agreement_renew(
            agreement=renewal,
            actor=commission_admin,
            folio="REN-3",
            signed_on=date(2036, 1, 15),
            renewal_file=pdf_upload(),
        )


def test_amendment_changes_terms_and_keeps_what_changed(agreement, commission_admin):
    doc = services.document_upload(
        actor=commission_admin,
        institution=agreement.parties.first().institution,
        agreement=agreement,
        kind="amendment",
        title="Adenda",
        file=pdf_upload(),
    )
    amendment = services.amendment_register(
        agreement=agreement,
        actor=commission_admin,
        signed_on=date(2026, 6, 1),
        summary="Amplía la vigencia",
        document=doc,
        new_terms={"term_years": 7},
    )
    agreement.refresh_from_db()
    assert agreement.end_date == date(2033, 1, 14)
    assert amendment.number == 1
    assert amendment.changes == {"term_years": ["5", "7"], "end_date": ["2031-01-14", "2033-01-14"]}
    assert agreement.history.count() >= 3  # create, activate, amend
    with pytest.raises(ValidationError, match="no cambia ningún término"):
        services.amendment_register(
            agreement=agreement,
            actor=commission_admin,
            signed_on=date(2026, 7, 1),
            summary="Nada",
            document=doc,
            new_terms={"term_years": 7},
        )
    with pytest.raises(ValidationError, match="no se modifican"):
        services.amendment_register(
            agreement=agreement,
            actor=commission_admin,
            signed_on=date(2026, 7, 1),
            summary="Folio",
            document=doc,
            new_terms={"folio": "OTRO"},
        )


def _notice(agreement, actor, kind, notified_on):
    return services.termination_notice_create(
        agreement=agreement,
        actor=actor,
        kind=kind,
        notifying_party=agreement.parties.get(role=AgreementParty.Role.MEMBER),
        notified_on=notified_on,
        reason="Motivo",
        notice_file=pdf_upload(),
    )


def test_early_termination_is_final_only_from_its_effective_date(agreement, commission_admin):
    notice = _notice(agreement, commission_admin, "termination", date(2026, 11, 2))
    assert notice.effective_on == date(2026, 12, 2)
    with pytest.raises(ValidationError, match="Ya hay un aviso en trámite"):
        _notice(agreement, commission_admin, "rescission", date(2026, 11, 3))
    with pytest.raises(ValidationError, match="aún no es definitiva"):
        services.termination_finalize(notice=notice, actor=commission_admin, today=date(2026, 12, 1))
    assert services.terminations_apply_due(today=date(2026, 12, 2)) == 1
    agreement.refresh_from_db()
    notice.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED and notice.status == TerminationNotice.Status.FINAL
    with pytest.raises(ValidationError, match="ya no está en trámite"):
        services.termination_finalize(notice=notice, actor=commission_admin, today=date(2026, 12, 3))
    with pytest.raises(ValidationError, match="convenio vigente"):
        _notice(agreement, commission_admin, "termination", date(2026, 12, 3))


def test_rescission_waits_for_the_answer_period(agreement, commission_admin):
    notice = _notice(agreement, commission_admin, "rescission", date(2026, 11, 6))
    assert notice.answer_due_on == date(2026, 11, 23)
    with pytest.raises(ValidationError, match="puede responder hasta el 23/11/2026"):
        services.termination_finalize(notice=notice, actor=commission_admin, today=date(2026, 11, 23))
    with pytest.raises(ValidationError, match="venció"):
        services.rescission_answer(
            notice=notice, actor=commission_admin, answer="Tarde", answered_on=date(2026, 11, 24)
        )
    services.termination_finalize(notice=notice, actor=commission_admin, today=date(2026, 11, 24))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.RESCINDED


def test_an_answered_rescission_may_become_final_or_be_withdrawn(commission, member, commission_admin):
    agreement = make_agreement(members=[member], commission=commission, actor=commission_admin)
    notice = _notice(agreement, commission_admin, "rescission", date(2026, 11, 6))
    services.rescission_answer(
        notice=notice, actor=commission_admin, answer="Subsanado", answered_on=date(2026, 11, 10)
    )
    with pytest.raises(ValidationError, match="en plazo"):
        services.rescission_answer(notice=notice, actor=commission_admin, answer="Otra", answered_on=date(2026, 11, 11))
    services.termination_withdraw(notice=notice, actor=commission_admin)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE
    with pytest.raises(ValidationError):
        services.termination_withdraw(notice=notice, actor=commission_admin)


def test_compliance_once_per_period_and_only_on_the_schedule(agreement, commission_admin):
    obligation = services.obligation_create(
        agreement=agreement,
        actor=commission_admin,
        party=agreement.parties.get(role="member"),
        description="Entrega",
        schedule="monthly",
        business_days=12,
        starts_on=date(2026, 9, 1),
    )
    kwargs = {
        "obligation": obligation,
        "actor": commission_admin,
        "delivered_by": "X",
        "supply_ok": True,
        "quality_ok": True,
    }
    with pytest.raises(ValidationError, match="no corresponde"):
        services.compliance_record(period_start=date(2026, 9, 5), delivered_on=date(2026, 9, 6), **kwargs)
    services.compliance_record(period_start=date(2026, 9, 1), delivered_on=date(2026, 9, 10), **kwargs)
    with pytest.raises(ValidationError, match="Ya se registró"):
        services.compliance_record(period_start=date(2026, 9, 1), delivered_on=date(2026, 9, 10), **kwargs)


# --- Signature catalog -------------------------------------------------------------------------


def _submit(institution, actor, **extra):
    data = {
        "full_name": "Titular de Prueba",
        "position": "Director General",
        "rank": "Titular",
        "specimen_file": png_upload(),
        "valid_from": date(2026, 1, 1),
        "attested": True,
        **extra,
    }
    return services.signatory_submit(institution=institution, actor=actor, **data)


def test_signatory_needs_the_attestation_and_an_image(member, institution_admin):
    with pytest.raises(ValidationError, match="verificó la autenticidad"):
        _submit(member, institution_admin, attested=False)
    with pytest.raises(ValidationError, match="PNG, JPEG"):
        _submit(member, institution_admin, specimen_file=pdf_upload())
    assert not Signatory.objects.exists()


def test_signatory_of_another_institution_is_refused(member, other_member, institution_admin, commission_admin):
    with pytest.raises(PermissionDenied):  # out of the administrator's scope
        _submit(other_member, institution_admin)
    with pytest.raises(ValidationError, match="su propia institución"):  # the commission sends none for members
        _submit(other_member, commission_admin)


def test_signatory_register_then_revoke_and_who_can_sign(
    member, institution_admin, commission_admin, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signatory = _submit(member, institution_admin, valid_until=date(2027, 12, 31))
    assert [m.to for m in mail.outbox] == [[commission_admin.email]]  # the commission is told
    assert not services.signatory_can_sign(signatory, on=date(2026, 6, 1))
    services.signatory_register(signatory=signatory, actor=commission_admin)
    assert services.signatory_can_sign(signatory, on=date(2026, 6, 1))
    assert not services.signatory_can_sign(signatory, on=date(2028, 1, 1))  # past its validity
    with pytest.raises(ValidationError, match="Registrada"):
        services.signatory_register(signatory=signatory, actor=commission_admin)
    with pytest.raises(ValidationError, match="motivo"):
        services.signatory_revoke(signatory=signatory, actor=commission_admin, note=" ")
    services.signatory_revoke(signatory=signatory, actor=commission_admin, note="Cambió de cargo")
    assert not services.signatory_can_sign(signatory, on=date(2026, 6, 1))
    assert signatory.history.count() == 3


def test_signatory_reject_only_while_submitted(member, institution_admin, commission_admin):
    signatory = _submit(member, institution_admin)
    services.signatory_reject(signatory=signatory, actor=commission_admin, note="Firma ilegible")
    with pytest.raises(ValidationError):
        services.signatory_register(signatory=signatory, actor=commission_admin)
    with pytest.raises(ValidationError):
        services.signatory_revoke(signatory=signatory, actor=commission_admin, note="x")


# --- Memberships -------------------------------------------------------------------------------


def _request(member, actor):
    return services.membership_request(
        institution=member,
        actor=actor,
        responsible_name="Responsable",
        agreement_proof=pdf_upload("a.pdf"),
        responsible_letter=pdf_upload("b.pdf"),
        security_statement=pdf_upload("c.pdf"),
    )


def test_membership_accept_exit(member, institution_admin, commission_admin):
    membership = _request(member, institution_admin)
    with pytest.raises(ValidationError, match="en trámite"):
        _request(member, institution_admin)
    with pytest.raises(ValidationError, match="aceptada"):
        services.membership_exit(membership=membership, actor=institution_admin)
    services.membership_accept(membership=membership, actor=commission_admin)
    with pytest.raises(ValidationError, match="pendiente"):
        services.membership_deny(membership=membership, actor=commission_admin, reason="outdated")
    services.membership_exit(membership=membership, actor=institution_admin, requested_on=date(2026, 11, 13))
    membership.refresh_from_db()
    assert membership.status == Membership.Status.LEAVING and membership.ends_on == date(2026, 11, 17)
    assert services.memberships_close_due(today=date(2026, 11, 16)) == 0
    assert services.memberships_close_due(today=date(2026, 11, 17)) == 1


def test_membership_deny_needs_one_of_the_source_reasons(member, institution_admin, commission_admin):
    membership = _request(member, institution_admin)
    with pytest.raises(ValidationError, match="causas"):
        services.membership_deny(membership=membership, actor=commission_admin, reason="no me gusta")
    services.membership_deny(
        membership=membership,
        actor=commission_admin,
        reason=Membership.DenyReason.NO_REPRESENTATION,
        note="Falta poder",
    )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.DENIED
    assert membership.get_deny_reason_display() == "No acreditó la representación"


def test_commission_terminates_with_five_calendar_days(member, institution_admin, commission_admin):
    membership = _request(member, institution_admin)
    with pytest.raises(ValidationError, match="aceptada"):
        services.membership_terminate(membership=membership, actor=commission_admin, reason="x")
    services.membership_accept(membership=membership, actor=commission_admin)
    services.membership_terminate(
        membership=membership, actor=commission_admin, reason="Incumplimiento", notified_on=date(2026, 12, 22)
    )
    membership.refresh_from_db()
    assert membership.status == Membership.Status.TERMINATING and membership.ends_on == date(2026, 12, 27)


def test_the_commission_cannot_request_membership(commission, commission_admin):
    with pytest.raises(ValidationError, match="no se registra"):
        _request(commission, commission_admin)


def test_end_date_in_past_is_refused_for_exit(member, institution_admin, commission_admin):
    membership = _request(member, institution_admin)
    services.membership_accept(membership=membership, actor=commission_admin)
    with pytest.raises(ValidationError, match="anterior a hoy"):
        services.membership_exit(
            membership=membership,
            actor=institution_admin,
            requested_on=date(2026, 11, 13),
            ends_on=date(2026, 11, 13) - timedelta(days=1),
        )
