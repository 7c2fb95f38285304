"""Agreements: a column header sorts what the person sees; the count counts what the filters left."""

import pytest
from django.urls import reverse

from agreements.models import Agreement
from agreements.tests.factories import make_agreement

pytestmark = pytest.mark.django_db


def test_agreements_sort_by_title_and_count_the_filtered_ones(commission, member, commission_admin, client):
    for folio, title, status in (
        ("F-1", "Intercambio de padrones ordenable", Agreement.Status.IN_FORCE),
        ("F-2", "Actualización cartográfica ordenable", Agreement.Status.IN_FORCE),
        ("F-3", "Migración de sistemas ordenable", Agreement.Status.IN_FORCE),
    ):
        agreement = make_agreement(
            members=[member], commission=commission, actor=commission_admin, folio=folio, title=title
        )
        assert agreement.status == status
    client.force_login(commission_admin)
    url = reverse("agreements:list")
    mine = {"q": "ordenable", "status": Agreement.Status.IN_FORCE}
    by_title = client.get(url, {**mine, "orden": "titulo"})
    assert [a.folio for a in by_title.context["page"]] == ["F-2", "F-1", "F-3"]
    html = by_title.content.decode()
    assert html.index("Actualización cartográfica") < html.index("Intercambio de padrones") < html.index("Migración")
    assert "3 resultados" in html
    reversed_ = client.get(url, {**mine, "orden": "-titulo"}).context["page"]
    assert [a.folio for a in reversed_] == ["F-3", "F-1", "F-2"]
    assert "1 resultado<" in client.get(url, {"q": "Migración ordenable", "orden": "folio"}).content.decode()
