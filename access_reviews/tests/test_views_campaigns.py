"""The campaign pages: scoping of answers, bulk confirmation, revocation form, report formats."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access_reviews import services
from access_reviews.models import ReviewItem
from accounts.tests.factories import UserFactory, profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member, other_member, commission_admin):
    admin = UserFactory(institution=member, profile=profile("institution_admin"), username="adm.uno")
    other_admin = UserFactory(institution=other_member, profile=profile("institution_admin"), username="adm.dos")
    analysts = [UserFactory(institution=member, username=f"ana.{n}") for n in range(3)]
    foreign = UserFactory(institution=other_member, username="ajena.uno")
    campaign = services.campaign_open(actor=commission_admin, name="Revisión de prueba", business_days=5)
    return {"admin": admin, "other_admin": other_admin, "analysts": analysts, "foreign": foreign, "campaign": campaign}


def item(campaign, user):
    return ReviewItem.objects.get(campaign=campaign, user=user)


def test_bulk_confirm_and_foreign_items_answer_404(client, login, people):
    campaign = people["campaign"]
    login(people["admin"])
    page = client.get(f"/revisiones-de-acceso/{campaign.pk}/?orden=-acceso&q=ana")
    body = page.content.decode()
    assert page.status_code == 200 and "ana.0" in body and "ajena.uno" not in body and "adm.uno" not in body
    mine = [item(campaign, a).pk for a in people["analysts"][:2]]
    response = client.post(f"/revisiones-de-acceso/{campaign.pk}/ratificar/", {"items": mine})
    assert response.status_code == 302
    assert set(ReviewItem.objects.filter(pk__in=mine).values_list("decision", flat=True)) == {"confirmed"}
    foreign = item(campaign, people["foreign"])
    response = client.post(f"/revisiones-de-acceso/{campaign.pk}/ratificar/", {"items": [foreign.pk]})
    assert response.status_code == 404
    assert client.get(f"/revisiones-de-acceso/cuentas/{foreign.pk}/revocar/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.decision == "pending"


def test_revoke_needs_a_reason_and_keeps_the_form(client, login, people):
    campaign = people["campaign"]
    target = item(campaign, people["analysts"][2])
    login(people["admin"])
    url = f"/revisiones-de-acceso/cuentas/{target.pk}/revocar/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Este campo es obligatorio" in response.content.decode()
    response = client.post(url, {"reason": "Cambió de área"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.decision == "revoked" and target.reason == "Cambió de área"


def test_late_confirmation_is_refused_with_a_message(client, login, people, commission_admin):
    campaign = people["campaign"]
    target = item(campaign, people["analysts"][0])
    # The administrator's own account was confirmed (by the commission), so it can still sign in.
    services.item_confirm(actor=commission_admin, item=item(campaign, people["admin"]))
    late = campaign.due_on + timedelta(days=1)
    services.campaign_close(campaign=campaign, today=late)
    login(people["admin"])
    response = client.post(f"/revisiones-de-acceso/{campaign.pk}/ratificar/", {"only": target.pk}, follow=True)
    assert "ya no recibe respuestas" in response.content.decode()
    target.refresh_from_db()
    assert target.decision == "unconfirmed"


def test_report_as_page_csv_and_pdf(client, login, people, commission_admin):
    campaign = people["campaign"]
    services.item_revoke(actor=people["admin"], item=item(campaign, people["analysts"][0]), reason="=HYPERLINK(1)")
    login(commission_admin)
    url = f"/revisiones-de-acceso/{campaign.pk}/reporte/"
    page = client.get(url).content.decode()
    assert people["admin"].institution.acronym in page and people["foreign"].institution.acronym in page
    csv = client.get(url + "?formato=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Siglas,Institución,Cuentas,Avance")
    pdf = client.get(url + "?formato=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_institution_admin_report_shows_only_its_institution(client, login, people):
    login(people["admin"])
    page = client.get(f"/revisiones-de-acceso/{people['campaign'].pk}/reporte/?formato=csv").content.decode("utf-8-sig")
    assert people["admin"].institution.acronym in page and people["foreign"].institution.acronym not in page


def test_dashboard_flags_dormant_accounts_and_pending_reviews(client, login, people, member):
    UserFactory(institution=member, username="dormida", last_login=timezone.now() - timedelta(days=120))
    login(people["admin"])
    body = client.get("/").content.decode()
    assert "cuentas esperan su ratificación" in body
    assert "cuenta inactiva" in body or "cuentas inactivas" in body
    assert "dormida" in client.get("/revisiones-de-acceso/cuentas-inactivas/").content.decode()


def test_only_the_commission_opens_a_campaign(client, login, people):
    login(people["admin"])
    assert client.get("/revisiones-de-acceso/nueva/").status_code == 403
