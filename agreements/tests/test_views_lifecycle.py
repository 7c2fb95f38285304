"""Pages for renewals, rescission answers, withdrawals, memberships, notices and non-working days."""

from datetime import date

import pytest
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, MemberNotice, Membership, NonWorkingDay
from agreements.tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_renewal_page_creates_the_linked_period(agreement, commission_admin, login, client):
    login(commission_admin)
    response = client.post(
        reverse("agreements:renew", args=[agreement.pk]),
        {"folio": "REN-9", "signed_on": "2031-01-15", "term_years": ""},
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
