"""Writes of access reviews: open a campaign, answer its items, remind, close and apply.

Decisions follow the recertification practice of Microsoft Entra access reviews and SailPoint
certifications: every live account of an institution is put to its administrators; an answer is
"confirm" or "revoke" (with a reason); at the due date the default decision for no answer is
applied (the account is suspended) and revocations take effect (the account is cancelled).
An answer arriving after the due date is refused: the account stays as the close left it and comes
back only through a reactivation request to the commission.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import commission_admins, institution_admins
from accounts.services_review_outcomes import account_cancel_revoked, account_suspend_unconfirmed
from agreements.models import Institution
from kernel.calendar import add_business_days
from kernel.notifications.services import notify
from kernel.writes import business_event, save_as

from . import selectors
from .models import ReviewCampaign, ReviewItem

Decision = ReviewItem.Decision
MAX_BUSINESS_DAYS = 60


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def can_open(actor) -> bool:
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.has_platform_scope
        and actor.has_perm("access_reviews.add_reviewcampaign")
    )


def _clean_reminders(reminder_days: Iterable[int], business_days: int) -> list[int]:
    days = sorted({int(d) for d in reminder_days}, reverse=True)
    if any(d < 1 or d >= business_days for d in days):
        raise ValidationError(
            _("Cada recordatorio debe caer entre 1 y %(max)s días hábiles antes de la fecha límite.")
            % {"max": business_days - 1},
            code="reminder_out_of_range",
        )
    return days


@transaction.atomic
def campaign_open(
    *,
    actor,
    name: str,
    business_days: int,
    reminder_days: Iterable[int] = (),
    institutions: Iterable[Institution] | None = None,
    today: date | None = None,
) -> ReviewCampaign:
    """Open a campaign over the member institutions given (``None``: all of them), one item per
    live account; the due date is ``business_days`` business days from today. Tells each
    institution's administrators."""
    if not can_open(actor):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Escriba el nombre de la revisión."), code="name_required")
    if not 1 <= business_days <= MAX_BUSINESS_DAYS:
        raise ValidationError(
            _("El plazo debe ser de 1 a %(max)s días hábiles.") % {"max": MAX_BUSINESS_DAYS}, code="bad_term"
        )
    reminders = _clean_reminders(reminder_days, business_days)
    today = _today(today)
    chosen = None if institutions is None else list(institutions)
    scope = Institution.objects.filter(kind=Institution.Kind.MEMBER)
    if chosen is not None:
        if not chosen:
            raise ValidationError(_("Elija al menos una institución."), code="no_institutions")
        scope = scope.filter(pk__in=[i.pk for i in chosen])
    accounts = list(
        User.objects.filter(institution__in=scope, status__in=User.LIVE_STATUSES)
        .select_related("institution")
        .order_by("pk")
    )
    if not accounts:
        raise ValidationError(_("Las instituciones elegidas no tienen cuentas vigentes."), code="nothing_to_review")
    campaign = ReviewCampaign(
        name=name,
        opened_by=actor,
        opened_on=today,
        due_on=add_business_days(today, business_days),
        business_days=business_days,
        reminder_days=reminders,
        all_institutions=chosen is None,
        dormant_days=selectors.dormant_days(),
    )
    save_as(campaign, actor)
    if chosen is not None:
        campaign.institutions.set(chosen)
    dormant = set(
        User.objects.filter(pk__in=[u.pk for u in accounts])
        .filter(selectors.dormant_filter())
        .values_list("pk", flat=True)
    )
    for account in accounts:  # one save each: every item has its history row
        save_as(
            ReviewItem(
                campaign=campaign,
                institution=account.institution,
                user=account,
                last_login_at=account.last_login,
                dormant=account.pk in dormant,
            ),
            actor,
        )
    covered = sorted({a.institution_id for a in accounts})
    business_event(
        "review_campaign_opened",
        actor=actor,
        target=campaign,
        due_on=campaign.due_on,
        items=len(accounts),
        institutions=len(covered),
    )
    for institution in Institution.objects.filter(pk__in=covered):
        _tell_admins(campaign, institution, "access_review_opened")
    return campaign


def _tell_admins(campaign, institution, template, **context) -> int:
    admins = list(institution_admins(institution=institution))
    if admins:
        pending = campaign.items.filter(institution=institution, decision=Decision.PENDING).count()
        notify(
            recipients=admins,
            template=template,
            context={"campaign": campaign, "institution": institution, "pending": pending, **context},
            related=campaign,
        )
    return len(admins)


def _late_message(campaign) -> str:
    return _(
        "La revisión «%(name)s» venció el %(due)s y ya no recibe respuestas. Una cuenta no ratificada "
        "queda suspendida; para recuperarla, solicite su reactivación a la Comisión."
    ) % {"name": campaign.name, "due": campaign.due_on.strftime("%d/%m/%Y")}


def _refuse_if_late(actor, item, today) -> None:
    """Outside the answer's transaction, so the refusal stays in the history log."""
    item = (
        ReviewItem.objects.visible_to(actor)
        .select_related("campaign", "user", "institution")
        .filter(pk=item.pk)
        .first()
    )
    if item is None:
        raise PermissionDenied
    campaign = item.campaign
    if not campaign.accepts_answers(today):
        business_event(
            "review_late_answer_refused",
            actor=actor,
            target=item.user,
            institution=item.institution,
            campaign=campaign.name,
            due_on=campaign.due_on,
        )
        raise ValidationError(_late_message(campaign), code="late")


