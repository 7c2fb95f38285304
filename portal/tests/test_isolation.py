"""Tenant isolation, for every tenant-owned model and every route.

A tenant-owned model is found, not listed: any model of the portal's apps with a foreign key to
``agreements.Institution`` or a ``visible_to`` queryset method. Each needs a factory in
``portal/tests/registry.py`` (the test says so otherwise). The user of institution A holds every
permission of the portal but with the institution scope, so only scoping can stop them:

- ``visible_to`` never returns B's rows;
- every route designating B's object (detail, edit, delete, download, export...) answers 404;
- no page without an object in its URL (lists, searches, counts, dashboards, CSV exports) shows
  B's rows, with or without a search for them.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from accounts.capabilities import PORTAL_APPS
from accounts.models import Profile
from accounts.services import profile_create
from accounts.tests.factories import UserFactory
from agreements.models import Institution
from agreements.tests.factories import InstitutionFactory
from kernel.access import PUBLIC

from .registry import TENANT_MODELS, URL_KWARGS, unique_tag
from .routes import kwarg_values, portal_routes

pytestmark = pytest.mark.django_db


def tenant_owned_models():
    found = []
    for app_label in PORTAL_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical") or model._meta.managed is False:
                continue
            has_fk = any(
                getattr(f, "related_model", None) is Institution and f.many_to_one for f in model._meta.get_fields()
            )
            has_scope = hasattr(model._default_manager, "visible_to")
            if has_fk or has_scope:
                found.append(model._meta.label)
    return sorted(found)


def test_every_tenant_owned_model_has_a_factory_and_a_visible_to():
    models = tenant_owned_models()
    assert "accounts.User" in models and "agreements.Institution" in models
    missing = [label for label in models if label not in TENANT_MODELS]
    assert missing == [], f"Add these models to portal/tests/registry.py TENANT_MODELS: {missing}"
    unscoped = [label for label in models if not hasattr(apps.get_model(label)._default_manager, "visible_to")]
    assert unscoped == [], f"Tenant-owned models without objects.visible_to(user): {unscoped}"


@pytest.fixture
def tenants():
    a = InstitutionFactory(legal_name=f"Institución Alfa {unique_tag()}", acronym=unique_tag("A").upper())
    b = InstitutionFactory(legal_name=f"Institución Beta {unique_tag()}", acronym=unique_tag("B").upper())
    everything = profile_create(
        actor=None,
        code="todo_institucional",
        name="Todo en su institución",
        scope=Profile.Scope.INSTITUTION,
        permissions=list(Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)),
    )
    user_a = UserFactory(institution=a, profile=everything)
    rows_a = {label: entry.make(a, unique_tag("a")) for label, entry in TENANT_MODELS.items()}
    rows_b = {label: entry.make(b, unique_tag("b")) for label, entry in TENANT_MODELS.items()}
    return a, b, user_a, rows_a, rows_b


@pytest.mark.parametrize("label", sorted(TENANT_MODELS))
def test_visible_to_keeps_each_tenant_to_its_own_rows(tenants, label):
    _a, _b, user_a, rows_a, rows_b = tenants
    visible = apps.get_model(label)._default_manager.visible_to(user_a)
    assert visible.filter(pk=rows_a[label].pk).exists()
    assert not visible.filter(pk=rows_b[label].pk).exists()


def test_routes_designating_another_tenants_object_answer_404(client, tenants):
    a, b, user_a, _rows_a, _rows_b = tenants
    routes = [
        r
        for r in portal_routes()
        if r.access_rule != PUBLIC and any(URL_KWARGS[k].model for k in r.kwargs if k in URL_KWARGS)
    ]
    assert routes, "no route designates a tenant-owned object: the registry lost its entries"
    wrong = []
    for route in routes:
        url = route.url(kwarg_values(route, a, other_institution=b))
        client.force_login(user_a)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                wrong.append(f"{method.upper()} {route.name} {url}: {status}")
    assert wrong == []


def test_pages_without_an_object_never_show_another_tenants_rows(client, tenants):
    _a, _b, user_a, rows_a, rows_b = tenants
    routes = [r for r in portal_routes() if r.access_rule != PUBLIC and not r.kwargs]
    markers_b = {label: TENANT_MODELS[label].marker(obj) for label, obj in rows_b.items()}
    leaks = []
    shown_own = set()
    for route in routes:
        url = route.url({})
        client.force_login(user_a)
        # Search for B's rows by a prefix of their marker: the page may echo the query, never the row.
        for query in [""] + [f"?q={marker[:-1]}&search={marker[:-1]}" for marker in markers_b.values()]:
            response = client.get(url + query)
            if response.status_code != 200:
                continue
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="replace")
            leaks += [f"{route.name}{query}: {label}" for label, marker in markers_b.items() if marker in body]
            shown_own |= {label for label, obj in rows_a.items() if TENANT_MODELS[label].marker(obj) in body}
    assert leaks == []
    # The check is not vacuous: A's own users do appear on some list.
    assert "accounts.User" in shown_own
