"""Reads of access reviews, always scoped to the reader."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from .models import ReviewCampaign, ReviewItem

Decision = ReviewItem.Decision


def dormant_days() -> int:
    return int(getattr(settings, "PORTAL_DORMANT_DAYS", 90))


def dormant_since(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=dormant_days())


def dormant_filter(now: datetime | None = None) -> Q:
    """Live accounts with no sign-in in the last N days (never signed in: counted from the account's
    creation, so a new account is not dormant on its first day)."""
    since = dormant_since(now)
    return Q(last_login__lt=since) | Q(last_login__isnull=True, date_joined__lt=since)


def dormant_accounts(*, user) -> QuerySet[User]:
    """Live accounts in ``user``'s scope that nobody has used in the last N days."""
    return (
        User.objects.visible_to(user)
        .filter(status__in=User.LIVE_STATUSES)
        .filter(dormant_filter())
        .select_related("institution", "profile")
        .order_by("last_login", "paternal_surname", "pk")
    )


def campaign_list(*, user) -> QuerySet[ReviewCampaign]:
    return ReviewCampaign.objects.visible_to(user).select_related("opened_by")


def campaign_get(*, user, pk) -> ReviewCampaign:
    """The campaign if ``user`` sees it (ReviewCampaign.DoesNotExist otherwise: a 404)."""
    return campaign_list(user=user).get(pk=pk)


def item_list(*, user, campaign, search: str = "", decision: str = "", dormant: bool = False):
    qs = ReviewItem.objects.visible_to(user).filter(campaign=campaign).select_related("user__profile", "institution")
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(user__username__icontains=search)
            | Q(user__given_names__icontains=search)
            | Q(user__paternal_surname__icontains=search)
            | Q(user__maternal_surname__icontains=search)
            | Q(user__email__icontains=search)
        )
    if decision in Decision.values:
        qs = qs.filter(decision=decision)
    if dormant:
        qs = qs.filter(dormant=True)
    return qs  # the campaign's view sorts by the column chosen (kernel.web)


def item_get(*, user, pk) -> ReviewItem:
    return ReviewItem.objects.visible_to(user).select_related("campaign", "user", "institution").get(pk=pk)


@dataclass
class InstitutionReport:
    institution_id: int
    acronym: str
    legal_name: str
    total: int
    pending: int
    confirmed: int
    revoked: int
    unconfirmed: int
    dormant: int

    @property
    def answered(self) -> int:
        return self.confirmed + self.revoked

    @property
    def completion(self) -> int:
        """Percentage of the accounts answered (confirmed or revoked)."""
        return round(100 * self.answered / self.total) if self.total else 100


def campaign_report(*, user, campaign) -> list[InstitutionReport]:
    """One row per institution of the campaign that ``user`` sees: completion and each decision."""
    rows = (
        ReviewItem.objects.visible_to(user)
        .filter(campaign=campaign)
        .values("institution_id", "institution__acronym", "institution__legal_name")
        .annotate(
            total=Count("pk"),
            pending=Count("pk", filter=Q(decision=Decision.PENDING)),
            confirmed=Count("pk", filter=Q(decision=Decision.CONFIRMED)),
            revoked=Count("pk", filter=Q(decision=Decision.REVOKED)),
            unconfirmed=Count("pk", filter=Q(decision=Decision.UNCONFIRMED)),
            dormant=Count("pk", filter=Q(dormant=True)),
        )
        .order_by("institution__acronym")
    )
    return [
        InstitutionReport(
            institution_id=r["institution_id"],
            acronym=r["institution__acronym"],
            legal_name=r["institution__legal_name"],
            total=r["total"],
            pending=r["pending"],
            confirmed=r["confirmed"],
            revoked=r["revoked"],
            unconfirmed=r["unconfirmed"],
            dormant=r["dormant"],
        )
        for r in rows
    ]


def open_items_for(*, user) -> QuerySet[ReviewItem]:
    """Items still waiting for an answer in open campaigns, in ``user``'s scope (dashboard)."""
    return ReviewItem.objects.visible_to(user).filter(
        campaign__status=ReviewCampaign.Status.OPEN, decision=Decision.PENDING
    )
