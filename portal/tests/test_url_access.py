"""Deny by default: every route of the portal declares who may use it (kernel/access.py), and an
anonymous visitor reaches nothing but the explicit allowlist (login, password reset, language,
health). Routes come from the live URLconf, so a route added by any feature is walked too."""

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.tests.factories import InstitutionFactory
from kernel.access import PUBLIC

from .routes import PUBLIC_ALLOWLIST, kwarg_values, missing_kwargs, portal_routes


def test_every_portal_route_is_named_and_declares_its_access_rule():
    routes = portal_routes()
    unnamed = [r.pattern for r in routes if not r.name]
    undeclared = [r.name or r.pattern for r in routes if r.access_rule is None]
    assert unnamed == [], f"Routes without a name (the walk tests need one): {unnamed}"
    assert undeclared == [], f"Routes without an access rule (use kernel.access): {undeclared}"


def test_every_url_kwarg_has_a_factory_in_the_registry():
    assert missing_kwargs(portal_routes()) == [], "Add these kwargs to portal/tests/registry.py URL_KWARGS"


def test_only_the_allowlist_is_public():
    public = {r.name for r in portal_routes() if r.access_rule == PUBLIC}
    assert public == PUBLIC_ALLOWLIST


PROTECTED = [r for r in portal_routes() if r.name not in PUBLIC_ALLOWLIST]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PROTECTED, ids=[r.name or r.pattern for r in PROTECTED])
def test_anonymous_visitor_is_sent_to_login_and_cannot_post(client, route):
    url = route.url(kwarg_values(route, InstitutionFactory()))
    login_url = reverse(settings.LOGIN_URL)

    response = client.get(url)
    assert response.status_code == 302, f"GET {url} answered {response.status_code}"
    assert response["Location"].startswith(f"{login_url}?next="), response["Location"]

    response = client.post(url, {"name": "x", "profile": "1", "scope": "platform"})
    assert response.status_code in (302, 403, 405), f"POST {url} answered {response.status_code}"
    if response.status_code == 302:
        assert response["Location"].startswith(f"{login_url}?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC_ALLOWLIST))
def test_allowlisted_routes_answer_anonymous_visitors(client, name):
    route = next(r for r in portal_routes() if r.name == name)
    url = route.url(kwarg_values(route, None))
    response = client.get(url)
    if response.status_code == 401:  # a bearer-token endpoint (OIDC userinfo) asks for its token
        assert response["WWW-Authenticate"].startswith("Bearer"), url
        return
    assert response.status_code in (200, 302, 405), f"GET {url} answered {response.status_code}"
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


@pytest.mark.django_db
def test_django_admin_sends_anonymous_visitors_to_its_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
