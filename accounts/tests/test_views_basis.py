"""The institution's page, the commission's "cuentas en riesgo" panel and the two-step actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory, profile
from agreements.models import InstitutionSuspension
from agreements.tests.factories import make_agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def ending(member, commission):
    return make_agreement(
        members=[member], commission=commission, term_kind="until_date", term_until=TODAY + timedelta(days=20)
    )


def test_the_commission_sees_accounts_at_risk_and_the_standing(client, login, member, ending, commission_admin):
    UserFactory(institution=member, username="analista.riesgo")
    login(commission_admin)
    dashboard = client.get("/").content.decode()
    assert "Cuentas en riesgo" in dashboard and member.acronym in dashboard
    page = client.get(f"/instituciones/{member.pk}/").content.decode()
    assert "Con base de acceso, por terminar" in page
    assert (TODAY + timedelta(days=21)).strftime("%d/%m/%Y") in page  # first day without a basis


def test_another_institution_page_is_not_found(client, login, member, other_member, ending):
    outsider = UserFactory(institution=other_member, profile=profile("institution_admin"))
    login(outsider)
    assert client.get(f"/instituciones/{member.pk}/").status_code == 404
    assert client.get(f"/instituciones/{other_member.pk}/").status_code == 200
    assert client.get(f"/instituciones/{other_member.pk}/suspender/").status_code == 403


def test_immediate_suspension_asks_for_confirmation_listing_the_accounts(
    client, login, member, ending, commission_admin
):
    analyst = UserFactory(institution=member, username="analista.sus")
    login(commission_admin)
    data = {"reason": InstitutionSuspension.Reason.RULES_BREACHED, "text": "Compartió su contraseña."}
    review = client.post(f"/instituciones/{member.pk}/suspender/", data)
    assert review.status_code == 200 and "analista.sus" in review.content.decode()
    analyst.refresh_from_db()
    assert analyst.status == User.Status.ACTIVE  # nothing happens before the confirmation
    done = client.post(f"/instituciones/{member.pk}/suspender/", {**data, "confirm": "1"})
    assert done.status_code == 302
    analyst.refresh_from_db()
    assert analyst.suspended_for == User.SuspendedFor.MEMBER_SUSPENDED
    lifted = client.post(f"/instituciones/{member.pk}/levantar-suspension/", {"note": "Aclarado."})
    assert lifted.status_code == 302
    analyst.refresh_from_db()
    assert analyst.is_active
