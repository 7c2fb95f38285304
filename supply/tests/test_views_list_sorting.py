"""Deliveries: a column header sorts what the person sees; the count counts what the filters left."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.tests.factories import make_agreement
from supply import services
from supply.models import Delivery

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def deliveries(commission, commission_admin, member):
    agreement = make_agreement(institution=member, commission=commission)
    layout = services.layout_create_default(actor=commission_admin, agreement=agreement)
    made = []
    for n, (name, records, status) in enumerate(
        (
            ("b-padron.txt", 300, Delivery.Status.ACCEPTED),
            ("a-padron.txt", 10, Delivery.Status.ACCEPTED),
            ("c-padron.txt", 2000, Delivery.Status.ACCEPTED),
            ("d-rechazada.txt", 5, Delivery.Status.REJECTED),
        )
    ):
        made.append(
            Delivery.objects.create(
                agreement=agreement,
                institution=member,
                layout=layout,
                period_start=date(2026, 1 + n, 1),
                file_name=name,
                records=records,
                status=status,
                delivered_by=commission_admin,
                deliverer_name="Quien entrega",
                received_at=datetime(2026, 6, 1, 10, tzinfo=MX) + timedelta(days=n),
            )
        )
    return made


def _files(html):
    return re.findall(r'<th scope="row"><a href="[^"]+">([\w.-]+)</a></th>', html)


def test_deliveries_sort_by_records_both_ways_within_the_status_filter(client, commission_admin, deliveries):
    client.force_login(commission_admin)
    url = reverse("supply:list")
    default = client.get(url, {"estado": "accepted"}).content.decode()
    assert _files(default) == ["c-padron.txt", "a-padron.txt", "b-padron.txt"]  # latest received first
    assert '<p class="result-count">3 resultados</p>' in default  # the rejected one is filtered out
    assert 'aria-sort="descending"><a class="sort active" href="?estado=accepted&amp;orden=recibida"' in default
    fewest = client.get(url, {"estado": "accepted", "orden": "registros"}).content.decode()
    assert _files(fewest) == ["a-padron.txt", "b-padron.txt", "c-padron.txt"]
    assert 'href="?estado=accepted&amp;orden=-registros"' in fewest  # a second click: descending
    most = client.get(url, {"estado": "accepted", "orden": "-registros"}).content.decode()
    assert _files(most) == ["c-padron.txt", "b-padron.txt", "a-padron.txt"]
    by_name = client.get(url, {"orden": "archivo"}).content.decode()
    assert _files(by_name) == ["a-padron.txt", "b-padron.txt", "c-padron.txt", "d-rechazada.txt"]
    assert '<p class="result-count">4 resultados</p>' in by_name


def test_a_delivery_search_with_no_match_says_so(client, commission_admin, deliveries):
    client.force_login(commission_admin)
    html = client.get(reverse("supply:list"), {"q": "nada-asi", "orden": "registros"}).content.decode()
    assert "Sin resultados" in html and "No hay entregas con esos criterios." in html
