"""Every route for every built-in profile, checked against the capability table.

The expected answer is derived, not listed: a route's declared rule (kernel.access) and the
permissions the capability table (accounts/capabilities.py) gives the profile decide whether
the profile may use it. Allowed: the page answers (no 403/404/5xx); refused: 403 for GET and POST.
So a route added by any feature is covered as soon as it exists, and a view that forgets its
permission, or checks another one than it declares, fails here.
"""

import pytest
from django.contrib.auth.models import Permission

from accounts.capabilities import BUILTIN_PROFILES, PORTAL_APPS, permission_names
from accounts.models import Profile
from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import CommissionFactory, InstitutionFactory
from kernel.access import PUBLIC, SIGNED_IN

from .routes import kwarg_values, portal_routes

pytestmark = pytest.mark.django_db

ROUTES = [r for r in portal_routes() if r.access_rule != PUBLIC]


def capability_permissions(code):
    every = [
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).values_list(
            "content_type__app_label", "codename"
        )
    ]
    return permission_names(BUILTIN_PROFILES[code]["permissions"], every)


def expected_allowed(route, granted):
    rule = route.access_rule
    assert rule is not None, f"{route.name} declares no access rule"
    if rule == SIGNED_IN:
        return True
    return set(rule) <= granted


@pytest.fixture
def member():
    return InstitutionFactory()


def user_for(code, member):
    spec = BUILTIN_PROFILES[code]
    institution = CommissionFactory() if spec["scope"] == Profile.Scope.PLATFORM else member
    return UserFactory(profile=profile(code), institution=institution)


@pytest.mark.parametrize("code", list(BUILTIN_PROFILES))
def test_every_route_answers_each_builtin_profile_as_the_capability_table_says(client, member, code):
    user = user_for(code, member)
    granted = capability_permissions(code)
    # The group really holds what the table says (the data migration and the sync applied it).
    assert {f"{p.content_type.app_label}.{p.codename}" for p in user.profile.group.permissions.all()} == granted
    wrong = []
    for route in ROUTES:
        url = route.url(kwarg_values(route, user.institution))
        client.force_login(user)
        allowed = expected_allowed(route, granted)
        status = client.get(url).status_code
        if allowed and (status in (403, 404) or status >= 500):
            wrong.append(f"GET {route.name} {url}: {status}, expected access")
        if not allowed:
            if status != 403:
                wrong.append(f"GET {route.name} {url}: {status}, expected 403")
            status = client.post(url, {"name": "x", "scope": "platform", "profile": "1"}).status_code
            if status != 403:
                wrong.append(f"POST {route.name} {url}: {status}, expected 403")
    assert wrong == []


@pytest.mark.parametrize("code", list(BUILTIN_PROFILES))
def test_no_builtin_profile_reaches_djangos_technical_admin(client, member, code):
    client.force_login(user_for(code, member))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_route_the_capability_table_does_not_grant_is_refused_even_with_a_signed_in_user(client, member):
    """The derivation itself can fail: an analyst is refused the profile catalog."""
    analyst = user_for("analyst", member)
    assert "accounts.view_profile" not in capability_permissions("analyst")
    client.force_login(analyst)
    assert client.get("/perfiles/").status_code == 403
