"""Pages for renewals, rescission answers, withdrawals, memberships, notices and non-working days."""

from datetime import date

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, MemberNotice, Membership, NonWorkingDay
from agreements.tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


def test_renewal_page_creates_the_linked_period(agreement, commission_admin, login, client):
    login(commission_admin)
    response = client.post(
        reverse("agreements:renew", args=[agreement.pk]),
        {"folio": "REN-9", "signed_on": "2031-01-15", "term_years": "", "renewal_file": pdf_upload()},
    )
    renewal = Agreement.objects.get(folio="REN-9")
    assert response.status_code == 302 and renewal.previous == agreement


def test_rescission_answer_and_withdrawal_pages(agreement, commission_admin, login, client):
    notice = services.termination_notice_create(
        agreement=agreement,
        actor=commission_admin,
        kind="rescission",
        notifying_party=agreement.parties.get(role="commission"),
        notified_on=date.today(),
        reason="Motivo",
        notice_file=pdf_upload(),
    )
    login(commission_admin)
    late = client.post(
        reverse("agreements:rescission_answer", args=[agreement.pk, notice.pk]),
        {"answered_on": "2099-01-01", "answer": "x"},
    )
    assert "El plazo para responder venció" in late.content.decode()
    assert client.get(reverse("agreements:termination_withdraw", args=[agreement.pk, notice.pk])).status_code == 200
    client.post(reverse("agreements:termination_withdraw", args=[agreement.pk, notice.pk]))
    notice.refresh_from_db()
    assert notice.status == "withdrawn"


def test_analyst_cannot_use_lifecycle_pages(agreement, analyst, login, client):
    login(analyst)
    assert client.get(reverse("agreements:renew", args=[agreement.pk])).status_code == 403
    assert client.get(reverse("agreements:termination_create", args=[agreement.pk])).status_code == 403


def test_membership_request_and_decision_pages(member, institution_admin, commission_admin, login, client):
    login(institution_admin)
    response = client.post(
        reverse("agreements:membership_request"),
        {
            "responsible_name": "Responsable",
            "agreement_proof": pdf_upload("a.pdf"),
            "responsible_letter": pdf_upload("b.pdf"),
            "security_statement": pdf_upload("c.pdf"),
        },
    )
    membership = Membership.objects.get(institution=member)
    assert response.status_code == 302
    client.logout()
    login(commission_admin)
    url = reverse("agreements:membership_decide", args=[membership.pk])
    missing = client.post(url, {"decision": "deny", "reason": "", "note": "x"})
    assert "elija una de las causas" in missing.content.decode()
    client.post(url, {"decision": "deny", "reason": "outdated", "note": "Actualice el oficio"})
    membership.refresh_from_db()
    assert membership.status == "denied" and membership.deny_reason == "outdated"


def test_member_notice_page_checks_the_lead_time(commission_admin, login, client):
    login(commission_admin)
    response = client.post(
        reverse("agreements:member_notice_create"),
        {"kind": "unplanned", "subject": "Falla", "body": "Ajuste", "change_on": date.today().isoformat()},
    )
    assert "no puede ocurrir antes" in response.content.decode()
    assert not MemberNotice.objects.exists()


def test_commission_maintains_non_working_days(commission_admin, institution_admin, login, client):
    login(institution_admin)
    assert client.get(reverse("agreements:non_working_days")).status_code == 403
    client.logout()
    login(commission_admin)
    client.post(reverse("agreements:non_working_days"), {"date": "2026-12-24", "description": "Cierre anual"})
    entry = NonWorkingDay.objects.get()
    again = client.post(reverse("agreements:non_working_days"), {"date": "2026-12-24", "description": "Otra"})
    assert again.context["form"].errors, again.context["form"].errors
    assert "Ya existe" in again.content.decode()
    client.post(reverse("agreements:non_working_day_delete", args=[entry.pk]))
    assert not NonWorkingDay.objects.exists()


def test_commission_registers_an_agreement_through_the_form(commission, member, commission_admin, login, client):
    login(commission_admin)
    data = {
        "folio": "NUEVO-1",
        "title": "Convenio nuevo",
        "kind": "coordination",
        "purpose": "Objeto",
        "signing_place": "Monterrey",
        "signed_on": "2026-11-02",
        "term_kind": "years",
        "term_years": "",
        "notice_days": 30,
        "notice_day_kind": "natural",
        "rescission_answer_days": 10,
        "members": [member.pk],
    }
    missing = client.post(reverse("agreements:create"), data)
    assert "Indique cuántos años" in missing.content.decode()
    assert missing.context["form"]["title"].value() == "Convenio nuevo"
    response = client.post(reverse("agreements:create"), {**data, "term_years": 4})
    agreement = Agreement.objects.get(folio="NUEVO-1")
    assert response.status_code == 302 and agreement.end_date == date(2030, 11, 1)
    assert set(agreement.parties.values_list("institution", flat=True)) == {commission.pk, member.pk}


