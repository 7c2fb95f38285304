"""Reads on institutions and agreements, always scoped to what the asking user may see."""

from collections import defaultdict

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kernel.search import search as kernel_search

from . import compliance_sources
from .models import (
    Agreement,
    AgreementParty,
    ComplianceRecord,
    Document,
    Institution,
    LinkOfficer,
    MemberNotice,
    Membership,
    Obligation,
    Signatory,
)


def institution_list(*, user, search: str = ""):
    # Acronym or legal name, accents and case aside (kernel.search).
    return kernel_search(Institution.objects.visible_to(user), search, Institution.SEARCH_FIELDS)


def agreement_list(*, user, filters=None):
    """Agreements in the user's scope, optionally through an AgreementFilter's data."""
    from .filters import AgreementFilter

    qs = Agreement.objects.visible_to(user).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("institution"))
    )
    if filters is None:
        return qs
    return AgreementFilter(filters, queryset=qs, user=user)


def agreement_get(*, user, pk) -> Agreement:
    return get_object_or_404(Agreement.objects.visible_to(user), pk=pk)


def party_get(*, user, agreement, pk, own_only=False) -> AgreementParty:
    """A party of a visible agreement; with ``own_only`` an institution user gets only its own."""
    qs = agreement.parties.select_related("institution", "agreement")
    if own_only and not user.has_platform_scope:
        qs = qs.filter(institution_id=user.institution_id)
    return get_object_or_404(qs, pk=pk)


def current_officers_of(party):
    """The party's officers in office today (the ones a deputy or a report may refer to)."""
    from django.utils import timezone

    today = timezone.localdate()
    return (
        LinkOfficer.objects.filter(party=party, effective_from__lte=today)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .order_by("role")
    )


def termination_notice_get(*, user, agreement_pk, pk):
    """(agreement, notice): a termination or rescission notice of an agreement ``user`` may see."""
    agreement = agreement_get(user=user, pk=agreement_pk)
    return agreement, get_object_or_404(agreement.termination_notices, pk=pk)


def document_get(*, user, pk) -> Document:
    return get_object_or_404(Document.objects.visible_to(user), pk=pk)


def officers_of(agreement):
    return LinkOfficer.objects.filter(party__agreement=agreement).select_related(
        "party__institution", "account", "data_letter__signed_by"
    )


def officers_not_replaced(party):
    """The party's officers in office or about to take office (their account may still change)."""
    today = timezone.localdate()
    return LinkOfficer.objects.filter(party=party).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=today)
    )


def officer_letters_of(*, user):
    """The commission officer designations linked to ``user``'s account that are not replaced or
    that have a letter: the letters for the data received the person owes or signed (000 NOVENA)."""
    today = timezone.localdate()
    return (
        LinkOfficer.objects.filter(account=user, account__isnull=False)
        .filter(party__institution__kind=Institution.Kind.COMMISSION)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today) | Q(data_letter__isnull=False))
        .select_related("party__agreement", "party__institution", "data_letter")
        .order_by("party__agreement__folio", "role", "-effective_from")
    )


def officer_letters_pending(*, user):
    """The letters ``user`` still has to sign, as commission officer (the dashboard asks for them)."""
    return officer_letters_of(user=user).filter(data_letter__isnull=True)


def officer_letter_officer_get(*, user, pk) -> LinkOfficer:
    """A designation whose letter ``user`` may sign: only their own (404 otherwise)."""
    return get_object_or_404(officer_letters_pending(user=user), pk=pk)


def obligation_get(*, user, pk) -> Obligation:
    visible = Agreement.objects.visible_to(user).values("pk")
    return get_object_or_404(
        Obligation.objects.filter(agreement__in=visible).select_related("agreement", "party__institution"), pk=pk
    )


def obligations_with_next_due(*, obligations, today=None):
    """Each obligation with its earliest unfulfilled period, in a fixed number of queries.

    The delivered periods of all obligations are read at once and the commission's non-working
    days once for every schedule (not once per obligation).
    """
    from . import rules

    today = today or timezone.localdate()
    obligations = list(obligations)
    if not obligations:
        return []
    done = defaultdict(set)
    ids = [o.pk for o in obligations]
    records = ComplianceRecord.objects.filter(obligation__in=ids)
    for obligation_id, period in records.values_list("obligation_id", "period_start"):
        done[obligation_id].add(period)
    computed = compliance_sources.computed_ids(Obligation.objects.filter(pk__in=ids))
    for obligation_id, period in compliance_sources.done_periods(computed):
        done[obligation_id].add(period)
    first = min(min(o.starts_on, o.due_on or o.starts_on) for o in obligations)
    last = max(today, *(o.starts_on for o in obligations), *(o.due_on for o in obligations if o.due_on))
    cal = rules.calendar_for(first=first, until=last)  # one load of the extra days for every schedule
    rows = []
    for obligation in obligations:
        found = rules.obligation_next_due(obligation, done=done[obligation.pk], today=today, cal=cal)
        rows.append(
            {
                "obligation": obligation,
                "next_period": found[0] if found else None,
                "next_due": found[1] if found else None,
                "overdue": bool(found and found[1] < today),
                # Its marks are computed (e.g. from validated data deliveries), not typed by hand.
                "computed": obligation.pk in computed,
            }
        )
    return rows


