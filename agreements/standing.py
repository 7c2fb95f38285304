"""An institution's standing: may it hold live accounts today, and why (derived, never stored).

The basis of access (000 OCTAVA-DÉCIMA; 001 Cap. III): a member institution may hold live
accounts while

- at least one agreement with the commission is in force: declared in force, its end date not
  passed, and no early-termination notice whose effective date has arrived (so the answer is
  right on the effective date, before the daily job moves any status);
- where it has memberships, its latest decided membership has not ended (a voluntary exit or a
  termination whose end date has arrived counts as ended), unless an agreement in force was
  signed on or after that end: a new agreement is a new basis; and
- the commission has not suspended it at once (``InstitutionSuspension``).

The commission itself always stands. ``accounts`` reads this at sign-in, in its daily job and on
its pages; this module reads only agreements' own tables.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Agreement, Institution, InstitutionSuspension, Membership, TerminationNotice

AT_RISK_DAYS = 30


@dataclass(frozen=True)
class Standing:
    """``ok``: may hold live accounts. ``code``: why not (or "ok"). ``ends_on``: first day without a
    basis when one is already known (an end date, a notice, a membership end), else None."""

    ok: bool
    code: str
    reason: str
    ends_on: date | None = None
    suspension: InstitutionSuspension | None = None

    OK = "ok"
    NO_AGREEMENT = "no_agreement"
    MEMBERSHIP_ENDED = "membership_ended"
    SUSPENDED = "suspended"

    def at_risk(self, today: date, days: int = AT_RISK_DAYS) -> bool:
        return self.ok and self.ends_on is not None and self.ends_on <= today + timedelta(days=days)


def _agreement_end(agreement: Agreement, notices: dict[int, date | None]) -> date | None:
    """First day this agreement no longer gives a basis (None: no end in view)."""
    ends = []
    if agreement.end_date is not None:
        ends.append(agreement.end_date + timedelta(days=1))
    notice_effective = notices.get(agreement.pk)
    if notice_effective is not None:
        ends.append(notice_effective)
    return min(ends) if ends else None


def _basis(institution: Institution, today: date) -> tuple[bool, date | None]:
    """Whether an agreement with the commission gives a basis today, and until when."""
    agreements = list(
        Agreement.objects.granting_access()
        .filter(parties__institution=institution)
        .filter(parties__institution__kind=Institution.Kind.COMMISSION)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .distinct()
    )
    notices = dict(
        TerminationNotice.objects.filter(
            agreement__in=[a.pk for a in agreements],
            kind=TerminationNotice.Kind.EARLY_TERMINATION,
            status=TerminationNotice.Status.PENDING,
            effective_on__isnull=False,
        ).values_list("agreement_id", "effective_on")
    )
    ends = [_agreement_end(a, notices) for a in agreements]
    ends = [e for e in ends if e is None or e > today]
    if not ends:
        return False, None
    return True, None if None in ends else max(e for e in ends if e is not None)


def _membership_end(institution: Institution, today: date) -> tuple[bool, date | None]:
    """(ended, ends_on) of the institution's latest decided membership; no membership: not ended."""
    latest = (
        Membership.objects.filter(institution=institution)
        .exclude(status__in=[Membership.Status.REQUESTED, Membership.Status.DENIED])
        .order_by("-requested_at", "-pk")
        .first()
    )
    if latest is None or latest.status == Membership.Status.ACCEPTED:
        return False, None
    if latest.status == Membership.Status.ENDED or (latest.ends_on is not None and latest.ends_on <= today):
        return True, latest.ends_on
    return False, latest.ends_on


def _new_agreement_since(institution: Institution, day: date, today: date) -> bool:
    """An agreement in force with the commission signed on or after ``day`` (a new basis)."""
    return (
        Agreement.objects.granting_access()
        .filter(parties__institution=institution)
        .filter(parties__institution__kind=Institution.Kind.COMMISSION)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(signed_on__gte=day)
        .exists()
    )


def institution_standing(*, institution: Institution, today: date | None = None) -> Standing:
    """The standing of ``institution`` today (see the module's docstring)."""
    today = today or timezone.localdate()
    if institution.is_commission:
        return Standing(ok=True, code=Standing.OK, reason=str(_("Es la Comisión.")))
    suspension = InstitutionSuspension.objects.in_effect().filter(institution=institution).first()
    if suspension is not None:
        return Standing(
            ok=False,
            code=Standing.SUSPENDED,
            reason=str(_("Suspendida de inmediato por la Comisión: %(reason)s."))
            % {"reason": suspension.get_reason_display()},
            suspension=suspension,
        )
    ended, membership_ends = _membership_end(institution, today)
    if ended and membership_ends is not None and _new_agreement_since(institution, membership_ends, today):
        ended, membership_ends = False, None
    if ended:
        return Standing(
            ok=False,
            code=Standing.MEMBERSHIP_ENDED,
            reason=str(_("Su membresía concluyó el %(date)s.")) % {"date": f"{membership_ends:%d/%m/%Y}"}
            if membership_ends
            else str(_("Su membresía concluyó.")),
            ends_on=membership_ends,
        )
    has_basis, agreement_ends = _basis(institution, today)
    if not has_basis:
        return Standing(
            ok=False, code=Standing.NO_AGREEMENT, reason=str(_("No tiene un convenio vigente con la Comisión."))
        )
    ends = [d for d in (agreement_ends, membership_ends) if d is not None]
    ends_on = min(ends) if ends else None
    if ends_on is None:
        reason = str(_("Tiene convenio vigente con la Comisión, sin fecha de término próxima."))
    else:
        reason = str(_("Tiene convenio vigente con la Comisión; su base de acceso termina el %(date)s.")) % {
            "date": f"{ends_on:%d/%m/%Y}"
        }
    return Standing(ok=True, code=Standing.OK, reason=reason, ends_on=ends_on)


def institutions_standing(*, institutions, today: date | None = None) -> list[tuple[Institution, Standing]]:
    """The standing of each institution given (member institutions usually number in the tens)."""
    today = today or timezone.localdate()
    return [(inst, institution_standing(institution=inst, today=today)) for inst in institutions]
