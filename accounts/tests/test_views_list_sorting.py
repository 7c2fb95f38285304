"""Users, account requests and the review queue: a column header sorts what the person sees, and the
count above the table counts what the filters left."""

import re

import pytest
from django.urls import reverse

from accounts.models import AccountRequest
from accounts.tests.factories import UserFactory, valid_curp

pytestmark = pytest.mark.django_db


def test_users_sort_by_the_clicked_column_and_back(client, commission_admin):
    for username in ("beta.lote", "alfa.lote", "gama.lote"):
        UserFactory(username=username, institution=commission_admin.institution, paternal_surname=username[:4])
    client.force_login(commission_admin)
    html = client.get(reverse("accounts:user_list"), {"q": "lote"}).content.decode()
    # The header links keep the search and drop the page.
    assert 'href="?q=lote&amp;orden=usuario"' in html
    ascending = client.get(reverse("accounts:user_list"), {"q": "lote", "orden": "usuario"}).content.decode()
    usernames = re.findall(r"<td>(\w+\.lote)</td>", ascending)
    assert usernames == ["alfa.lote", "beta.lote", "gama.lote"]
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a class="sort active" href="\?q=lote&amp;orden=-usuario"', ascending
    )
    descending = client.get(reverse("accounts:user_list"), {"q": "lote", "orden": "-usuario"}).content.decode()
    assert re.findall(r"<td>(\w+\.lote)</td>", descending) == ["gama.lote", "beta.lote", "alfa.lote"]
    assert 'aria-sort="descending"' in descending


def test_users_count_what_the_search_leaves_and_the_rows_shown(client, commission_admin):
    for n in range(28):
        UserFactory(username=f"conteo{n:02d}", institution=commission_admin.institution)
    UserFactory(username="otra.persona", institution=commission_admin.institution)
    client.force_login(commission_admin)
    first = client.get(reverse("accounts:user_list"), {"q": "conteo"}).content.decode()
    assert '<p class="result-count">28 resultados (mostrando 1–25)</p>' in first
    second = client.get(reverse("accounts:user_list"), {"q": "conteo", "page": 2, "orden": "-usuario"})
    assert '<p class="result-count">28 resultados (mostrando 26–28)</p>' in second.content.decode()
    assert [u.username for u in second.context["page"]] == ["conteo02", "conteo01", "conteo00"]
    none = client.get(reverse("accounts:user_list"), {"q": "nadie-asi"}).content.decode()
    assert "Sin resultados" in none and "No hay cuentas que coincidan." in none


def _request(member, creator, surname, status, due_date, n, submitted_at="2026-01-05T10:00:00-06:00"):
    return AccountRequest.objects.create(
        institution=member,
        created_by=creator,
        given_names="Ana",
        paternal_surname=surname,
        curp=valid_curp(9300 + n),
        status=status,
        submitted_at=submitted_at if status != "draft" else None,
        due_date=due_date,
    )


def test_account_requests_sort_by_person_and_due_date_keeping_the_status_filter(login, inst_admin, member):
    _request(member, inst_admin, "Zapata", "submitted", "2026-03-01", 1)
    _request(member, inst_admin, "Arroyo", "submitted", "2026-05-01", 2)
    _request(member, inst_admin, "Mora", "submitted", "2026-04-01", 3)
    _request(member, inst_admin, "Borrador", "draft", None, 4)
    client = login(inst_admin)
    url = reverse("onboarding:account_request_list")
    by_person = client.get(url, {"estado": "submitted", "orden": "persona"}).content.decode()
    assert re.findall(r"<td>Ana (\w+)</td>", by_person) == ["Arroyo", "Mora", "Zapata"]
    assert '<p class="result-count">3 resultados</p>' in by_person  # the draft is filtered out
    assert 'href="?estado=submitted&amp;orden=fecha_limite"' in by_person
    soonest = client.get(url, {"estado": "submitted", "orden": "fecha_limite"}).content.decode()
    assert re.findall(r"<td>Ana (\w+)</td>", soonest) == ["Zapata", "Mora", "Arroyo"]
    latest = client.get(url, {"estado": "submitted", "orden": "-fecha_limite"}).content.decode()
    assert re.findall(r"<td>Ana (\w+)</td>", latest) == ["Arroyo", "Mora", "Zapata"]
    assert re.findall(r"<td>(\d\d/\d\d/2026)</td>", latest) == ["01/05/2026", "01/04/2026", "01/03/2026"]


def test_account_requests_pages_keep_the_filters_and_the_sort(login, inst_admin, member):
    for n in range(27):
        _request(member, inst_admin, f"Persona{n:02d}", "submitted", "2026-03-01", 10 + n)
    client = login(inst_admin)
    html = client.get(
        reverse("onboarding:account_request_list"), {"estado": "submitted", "q": "persona", "orden": "-persona"}
    ).content.decode()
    assert "27 resultados (mostrando 1–25)" in html
    assert 'href="?estado=submitted&amp;q=persona&amp;orden=-persona&amp;page=2"' in html


def test_the_review_queue_sorts_by_sending_date_over_both_kinds(login, reviewer, inst_admin, member):
    early = _request(member, inst_admin, "Temprana", "submitted", "2026-06-01", 40, "2026-01-05T10:00:00-06:00")
    late = _request(member, inst_admin, "Tardia", "submitted", "2026-02-01", 41, "2026-01-20T10:00:00-06:00")
    client = login(reviewer)
    url = reverse("onboarding:review_queue")
    default = client.get(url).context["page"].object_list
    assert [row["obj"].pk for row in default] == [late.pk, early.pk]  # soonest due first
    newest_first = client.get(url, {"orden": "-enviada"})
    assert [row["obj"].pk for row in newest_first.context["page"].object_list] == [late.pk, early.pk]
    oldest_first = client.get(url, {"orden": "enviada"})
    assert [row["obj"].pk for row in oldest_first.context["page"].object_list] == [early.pk, late.pk]
    assert '<p class="result-count">2 resultados</p>' in oldest_first.content.decode()


def test_a_new_search_keeps_the_sort_the_person_chose(client, commission_admin):
    client.force_login(commission_admin)
    sorted_page = client.get(reverse("accounts:user_list"), {"q": "lote", "orden": "-usuario"}).content.decode()
    # The filter form carries the chosen sort, so submitting a new search does not lose it...
    assert '<input type="hidden" name="orden" value="-usuario">' in sorted_page
    # ...while the default sort, or a value outside the list's columns, adds nothing to the form.
    assert 'name="orden"' not in client.get(reverse("accounts:user_list")).content.decode()
    forged = client.get(reverse("accounts:user_list"), {"orden": '"><script>'}).content.decode()
    assert 'name="orden"' not in forged and "<script>" not in forged.split("</header>")[-1]
