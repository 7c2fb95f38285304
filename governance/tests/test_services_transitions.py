"""State machines of sessions, acuerdos, pilots and consent requests, through the services,
including the refusals a user would meet."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import Event
from governance import services
from governance.models import Acuerdo, ConsentEvidenceRequest, Member, PilotProgram, Session
from governance.tests.factories import acuerdo, aware, held_session, pdf

pytestmark = pytest.mark.django_db


def test_session_lifecycle_and_numbering(committee, commission_admin):
    first = held_session(body=committee, actor=commission_admin)
    assert first.code == "CT-2026-01" and first.status == Session.Status.HELD
    second = services.session_convene(
        actor=commission_admin, body=committee, kind="extraordinary", starts_at=aware(date(2026, 5, 4)), agenda="x"
    )
    assert second.code == "CT-2026-02"
    services.session_sign_minutes(actor=commission_admin, session=first, file=pdf("acta.pdf"))
    first.refresh_from_db()
    assert first.status == Session.Status.MINUTES_SIGNED and first.minutes.sha256
    assert Event.objects.filter(action="session_minutes_signed").exists()


def test_minutes_refused_before_the_session_was_held(committee, commission_admin):
    session = services.session_convene(
        actor=commission_admin,
        body=committee,
        kind="ordinary",
        starts_at=timezone.now() + timedelta(days=3),
        agenda="Orden del día",
    )
    with pytest.raises(ValidationError, match="ya celebrada"):
        services.session_sign_minutes(actor=commission_admin, session=session, file=pdf())
    with pytest.raises(ValidationError, match="antes de su fecha"):
        services.session_hold(actor=commission_admin, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.CONVENED and session.minutes is None


def test_acuerdos_are_numbered_per_session(committee, member, commission):
    session = held_session(body=committee)
    a = acuerdo(session=session, institutions=[member])
    b = acuerdo(session=session, institutions=[member, commission])
    assert (a.code, b.code) == ("CT-2026-01/01", "CT-2026-01/02")


def test_closing_an_acuerdo_needs_evidence(committee, member, institution_admin):
    item = acuerdo(session=held_session(body=committee), institutions=[member])
    with pytest.raises(ValidationError, match="evidencia"):
        services.acuerdo_complete(actor=institution_admin, acuerdo=item)
    item.refresh_from_db()
    assert item.status == Acuerdo.Status.PENDING
    services.acuerdo_start(actor=institution_admin, acuerdo=item)
    done = services.acuerdo_complete(actor=institution_admin, acuerdo=item, evidence_file=pdf(), note="Enviado")
    assert done.status == Acuerdo.Status.DONE and done.evidence.institution == institution_admin.institution
    assert done.notes.get().author == institution_admin


def test_another_institution_cannot_close_an_acuerdo(committee, member, other_admin, institution_admin):
    item = acuerdo(session=held_session(body=committee), institutions=[member])
    with pytest.raises(PermissionDenied):
        services.acuerdo_complete(actor=other_admin, acuerdo=item, evidence_file=pdf())
    with pytest.raises(PermissionDenied):  # only the commission cancels
        services.acuerdo_cancel(actor=institution_admin, acuerdo=item, reason="No aplica")


def test_cancelling_needs_a_reason(committee, member, commission_admin):
    item = acuerdo(session=held_session(body=committee), institutions=[member])
    with pytest.raises(ValidationError, match="motivo"):
        services.acuerdo_cancel(actor=commission_admin, acuerdo=item, reason="  ")
    cancelled = services.acuerdo_cancel(actor=commission_admin, acuerdo=item, reason="Se atendió por otra vía")
    assert cancelled.status == Acuerdo.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.acuerdo_complete(actor=commission_admin, acuerdo=cancelled, evidence_file=pdf())


def test_overdue_is_derived_never_stored(committee, member):
    item = acuerdo(
        session=held_session(body=committee),
        institutions=[member],
        deadline_kind="fixed",
        deadline_date=date(2026, 3, 2),
    )
    assert item.status == Acuerdo.Status.PENDING
    assert item.is_overdue(date(2026, 3, 3)) and not item.is_overdue(date(2026, 3, 2))
    assert list(Acuerdo.objects.overdue(date(2026, 3, 3))) == [item]


def test_acuerdo_tied_to_an_officer_designation_closes_itself(committee, member, agreement, institution_admin):
    from agreements import services as agreement_services

    party = agreement.parties.get(institution=member)
    item = services.acuerdo_create(
        actor=None,
        session=held_session(body=committee),
        text="Designar enlace por oficio",
        responsible_institutions=[member],
        deadline_kind="fixed",
        deadline_date=date(2026, 7, 12),
        linked_party=party,
    )
    assert services.acuerdos_close_by_link(today=date(2026, 3, 1)) == 0
    agreement_services.officer_designate(
        party=party,
        actor=institution_admin,
        role="general",
        full_name="Laura Méndez",
        position="Directora",
        phone="5555555555",
        email="laura@example.mx",
        address="Calle 1",
        functions="Enlace",
        notified_on=date(2026, 3, 2),
    )
    assert services.acuerdos_close_by_link(today=date(2026, 3, 3)) == 1
    item.refresh_from_db()
    assert item.status == Acuerdo.Status.DONE and item.closed_by_link


def test_member_substitution_by_written_notice(committee, member, commission_admin, institution_admin):
    first = services.member_appoint(
        actor=commission_admin,
        body=committee,
        institution=member,
        full_name="Ana Ruiz",
        position="Directora",
        notified_on=date(2026, 1, 20),
    )
    with pytest.raises(ValidationError, match="aviso por escrito"):
        services.member_appoint(
            actor=institution_admin,
            body=committee,
            institution=member,
            full_name="Beto Paz",
            position="Director",
            notified_on=date(2026, 4, 1),
            replaces=first,
        )
    second = services.member_appoint(
        actor=institution_admin,
        body=committee,
        institution=member,
        full_name="Beto Paz",
        position="Director",
        notified_on=date(2026, 4, 1),
        notice_file=pdf("oficio.pdf"),
        replaces=first,
    )
    first.refresh_from_db()
    assert second.effective_from == date(2026, 4, 1) and first.effective_until == date(2026, 3, 31)
    assert Member.objects.filter(body=committee).count() == 2


def test_an_institution_cannot_name_another_institutions_member(committee, commission, institution_admin):
    with pytest.raises(PermissionDenied):
        services.member_appoint(
            actor=institution_admin,
            body=committee,
            institution=commission,
            full_name="X",
            position="Y",
            notified_on=date(2026, 1, 1),
        )


def _pilot(agreement, member, actor):
    return services.pilot_request(
        actor=actor,
        agreement=agreement,
        requested_by=member,
        title="Verificación en ventanilla",
        requested_on=date(2026, 8, 1),
        request_file=pdf("solicitud.pdf"),
    )


def test_pilot_never_beyond_six_months_without_justification(agreement, member, institution_admin, commission_admin):
    pilot = _pilot(agreement, member, institution_admin)
    with pytest.raises(ValidationError, match="seis meses"):
        services.pilot_start(actor=commission_admin, pilot=pilot, starts_on=date(2026, 8, 31), ends_on=date(2027, 3, 1))
    pilot.refresh_from_db()
    assert pilot.status == PilotProgram.Status.REQUESTED
    started = services.pilot_start(actor=commission_admin, pilot=pilot, starts_on=date(2026, 8, 31))
    assert started.ends_on == date(2027, 2, 28) and started.status == PilotProgram.Status.STARTED
    with pytest.raises(ValidationError, match="seis meses"):
        services.pilot_extend(
            actor=commission_admin, pilot=started, ends_on=date(2027, 4, 30), reason="", justification_file=None
        )
    with pytest.raises(ValidationError, match="seis meses"):  # a reason without the written document
        services.pilot_extend(
            actor=commission_admin,
            pilot=started,
            ends_on=date(2027, 4, 30),
            reason="Falta equipo",
            justification_file=None,
        )
    extended = services.pilot_extend(
        actor=commission_admin,
        pilot=started,
        ends_on=date(2027, 4, 30),
        reason="El equipo avalado llegó tarde",
        justification_file=pdf("justificacion.pdf"),
    )
    assert extended.ends_on == date(2027, 4, 30) and extended.is_extended
    ended = services.pilot_end(actor=commission_admin, pilot=extended, on=date(2027, 4, 30))
    assert ended.status == PilotProgram.Status.ENDED


def test_only_the_commission_starts_a_pilot(agreement, member, institution_admin):
    pilot = _pilot(agreement, member, institution_admin)
    with pytest.raises(PermissionDenied):
        services.pilot_start(actor=institution_admin, pilot=pilot, starts_on=date(2026, 9, 1))


def test_consent_evidence_request_and_answer(agreement, member, commission, commission_admin, institution_admin):
    with pytest.raises(ValidationError, match="no está marcado"):
        services.consent_request_create(
            actor=commission_admin, agreement=agreement, requested_by=commission, folios="C-1", due_on=date(2026, 12, 1)
        )
    services.consent_processing_mark(actor=commission_admin, agreement=agreement, responsible=member)
    request = services.consent_request_create(
        actor=commission_admin,
        agreement=agreement,
        requested_by=commission,
        folios="C-0001\n\nC-0002\n",
        requested_on=date(2026, 11, 2),
        due_on=date(2026, 11, 16),
    )
    assert request.folio_list == ["C-0001", "C-0002"] and request.requested_from == member
    assert request.is_overdue(date(2026, 11, 17))
    with pytest.raises(ValidationError, match="al menos un documento"):
        services.consent_request_answer(actor=institution_admin, request=request, files=[])
    answered = services.consent_request_answer(actor=institution_admin, request=request, files=[pdf(), pdf("b.pdf")])
    assert answered.status == ConsentEvidenceRequest.Status.ANSWERED and answered.documents.count() == 2
    assert not answered.is_overdue(date(2027, 1, 1))