def test_signatory_catalog_exports_csv_in_scope(
    member, other_member, institution_admin, commission_admin, login, client
):
    from accounts.tests.factories import UserFactory, profile
    from agreements.tests.factories import png_upload

    other_admin = UserFactory(institution=other_member, profile=profile("institution_admin"))
    for institution, actor, name in ((member, institution_admin, "Propia"), (other_member, other_admin, "Ajena")):
        services.signatory_submit(
            institution=institution,
            actor=actor,
            full_name=name,
            position="Titular",
            rank="Titular",
            specimen_file=png_upload(),
            valid_from=date(2026, 1, 1),
            attested=True,
        )
    login(institution_admin)
    content = client.get(reverse("agreements:signatory_list"), {"formato": "csv"}).content.decode("utf-8-sig")
    assert "Propia" in content and "Ajena" not in content


def test_commission_sets_a_designation_deadline_and_the_page_flags_it(
    agreement, commission_admin, analyst, login, client
):
    party = agreement.parties.get(role="member")
    login(analyst)
    assert client.get(reverse("agreements:party_deadline", args=[agreement.pk, party.pk])).status_code == 403
    client.logout()
    login(commission_admin)
    client.post(reverse("agreements:party_deadline", args=[agreement.pk, party.pk]), {"due_on": "2020-01-31"})
    party.refresh_from_db()
    assert party.officer_designation_due == date(2020, 1, 31)
    assert "Designación vencida" in client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()


def test_dashboard_shows_agreements_about_to_expire(commission, member, commission_admin, analyst, login, client):
    from datetime import timedelta

    from agreements.tests.factories import make_agreement

    soon = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        folio="VENCE-1",
        term_kind="until_date",
        term_until=date.today() + timedelta(days=20),
    )
    login(analyst)
    page = client.get("/")
    assert page.context["agreements_expiring"] == [soon]
    assert "VENCE-1" in page.content.decode()


def _stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_refused_amendment_leaves_no_document_file_or_event(
    agreement, commission_admin, login, client, private_media
):
    from agreements.models import Document
    from audit.models import Event

    login(commission_admin)
    response = client.post(
        reverse("agreements:amendment_create", args=[agreement.pk]),
        # The "new" title is the current one: the amendment changes no term and is refused.
        {
            "signed_on": "2031-01-15",
            "summary": "Sin cambios",
            "file": pdf_upload("adenda.pdf"),
            "title": agreement.title,
        },
    )
    assert response.status_code == 200
    assert "no cambia ningún término" in response.content.decode()
    assert not Document.objects.filter(agreement=agreement, kind=Document.Kind.AMENDMENT).exists()
    assert not Event.objects.filter(action="document_upload").exists()
    assert _stored_files(private_media) == []


def test_a_refused_compliance_record_leaves_no_evidence_document_or_file(agreement, commission_admin, private_media):
    from django.core.exceptions import ValidationError

    from agreements.models import Document
    from audit.models import Event

    obligation = services.obligation_create(
        agreement=agreement,
        actor=commission_admin,
        party=agreement.parties.get(role="member"),
        description="Entrega mensual",
        schedule="monthly",
        business_days=12,
        starts_on=date(2026, 1, 1),
    )
    period = {"period_start": date(2026, 1, 1), "delivered_on": date(2026, 1, 10), "delivered_by": "Titular"}
    services.compliance_record(obligation=obligation, actor=commission_admin, supply_ok=True, quality_ok=True, **period)
    # The same period again (e.g. from a second tab): refused after the evidence was received.
    with pytest.raises(ValidationError):
        services.compliance_create(
            obligation=obligation,
            actor=commission_admin,
            evidence_file=pdf_upload("evidencia.pdf"),
            supply_ok=True,
            quality_ok=True,
            **period,
        )
    assert not Document.objects.filter(kind=Document.Kind.EVIDENCE).exists()
    assert not Event.objects.filter(action="document_upload").exists()
    assert _stored_files(private_media) == []
