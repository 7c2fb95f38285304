"""Reads of the systems catalog and of granted systems, scoped."""

from django.db.models import QuerySet

from ..models import System, SystemGrant


def system_list(*, user) -> QuerySet[System]:
    """The catalog is the commission's: only holders of ``accounts.view_system`` read it."""
    if not user.has_perm("accounts.view_system"):
        return System.objects.none()
    return System.objects.select_related("application").prefetch_related("profiles")


def system_get(*, user, pk: int) -> System:
    return system_list(user=user).get(pk=pk)


def system_choices() -> QuerySet[System]:
    """Active systems an institution may name in a request."""
    return System.objects.filter(is_active=True)


def grants_of(*, user, account) -> QuerySet[SystemGrant]:
    return SystemGrant.objects.visible_to(user).filter(user=account).select_related("system")