def compliance_records(*, user, agreement=None):
    visible = Agreement.objects.visible_to(user).values("pk")
    qs = ComplianceRecord.objects.filter(obligation__agreement__in=visible).select_related(
        "obligation__agreement", "obligation__party__institution", "evidence"
    )
    if agreement is not None:
        qs = qs.filter(obligation__agreement=agreement)
    return qs


def compliance_table(*, user, agreement=None):
    """Per-institution (and per-agreement when given) totals of the three evaluation marks: typed
    by hand for most obligations, computed by a registered source for the ones it covers (supply's
    evaluation of data deliveries replaces the hand-typed marks of those)."""
    table: defaultdict[tuple, dict[str, int]] = defaultdict(
        lambda: {"records": 0, "supply": 0, "timeliness": 0, "quality": 0}
    )
    records = compliance_records(user=user, agreement=agreement)
    computed = compliance_sources.computed_ids(Obligation.objects.filter(pk__in=records.values("obligation")))
    marks = [
        (r.obligation.party.institution, r.obligation.agreement, r.supply_ok, r.timeliness_ok, r.quality_ok)
        for r in records.exclude(obligation__in=computed)
    ]
    for source in compliance_sources.sources():
        marks.extend(
            (m.institution, m.agreement, m.supply, m.timeliness, m.quality)
            for m in source.marks(user=user, agreement=agreement)
        )
    for institution, agr, supply_ok, timeliness_ok, quality_ok in marks:
        row = table[(institution, agr)]
        row["records"] += 1
        row["supply"] += supply_ok
        row["timeliness"] += timeliness_ok
        row["quality"] += quality_ok
    rows = []
    for (institution, agr), row in sorted(table.items(), key=lambda kv: (kv[0][0].acronym, kv[0][1].folio)):
        n = row["records"]
        rows.append(
            {
                "institution": institution,
                "agreement": agr,
                **row,
                "supply_pct": round(100 * row["supply"] / n),
                "timeliness_pct": round(100 * row["timeliness"] / n),
                "quality_pct": round(100 * row["quality"] / n),
            }
        )
    return rows


def signatory_list(*, user):
    return Signatory.objects.visible_to(user).select_related("institution", "specimen")


def signatory_get(*, user, pk) -> Signatory:
    return get_object_or_404(signatory_list(user=user), pk=pk)


def membership_list(*, user):
    return Membership.objects.visible_to(user).select_related("institution")


def membership_get(*, user, pk) -> Membership:
    return get_object_or_404(membership_list(user=user), pk=pk)


def member_notice_list(*, user):
    if not user.is_authenticated:
        return MemberNotice.objects.none()
    return MemberNotice.objects.all()  # notices go to every member institution


def agreement_dashboard(*, user, today=None):
    """Figures for the dashboards: agreements in force, the ones expiring soon, overdue designations."""
    from datetime import timedelta

    today = today or timezone.localdate()
    visible = Agreement.objects.visible_to(user)
    in_force = visible.filter(status=Agreement.Status.IN_FORCE)
    expiring = in_force.filter(
        end_date__gte=today, end_date__lte=today + timedelta(days=Agreement.EXPIRING_SOON_DAYS)
    ).order_by("end_date")
    overdue_parties = AgreementParty.objects.filter(
        agreement__in=visible.values("pk"),
        officer_designation_due__lt=today,
        officers__isnull=True,
        agreement__status__in=[Agreement.Status.DRAFT, Agreement.Status.IN_FORCE],
    )
    return {
        "agreements_in_force": in_force.count(),
        "agreements_expiring": list(expiring[:5]),
        "agreements_expiring_count": expiring.count(),
        "officer_designations_overdue": overdue_parties.count(),
        "signatories_pending": Signatory.objects.visible_to(user).filter(status=Signatory.Status.SUBMITTED).count(),
    }


def obligation_due_dates(*, user, today=None):
    """Next due date of every active obligation of in-force agreements in the user's scope.

    Institution profiles get the obligations their own institution owes; platform profiles all.
    Obligations with nothing left to deliver are left out. A fixed number of queries.
    """
    obligations = Obligation.objects.filter(
        agreement__in=Agreement.objects.visible_to(user).values("pk"),
        agreement__status=Agreement.Status.IN_FORCE,
        is_active=True,
    ).select_related("agreement", "party__institution")
    if not user.has_platform_scope:
        obligations = obligations.filter(party__institution_id=user.institution_id)
    rows = obligations_with_next_due(obligations=obligations, today=today)
    return [row for row in rows if row["next_due"] is not None]
