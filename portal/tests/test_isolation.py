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
from guardian.shortcuts import assign_perm

from accounts.capabilities import PORTAL_APPS
from accounts.models import Profile
from accounts.services import profile_create
from accounts.tests.factories import UserFactory
from agreements.models import Institution
from agreements.tests.factories import CommissionFactory, InstitutionFactory
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


# The scopes the walk tries. Each user of institution A holds every permission of the portal, so
# only scoping can stop them:
# - "institution": A's rows, never B's;
# - "assigned": exactly the objects granted to them (all of A's first set of rows), never B's;
# - "assigned_none": an assigned-scope profile granted nothing sees nothing of A's rows but what
#   is their own (their user row, the institution they belong to).
SCOPES = ["institution", "assigned", "assigned_none"]

# Rows the user reaches whatever the grants: the institution they belong to, and rows that hang
# on a granted agreement: its documents, and the governance bodies of the agreement with all they
# hold (the registry hangs every such row of A on A's first agreement).
REACHED_WITHOUT_OWN_GRANT = {"agreements.Institution"}
REACHED_THROUGH_A_GRANT = {
    "agreements.Institution",
    "agreements.Document",
    "governance.Acuerdo",
    "governance.AcuerdoResponsible",
    "governance.Body",
    "governance.BodyParty",
    "governance.ConsentEvidenceRequest",
    "governance.ConsentProcessing",
    "governance.Document",
    "governance.Member",
    "governance.PilotProgram",
    "governance.Session",
}


def everything_profile(scope):
    return profile_create(
        actor=None,
        code=unique_tag("todo_"),
        name=unique_tag("Todo "),
        scope=scope,
        permissions=list(Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)),
    )


def make_tenants(walk_scope):
    a = InstitutionFactory(legal_name=f"Institución Alfa {unique_tag()}", acronym=unique_tag("A").upper())
    b = InstitutionFactory(legal_name=f"Institución Beta {unique_tag()}", acronym=unique_tag("B").upper())
    scope = Profile.Scope.INSTITUTION if walk_scope == "institution" else Profile.Scope.ASSIGNED
    user_a = UserFactory(institution=a, profile=everything_profile(scope))
    rows_a = {label: entry.make(a, unique_tag("a")) for label, entry in TENANT_MODELS.items()}
    rows_b = {label: entry.make(b, unique_tag("b")) for label, entry in TENANT_MODELS.items()}
    if walk_scope == "assigned":
        for obj in rows_a.values():
            assign_perm(f"{obj._meta.app_label}.view_{obj._meta.model_name}", user_a, obj)
    user_a.walk_scope = walk_scope
    return a, b, user_a, rows_a, rows_b


@pytest.fixture(params=SCOPES)
def tenants(request):
    return make_tenants(request.param)


@pytest.mark.parametrize("label", sorted(TENANT_MODELS))
def test_visible_to_keeps_each_tenant_to_its_own_rows(tenants, label):
    a, _b, user_a, rows_a, rows_b = tenants
    visible = apps.get_model(label)._default_manager.visible_to(user_a)
    sees_own_rows = user_a.walk_scope != "assigned_none" or label in REACHED_WITHOUT_OWN_GRANT
    assert visible.filter(pk=rows_a[label].pk).exists() == sees_own_rows
    assert not visible.filter(pk=rows_b[label].pk).exists()
    if user_a.walk_scope == "assigned":
        # Exactly the granted objects: another row of A, not granted, stays out of sight.
        other = TENANT_MODELS[label].make(a, unique_tag("n"))
        assert visible.filter(pk=other.pk).exists() == (label in REACHED_THROUGH_A_GRANT)


@pytest.mark.parametrize("label", sorted(TENANT_MODELS))
def test_the_platform_scope_sees_every_tenants_rows(label):
    a, b = InstitutionFactory(), InstitutionFactory()
    commission_user = UserFactory(institution=CommissionFactory(), profile=everything_profile(Profile.Scope.PLATFORM))
    visible = apps.get_model(label)._default_manager.visible_to(commission_user)
    for institution in (a, b):
        assert visible.filter(pk=TENANT_MODELS[label].make(institution, unique_tag("p")).pk).exists()


def object_routes():
    routes = [
        r
        for r in portal_routes()
        if r.access_rule != PUBLIC and any(URL_KWARGS[k].model for k in r.kwargs if k in URL_KWARGS)
    ]
    assert routes, "no route designates a tenant-owned object: the registry lost its entries"
    return routes


def not_found_everywhere(client, user, routes, institution, other_institution):
    wrong = []
    for route in routes:
        url = route.url(kwarg_values(route, institution, other_institution=other_institution))
        client.force_login(user)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                wrong.append(f"{method.upper()} {route.name} {url}: {status}")
    return wrong


def test_routes_designating_another_tenants_object_answer_404(client, tenants):
    a, b, user_a, _rows_a, _rows_b = tenants
    assert not_found_everywhere(client, user_a, object_routes(), a, b) == []


def test_routes_designating_an_object_of_its_own_institution_not_granted_answer_404(client):
    """An assigned-scope profile granted nothing reaches none of its institution's objects."""
    a, _b, user_a, _rows_a, _rows_b = make_tenants("assigned_none")
    assert not_found_everywhere(client, user_a, object_routes(), a, a) == []


def test_pages_without_an_object_never_show_rows_out_of_scope(client, tenants):
    _a, _b, user_a, rows_a, rows_b = tenants
    routes = [r for r in portal_routes() if r.access_rule != PUBLIC and not r.kwargs]
    markers_b = {label: TENANT_MODELS[label].marker(obj) for label, obj in rows_b.items()}
    if user_a.walk_scope == "assigned_none":
        # Nothing of its own institution either, but the institution it belongs to.
        markers_b |= {
            f"{label} (A)": TENANT_MODELS[label].marker(obj)
            for label, obj in rows_a.items()
            if label not in REACHED_WITHOUT_OWN_GRANT
        }
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
    if user_a.walk_scope != "assigned_none":
        # The check is not vacuous: A's own (or granted) users do appear on some list.
        assert "accounts.User" in shown_own
