"""The commission officer's dashboard asks for the letter for the data received, and they sign it
in the portal ("Firmo la carta")."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory, profile
from agreements import services
from agreements.models import OfficerLetter

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_account(commission):
    return UserFactory(institution=commission, profile=profile("commission_reviewer"), username="enlace.comision")


@pytest.fixture
def officer(agreement, commission_admin, officer_account):
    return services.officer_designate(
        party=agreement.parties.get(role="commission"),
        actor=commission_admin,
        role="general",
        full_name="Jorge Salinas Treviño",
        position="Coordinador de la Plataforma",
        phone="8181818181",
        email="enlace@example.mx",
        address="Av. Constitución 100, Monterrey",
        functions="Recepción de cargas.",
        notified_on=date(2026, 1, 20),
        account=officer_account,
    )


def test_the_dashboard_asks_the_officer_for_the_letter_until_signed(client, agreement, officer, officer_account):
    client.force_login(officer_account)
    page = client.get(reverse("dashboard")).content.decode()
    letters_url = reverse("agreements:officer_letters")
    assert "Carta de confidencialidad pendiente" in page and agreement.folio in page and letters_url in page

    letters = client.get(letters_url).content.decode()
    assert "Firmo la carta" in letters and "Jorge Salinas Treviño" in letters

    response = client.post(letters_url, {"officer": officer.pk}, follow=True)
    letter = OfficerLetter.objects.get(officer=officer)
    assert letter.signed_by == officer_account
    assert letter.folio in response.content.decode()
    assert "Carta de confidencialidad pendiente" not in client.get(reverse("dashboard")).content.decode()


def test_nobody_else_is_asked_nor_can_sign(client, agreement, officer, commission_admin):
    client.force_login(commission_admin)
    assert "Carta de confidencialidad pendiente" not in client.get(reverse("dashboard")).content.decode()
    assert client.post(reverse("agreements:officer_letters"), {"officer": officer.pk}).status_code == 404
    assert client.post(reverse("agreements:officer_letters"), {"officer": "x"}).status_code == 404
    assert not OfficerLetter.objects.exists()


def test_a_member_user_sees_no_letter_prompt(client, agreement, officer):
    member = agreement.parties.get(role="member").institution
    analyst = UserFactory(institution=member, profile=profile("analyst"))
    client.force_login(analyst)
    assert "Carta de confidencialidad pendiente" not in client.get(reverse("dashboard")).content.decode()
