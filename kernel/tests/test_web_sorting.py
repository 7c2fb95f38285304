"""kernel.web's list sorting: a whitelist of public keys, header links that toggle, a stable tiebreaker,
and the count line above a list (kernel/templatetags/listing.py)."""

from urllib.parse import parse_qs

import pytest
from django.core.paginator import Paginator
from django.db.models import F
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from agreements.models import Institution
from kernel import web

SORTS = web.Sortable(
    {"nombre": ("legal_name",), "siglas": ("acronym", "-kind"), "alta": (F("created_at").asc(nulls_last=True),)},
    default="-nombre",
)


def request(query=""):
    return RequestFactory().get(f"/lista/?{query}")


def chosen(query):
    return web.sort_from(request(query).GET, SORTS)


def order_of(query):
    rows, current = web.sort(request(query), Institution.objects.all(), SORTS)
    return [str(term) for term in rows.query.order_by], current


def test_a_whitelisted_key_sorts_ascending_and_with_a_minus_descending():
    assert (chosen("orden=nombre").key, chosen("orden=nombre").descending) == ("nombre", False)
    assert (chosen("orden=-siglas").key, chosen("orden=-siglas").descending) == ("siglas", True)
    assert order_of("orden=siglas")[0] == ["acronym", "-kind", "pk"]
    assert order_of("orden=-siglas")[0] == ["-acronym", "kind", "-pk"]


def test_the_primary_key_always_ends_the_ordering_so_pages_are_stable():
    for query in ("", "orden=nombre", "orden=-nombre", "orden=siglas", "orden=alta", "orden=-alta"):
        terms, _current = order_of(query)
        assert terms[-1] in ("pk", "-pk")
    several = web.Sortable({"a": ("due_date",)}, default="a", tiebreaker=("type", "pk"))
    assert web.ordering(several, web.sort_from({"orden": "-a"}, several)) == ["-due_date", "-type", "-pk"]


def test_an_expression_is_reversed_without_changing_the_declared_one():
    descending, _current = web.sort(request("orden=-alta"), Institution.objects.all(), SORTS)
    ascending, _current = web.sort(request("orden=alta"), Institution.objects.all(), SORTS)
    assert descending.query.order_by[0].descending is True
    assert ascending.query.order_by[0].descending is False
    assert SORTS.columns["alta"][0].descending is False


@pytest.mark.parametrize(
    "value",
    [
        "",
        "legal_name",  # a real field, but not a public key
        "-legal_name",
        "password",
        "institution__users__password",
        "nombre; DROP TABLE agreements_institution",
        "--nombre",
        "?",
        "NOMBRE",
        "nombre\x00",
    ],
)
def test_an_unknown_or_malicious_value_gives_the_default_and_never_reaches_order_by(value):
    terms, current = order_of(f"orden={value}")
    assert (current.key, current.descending) == ("nombre", True)
    assert terms == ["-legal_name", "-pk"]


@pytest.mark.django_db
def test_a_malicious_value_still_answers_the_list(client, commission_admin):
    client.force_login(commission_admin)
    response = client.get("/usuarios/", {"orden": "password"})
    assert response.status_code == 200 and response.context["sorting"].key == "nombre"


def test_a_repeated_parameter_uses_the_last_whitelisted_value_or_the_default():
    assert chosen("orden=siglas&orden=bogus").key == "nombre"
    assert chosen("orden=bogus&orden=siglas").key == "siglas"


def test_a_default_outside_the_columns_is_a_programming_error():
    with pytest.raises(ValueError, match="not one of the columns"):
        web.Sortable({"a": ("x",)}, default="b")


def test_header_links_toggle_keep_filters_and_drop_the_page():
    params = request("q=pérez&estado=active&page=3&orden=nombre").GET
    current = web.sort_from(params, SORTS)
    on_active = parse_qs(web.sort_query(params, current, "nombre"))
    assert on_active == {"q": ["pérez"], "estado": ["active"], "orden": ["-nombre"]}  # second click: descending
    other = parse_qs(web.sort_query(params, current, "siglas"))
    assert other == {"q": ["pérez"], "estado": ["active"], "orden": ["siglas"]}  # a new column: ascending
    descending = web.sort_from(request("orden=-nombre").GET, SORTS)
    assert parse_qs(web.sort_query(request("orden=-nombre").GET, descending, "nombre")) == {"orden": ["nombre"]}


