"""000 VIGÉSIMA PRIMERA through the early-termination form: while a party's address change is
within its 15 natural days, the notice goes to the previous address and the page says so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _post_notice(client, agreement, notified_on):
    return client.post(
        reverse("agreements:termination_create", args=[agreement.pk]),
        {
            "kind": "termination",
            "notifying_party": agreement.parties.get(role="commission").pk,
            "notified_on": notified_on.isoformat(),
            "reason": "Reorganización",
            "notice_file": pdf_upload("aviso.pdf"),
        },
        follow=True,
    )


def test_000_vigesima_primera_notice_within_15_days_goes_to_the_previous_address(
    client, login, agreement, commission_admin
):
    today = timezone.localdate()
    party = agreement.parties.get(role="member")
    old = party.notice_address(on=today)
    change = services.party_address_change(
        party=party, actor=commission_admin, address="Calle Nueva 10, Monterrey", notified_on=today - timedelta(days=5)
    )
    login(commission_admin)
    page = _post_notice(client, agreement, today).content.decode()
    assert "va a su domicilio anterior" in page and old in page and f"{change.effective_on:%d/%m/%Y}" in page


def test_000_vigesima_primera_notice_after_15_days_uses_the_new_address_silently(
    client, login, agreement, commission_admin
):
    today = timezone.localdate()
    party = agreement.parties.get(role="member")
    services.party_address_change(
        party=party, actor=commission_admin, address="Calle Nueva 10, Monterrey", notified_on=today - timedelta(days=20)
    )
    login(commission_admin)
    page = _post_notice(client, agreement, today).content.decode()
    assert "Aviso registrado" in page and "domicilio anterior" not in page
