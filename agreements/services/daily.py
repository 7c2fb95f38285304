"""The daily job: dates move forward, then each alert is announced once."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kernel.notifications.services import notify

from .. import selectors
from ..models import (
    Agreement,
    AgreementParty,
    Membership,
    Obligation,
    SentAlert,
    TerminationNotice,
)
from .agreements import agreements_expire_due, terminations_apply_due
from .common import _each_committed, _party_institutions, _recipients, _save
from .memberships import _member_recipients, memberships_close_due

ENDING_WINDOWS = (90, 30, 7)
DUE_SOON_BUSINESS_DAYS = 5


def _alert_once(key) -> bool:
    """True the first time ``key`` is seen; the row makes every later run skip it."""
    if SentAlert.objects.filter(key=key).exists():
        return False
    _save(SentAlert(key=key), None)
    return True


def agreements_daily(*, today=None) -> dict:
    """The daily beat: move dates forward, then announce each event once.

    Every expiry, termination, membership end and alert commits on its own: one that fails (a
    notification that cannot be written, say) is logged and retried the next day, and neither
    undoes nor stops the others.
    """
    from kernel import calendar

    today = today or timezone.localdate()
    sent = {
        "ending": 0,
        "due_soon": 0,
        "overdue": 0,
        "officer_overdue": 0,
        "rescission_unanswered": 0,
        "membership_follow_up_overdue": 0,
    }
    agreements_expire_due(today=today)
    terminations_apply_due(today=today)
    memberships_close_due(today=today)

    alerts: list[
        tuple[str, str, Any, str, dict[str, Any], Any]
    ] = []  # (key, bucket, institutions, template, context, related)
    for agreement in Agreement.objects.filter(
        status=Agreement.Status.IN_FORCE, end_date__gte=today, end_date__lte=today + timedelta(days=max(ENDING_WINDOWS))
    ).prefetch_related("parties__institution"):
        days_left = (agreement.end_date - today).days
        window = min(w for w in ENDING_WINDOWS if days_left <= w)
        alerts.append(
            (
                f"ending:{window}:{agreement.pk}:{agreement.end_date}",
                "ending",
                _party_institutions(agreement),
                "agreement_ending",
                {"agreement": agreement, "days_left": days_left, "window": window},
                agreement,
            )
        )

    horizon = calendar.add_business_days(today, DUE_SOON_BUSINESS_DAYS)
    obligations = Obligation.objects.filter(is_active=True, agreement__status=Agreement.Status.IN_FORCE).select_related(
        "agreement", "party__institution"
    )
    # Every obligation's next due date in a fixed number of queries (not two per obligation).
    for row in selectors.obligations_with_next_due(obligations=obligations, today=today):
        obligation, period, due = row["obligation"], row["next_period"], row["next_due"]
        if due is None:
            continue
        if due < today:
            key, template, bucket = (
                f"overdue:{obligation.pk}:{period.isoformat()}",
                "agreement_obligation_overdue",
                "overdue",
            )
        elif due <= horizon:
            key, template, bucket = f"due:{obligation.pk}:{period.isoformat()}", "agreement_obligation_due", "due_soon"
        else:
            continue
        context = {"obligation": obligation, "agreement": obligation.agreement, "due": due}
        alerts.append((key, bucket, [obligation.party.institution], template, context, obligation))

    for party in AgreementParty.objects.filter(
        officer_designation_due__lt=today,
        officers__isnull=True,
        agreement__status__in=[Agreement.Status.DRAFT, Agreement.Status.IN_FORCE],
    ).select_related("agreement", "institution"):
        alerts.append(
            (
                f"officer-overdue:{party.pk}:{party.officer_designation_due}",
                "officer_overdue",
                [party.institution],
                "agreement_officer_overdue",
                {"party": party, "agreement": party.agreement},
                party,
            )
        )

    # 004 VIGÉSIMA SEGUNDA: once the answer window closes unanswered the rescission is firm; the
    # commission is told to make it final (it is not made final by the job: the commission decides).
    for notice in TerminationNotice.objects.filter(
        kind=TerminationNotice.Kind.RESCISSION,
        status=TerminationNotice.Status.PENDING,
        answer_due_on__lt=today,
        agreement__status=Agreement.Status.IN_FORCE,
    ).select_related("agreement", "notifying_party__institution"):
        alerts.append(
            (
                f"rescission-unanswered:{notice.pk}",
                "rescission_unanswered",
                [],  # the commission's administrators only
                "agreement_rescission_unanswered",
                {"notice": notice, "agreement": notice.agreement},
                notice,
            )
        )

    # 001 Cap. III.1 II: the list of people entitled to use the platform and the commitment letter
    # are due after registration; once late, the member (its administrators and responsible person)
    # and the commission are told once per membership (a later deadline does not repeat it).
    for membership in Membership.objects.filter(
        status=Membership.Status.ACCEPTED, follow_up_sent_on__isnull=True, follow_up_due__lt=today
    ).select_related("institution"):
        alerts.append(
            (
                f"membership-follow-up-overdue:{membership.pk}",
                "membership_follow_up_overdue",
                [membership.institution],
                "agreement_membership_follow_up_overdue",
                {"membership": membership},
                membership,
            )
        )

    def announce(alert):
        key, bucket, institutions, template, context, related = alert
        if not _alert_once(key):
            return False
        people = (
            _member_recipients(institutions) if bucket == "membership_follow_up_overdue" else _recipients(institutions)
        )
        notify(recipients=people, template=template, context=context, related=related)
        sent[bucket] += 1
        return True

    _each_committed("alert", alerts, announce, describe=lambda alert: alert[0])
    return sent