def test_a_cursor_list_drops_its_cursor_too():
    params = request("despues=abc&accion=x").GET
    current = web.sort_from(params, web.Sortable({"fecha": ("ts",)}, default="-fecha"), reset=("despues", "page"))
    assert parse_qs(web.sort_query(params, current, "fecha")) == {"accion": ["x"], "orden": ["fecha"]}


def test_aria_sort_names_only_the_active_column():
    current = chosen("orden=-siglas")
    assert web.sort_state(current, "siglas") == "descending"
    assert web.sort_state(current, "nombre") == ""
    assert web.sort_state(chosen("orden=siglas"), "siglas") == "ascending"
    assert web.sort_state(None, "siglas") == ""


HEADERS = Template(
    '{% load listing %}{% sort_header "nombre" _("Nombre") %}{% sort_header "siglas" "Siglas" %}'
    '{% sort_header "otra" "Otra" %}'
)


def test_the_header_tag_marks_the_active_column_with_aria_sort_an_arrow_and_words():
    req = request("q=x&page=2")
    with translation.override("es-mx"):
        html = HEADERS.render(Context({"request": req, "sorting": web.sort_from(req.GET, SORTS)}))
    active, inactive, plain = html.split("</th>")[:3]
    assert 'aria-sort="descending"' in active and "▼" in active and "(orden descendente)" in active
    assert 'href="?q=x&amp;orden=nombre"' in active
    assert "aria-sort" not in inactive and 'href="?q=x&amp;orden=siglas"' in inactive
    assert plain == '<th scope="col">Otra'  # not a sortable column: a plain header


def test_without_a_sort_in_the_context_a_header_is_plain():
    html = HEADERS.render(Context({"request": request()}))
    assert html == '<th scope="col">Nombre</th><th scope="col">Siglas</th><th scope="col">Otra</th>'


COUNT = Template('{% include "includes/result_count.html" %}')


@pytest.mark.parametrize(
    ("rows", "number", "spanish", "english"),
    [
        (0, 1, "Sin resultados", "No results"),
        (1, 1, "1 resultado", "1 result"),
        (20, 1, "20 resultados", "20 results"),
        (134, 2, "134 resultados (mostrando 21–40)", "134 results (showing 21–40)"),
        (134, 7, "134 resultados (mostrando 121–134)", "134 results (showing 121–134)"),
    ],
)
def test_the_count_line(rows, number, spanish, english):
    page = Paginator(range(rows), 20).get_page(number)
    for language, expected in (("es-mx", spanish), ("en", english)):
        with translation.override(language):
            html = COUNT.render(Context({"page": page}))
        assert html.strip() == f'<p class="result-count">{expected}</p>'


def test_the_count_is_a_live_region_only_when_asked():
    page = Paginator(range(3), 20).get_page(1)
    live = Template('{% include "includes/result_count.html" with live=True %}').render(Context({"page": page}))
    assert 'role="status"' in live


def test_a_computed_list_sorts_in_memory_by_attribute_paths():
    class Inst:
        def __init__(self, acronym):
            self.acronym = acronym

    rows = [
        {"institution": Inst("IMS"), "records": 3},
        {"institution": Inst("ABC"), "records": 5},
        {"institution": Inst("ZZZ"), "records": None},
    ]
    sortable = web.Sortable({"institucion": ("institution.acronym",), "entregas": ("records",)}, default="institucion")
    shown, current = web.sort(request(), rows, sortable)
    assert [r["institution"].acronym for r in shown] == ["ABC", "IMS", "ZZZ"] and current.key == "institucion"
    shown, _current = web.sort(request("orden=-entregas"), rows, sortable)
    assert [r["records"] for r in shown] == [None, 5, 3]  # empty last ascending, first descending
    shown, _current = web.sort(request("orden=__class__"), rows, sortable)  # not whitelisted: the default
    assert [r["institution"].acronym for r in shown] == ["ABC", "IMS", "ZZZ"]
