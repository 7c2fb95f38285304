"""The signatory page says why a signature may not sign requests, not a bare "No"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory, make_signatory, profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(commission):
    return UserFactory(institution=commission, profile=profile("commission_reviewer"))


def _answer(client, signatory):
    page = client.get(reverse("agreements:signatory_detail", args=[signatory.pk])).content.decode()
    start = page.index('id="puede-firmar">') + len('id="puede-firmar">')
    return page[start : page.index("</dd>", start)]


def test_a_signature_not_yet_valid_says_from_when(reviewer, member, login):
    signatory = make_signatory(institution=member)
    signatory.valid_from = timezone.localdate() + datetime.timedelta(days=1)
    signatory.save()
    client = login(reviewer)
    assert _answer(client, signatory) == f"No (válida desde {signatory.valid_from:%d/%m/%Y})"


def test_revoked_and_pending_signatures_say_so(reviewer, member, login):
    client = login(reviewer)
    assert _answer(client, make_signatory(institution=member, status="revoked")) == "No (revocada)"
    pending = make_signatory(institution=member, status="submitted", full_name="Otra Firma")
    assert _answer(client, pending) == "No (pendiente de registro por la Comisión)"
    assert _answer(client, make_signatory(institution=member, full_name="Vigente")) == "Sí"
