"""Who is told about an institution's affairs: a hook the app that holds people fills in.

The layers below accounts (agreements, the kernel) address people by role without importing
accounts: ``accounts`` registers its selectors at start-up (``AccountsConfig.ready``) and callers
ask ``commission_admins()`` or ``institution_admins(institutions)``. Nothing registered is a
configuration error, raised on the first call, never an empty list of recipients.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

CommissionAdmins = Callable[[], Iterable[Any]]
InstitutionAdmins = Callable[..., Iterable[Any]]  # called as resolver(institution=...)

_resolvers: dict[str, Callable[..., Iterable[Any]]] = {}


def register(*, commission_admins: CommissionAdmins, institution_admins: InstitutionAdmins) -> None:
    """Install the resolvers (one set per process; a second call replaces the first)."""
    _resolvers["commission_admins"] = commission_admins
    _resolvers["institution_admins"] = institution_admins


def _resolver(name: str) -> Callable[..., Iterable[Any]]:
    try:
        return _resolvers[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No notification recipients resolver for {name!r}: the accounts app registers one in its "
            "AppConfig.ready() (is it in INSTALLED_APPS?)"
        ) from None


def commission_admins() -> list[Any]:
    """Live commission administrators."""
    return list(_resolver("commission_admins")())


def institution_admins(institutions: Iterable[Any]) -> list[Any]:
    """Live administrators of each of ``institutions``, each person once, in the institutions' order."""
    resolve = _resolver("institution_admins")
    people: dict[Any, Any] = {}
    for institution in institutions:
        for user in resolve(institution=institution):
            people.setdefault(user.pk, user)
    return list(people.values())