def _locked_answerable(actor, item, today):
    item = ReviewItem.objects.select_for_update().select_related("campaign", "user").get(pk=item.pk)
    if not ReviewItem.objects.visible_to(actor).filter(pk=item.pk).exists():
        raise PermissionDenied
    if not actor.has_perm("access_reviews.change_reviewitem"):
        raise PermissionDenied
    if item.user_id == actor.pk:
        raise ValidationError(
            _("Nadie ratifica ni revoca su propia cuenta: la responde otra persona administradora."), code="self"
        )
    if not item.campaign.accepts_answers(today):
        raise ValidationError(_late_message(item.campaign), code="late")
    return item


def item_confirm(*, actor, item: ReviewItem, today: date | None = None) -> ReviewItem:
    """Confirm one account: it stays live after the campaign."""
    today = _today(today)
    _refuse_if_late(actor, item, today)
    with transaction.atomic():
        return _confirm(actor, item, today)


def _confirm(actor, item, today):
    item = _locked_answerable(actor, item, today)
    if item.decision == Decision.CONFIRMED:
        return item
    item.confirm(by=actor)
    save_as(item, actor)
    business_event(
        "review_item_confirmed",
        actor=actor,
        target=item.user,
        institution=item.institution,
        campaign=item.campaign.name,
    )
    return item


def items_confirm(*, actor, items: Iterable[ReviewItem], today: date | None = None) -> int:
    """Confirm several items at once, all or none (each checked and logged as if confirmed alone)."""
    today = _today(today)
    items = list(items)
    for item in items:
        _refuse_if_late(actor, item, today)
    with transaction.atomic():
        for item in items:
            _confirm(actor, item, today)
    return len(items)


def item_revoke(*, actor, item: ReviewItem, reason: str, today: date | None = None) -> ReviewItem:
    """Revoke one account with a reason: it is cancelled when the campaign closes."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indique el motivo de la revocación."), code="reason_required")
    today = _today(today)
    _refuse_if_late(actor, item, today)
    with transaction.atomic():
        return _revoke(actor, item, reason, today)


def _revoke(actor, item, reason, today):
    item = _locked_answerable(actor, item, today)
    item.revoke(by=actor, reason=reason)
    save_as(item, actor)
    business_event(
        "review_item_revoked",
        actor=actor,
        target=item.user,
        institution=item.institution,
        campaign=item.campaign.name,
        reason=reason,
    )
    return item


@transaction.atomic
def campaign_close(*, campaign: ReviewCampaign, today: date | None = None) -> ReviewCampaign:
    """Apply the campaign's decisions once its due date has passed (the system acts): accounts
    nobody confirmed are suspended, revoked ones cancelled. Idempotent: a closed campaign is left."""
    campaign = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.can_close or _today(today) <= campaign.due_on:
        return campaign
    counts = {"confirmed": 0, "revoked": 0, "suspended": 0}
    for item in campaign.items.select_related("user").order_by("pk"):
        if item.decision == Decision.PENDING:
            item.expire()
            save_as(item, None)
            account_suspend_unconfirmed(user=item.user, campaign=campaign.name)
            counts["suspended"] += 1
        elif item.decision == Decision.REVOKED:
            item.applied_at = timezone.now()
            save_as(item, None)
            account_cancel_revoked(user=item.user, campaign=campaign.name, reason=item.reason)
            counts["revoked"] += 1
        elif item.decision == Decision.CONFIRMED:
            counts["confirmed"] += 1
    campaign.close()
    save_as(campaign, None)
    business_event("review_campaign_closed", actor=None, target=campaign, **counts)
    institutions = Institution.objects.filter(pk__in=campaign.items.values("institution_id"))
    for institution in institutions:
        _tell_admins(campaign, institution, "access_review_closed")
    recipients = list(commission_admins())
    if recipients:
        notify(
            recipients=recipients,
            template="access_review_closed",
            context={"campaign": campaign, "institution": None, "pending": 0},
            related=campaign,
        )
    return campaign


@transaction.atomic
def campaign_remind(*, campaign: ReviewCampaign, today: date | None = None) -> int:
    """Send each reminder whose day has come (business days before the due date) once, to the
    administrators of institutions with unanswered accounts. Returns how many reminders went out."""
    campaign = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
    today = _today(today)
    if not campaign.accepts_answers(today):
        return 0
    sent = 0
    due_reminders = [
        d
        for d in campaign.reminder_days
        if d not in campaign.reminders_sent and add_business_days(campaign.due_on, -d) <= today
    ]
    if not due_reminders:
        return 0
    days = min(due_reminders)  # one message a day, the nearest reminder; earlier ones are spent
    pending = campaign.items.filter(decision=Decision.PENDING)
    for institution in Institution.objects.filter(pk__in=pending.values("institution_id")):
        sent += _tell_admins(campaign, institution, "access_review_reminder", days_before=days)
    campaign.reminders_sent = sorted({*campaign.reminders_sent, *due_reminders}, reverse=True)
    save_as(campaign, None, update_fields=["reminders_sent"])
    business_event("review_reminder_sent", actor=None, target=campaign, days_before=days, pending=pending.count())
    return sent


def access_reviews_daily(*, today: date | None = None) -> dict[str, int]:
    """The daily job: reminders for open campaigns, then close the campaigns past their due date."""
    today = _today(today)
    reminded = closed = 0
    for campaign in ReviewCampaign.objects.filter(status=ReviewCampaign.Status.OPEN).order_by("pk"):
        if today > campaign.due_on:
            campaign_close(campaign=campaign, today=today)
            closed += 1
        else:
            reminded += campaign_remind(campaign=campaign, today=today)
    return {"reminded": reminded, "closed": closed}
