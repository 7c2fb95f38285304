"""Reads about accounts and their institution's basis of access (issue 15), always scoped."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.models import Institution, InstitutionSuspension
from agreements.standing import AT_RISK_DAYS, institution_standing

from .models import User


def institution_get(*, user, pk) -> Institution:
    """An institution the user may see (404 otherwise: no existence disclosure). Its page is
    the commission's or its own administrators' and staff's: an 'assigned' profile reaches only the
    objects granted to it one by one, never its institution's page."""
    if not (user.has_platform_scope or user.has_institution_scope):
        raise Http404
    return get_object_or_404(Institution.objects.visible_to(user), pk=pk)


def institution_page(*, user, institution, today=None) -> dict:
    """What the institution's page shows: its standing and the accounts it concerns."""
    today = today or timezone.localdate()
    standing = institution_standing(institution=institution, today=today)
    accounts = User.objects.filter(institution=institution)
    counts = accounts.aggregate(
        live=Count("pk", filter=Q(status__in=User.LIVE_STATUSES)),
        no_basis=Count("pk", filter=Q(status=User.Status.SUSPENDED, suspended_for=User.SuspendedFor.NO_BASIS)),
        member_suspended=Count(
            "pk", filter=Q(status=User.Status.SUSPENDED, suspended_for=User.SuspendedFor.MEMBER_SUSPENDED)
        ),
    )
    return {
        "institution": institution,
        "standing": standing,
        "at_risk": standing.at_risk(today),
        "counts": counts,
        "suspensions": InstitutionSuspension.objects.visible_to(user).filter(institution=institution)[:10],
    }


def accounts_at_risk(*, user, today=None, days: int = AT_RISK_DAYS) -> list[dict]:
    """Commission only: institutions with live accounts whose basis ends within ``days`` days, or
    has already ended (the daily job has not run yet), soonest first."""
    if not user.has_platform_scope:
        return []
    today = today or timezone.localdate()
    rows = []
    institutions = (
        Institution.objects.visible_to(user)
        .filter(kind=Institution.Kind.MEMBER)
        .annotate(live=Count("users", filter=Q(users__status__in=User.LIVE_STATUSES)))
        .filter(live__gt=0)
        .order_by("acronym")
    )
    for institution in institutions:
        standing = institution_standing(institution=institution, today=today)
        if standing.ok and not standing.at_risk(today, days):
            continue
        rows.append({"institution": institution, "standing": standing, "live": institution.live})
    return sorted(rows, key=lambda r: (r["standing"].ok, r["standing"].ends_on or today))
