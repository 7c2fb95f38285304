"""What the route and isolation tests need to know about each app: one entry per URL kwarg and per
tenant-owned model. A new route whose kwarg is not here, or a new tenant-owned model without a
factory here, makes ``test_url_access``, ``test_profile_matrix`` or ``test_isolation`` fail with a
message naming what to add. Keep entries small: a factory call with the institution to own it.

- ``URL_KWARGS[name] = Kwarg(make, model)``: ``make(institution)`` returns the kwarg's value for
  an object owned by ``institution`` (or any valid value); ``model`` is the tenant-owned model
  the kwarg designates, or None when the object belongs to no tenant (e.g. a catalog entry).
- ``TENANT_MODELS[label] = Tenant(make, marker)``: ``make(institution, tag)`` creates a row owned
  by ``institution``; ``marker(obj)`` is a text a page would show for it (must contain ``tag``
  somewhere unique enough not to appear by chance).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kwarg:
    make: Callable[[Any], Any]
    model: str | None = None  # "app_label.Model" when the object is tenant-owned


@dataclass(frozen=True)
class Tenant:
    make: Callable[[Any, str], Any]
    marker: Callable[[Any], str]


def unique_tag(prefix="t"):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


# --- accounts ------------------------------------------------------------------------------


def _custom_profile(institution):
    from accounts.models import Profile
    from accounts.services import profile_create

    return profile_create(
        actor=None,
        code=unique_tag("perfil_"),
        name=unique_tag("Perfil de prueba "),
        scope=Profile.Scope.INSTITUTION,
        permissions=[],
    ).pk


def _user(institution, tag=None):
    from accounts.tests.factories import UserFactory

    tag = tag or unique_tag("u")
    return UserFactory(institution=institution, username=tag, given_names=f"Persona {tag}")


URL_KWARGS: dict[str, Kwarg] = {
    # Django's password reset link (public routes only).
    "uidb64": Kwarg(lambda institution: "MQ"),
    "token": Kwarg(lambda institution: "set-password"),
    "profile_pk": Kwarg(_custom_profile),
    "user_pk": Kwarg(lambda institution: _user(institution).pk, model="accounts.User"),
}

TENANT_MODELS: dict[str, Tenant] = {
    "accounts.User": Tenant(make=lambda institution, tag: _user(institution, tag), marker=lambda obj: obj.username),
    # The tenant itself: a member sees only its own institution.
    "agreements.Institution": Tenant(make=lambda institution, tag: institution, marker=lambda obj: obj.legal_name),
}
