"""Who sees what: members of a body see it, the commission sees all, consent evidence stays
between the two institutions involved even on an agreement with more parties."""

from datetime import date

import pytest

from agreements.tests.factories import make_agreement
from governance import selectors, services
from governance.models import Body, ConsentEvidenceRequest, Document
from governance.tests.factories import pdf

pytestmark = pytest.mark.django_db


def test_conference_is_seen_by_its_institutions_only(
    commission, member, other_member, commission_admin, institution_admin, other_admin
):
    conference = services.body_create(
        actor=commission_admin, kind="conference", name="Conferencia", code="CNS", institutions=[commission, member]
    )
    assert list(Body.objects.visible_to(commission_admin)) == [conference]
    assert list(Body.objects.visible_to(institution_admin)) == [conference]
    assert not Body.objects.visible_to(other_admin).exists()


def test_consent_evidence_stays_between_the_two_institutions(
    commission, member, other_member, commission_admin, institution_admin, other_admin
):
    agreement = make_agreement(members=[member, other_member], commission=commission, actor=commission_admin)
    services.consent_processing_mark(actor=commission_admin, agreement=agreement, responsible=member)
    request = services.consent_request_create(
        actor=commission_admin,
        agreement=agreement,
        requested_by=commission,
        folios="C-1",
        requested_on=date(2026, 5, 1),
        due_on=date(2026, 5, 15),
    )
    services.consent_request_answer(actor=institution_admin, request=request, files=[pdf("consentimiento.pdf")])
    evidence = request.documents.get()
    # The other member is a party of the agreement, yet neither the request nor its evidence reach it.
    assert not ConsentEvidenceRequest.objects.visible_to(other_admin).exists()
    assert not Document.objects.visible_to(other_admin).filter(pk=evidence.pk).exists()
    assert Document.objects.visible_to(institution_admin).filter(pk=evidence.pk).exists()
    assert selectors.consent_get(user=commission_admin, pk=request.pk) == request


def test_acuerdo_tied_to_an_obligation_closes_on_its_delivery(committee, member, agreement, commission_admin):
    from agreements import services as agreement_services
    from governance.models import Acuerdo
    from governance.tests.factories import held_session

    party = agreement.parties.get(institution=member)
    obligation = agreement_services.obligation_create(
        agreement=agreement,
        actor=commission_admin,
        party=party,
        description="Entregar el padrón",
        schedule="once",
        starts_on=date(2026, 2, 1),
        due_on=date(2026, 3, 31),
    )
    item = services.acuerdo_create(
        actor=commission_admin,
        session=held_session(body=committee),
        text="Entregar el padrón depurado",
        responsible_institutions=[member],
        deadline_kind="fixed",
        deadline_date=date(2026, 3, 31),
        linked_obligation=obligation,
    )
    assert services.acuerdos_close_by_link(today=date(2026, 3, 1)) == 0
    period, _due = agreement_services.obligation_next_due(obligation, today=date(2026, 3, 1))
    agreement_services.compliance_record(
        obligation=obligation,
        actor=commission_admin,
        period_start=period,
        delivered_on=date(2026, 3, 20),
        delivered_by="Área de padrones",
        supply_ok=True,
        quality_ok=True,
    )
    assert services.acuerdos_close_by_link(today=date(2026, 3, 21)) == 1
    item.refresh_from_db()
    assert item.status == Acuerdo.Status.DONE
