"""Accounts follow their institution's basis of access (000 OCTAVA-DÉCIMA; 001 Cap. III).

The standing itself is derived in ``agreements.standing``. Here are its effects on people:

- ``accounts_basis_enforce`` (daily, and safe to run at any time): every live account of an
  institution without a basis is suspended "sin convenio vigente" (or "institución suspendida"),
  its sessions end, its open account requests are closed; administrators and the commission are
  told through the outbox. Sign-in checks the standing by itself (``accounts.lockout``), so
  nobody signs in between the effective date and the job.
- ``accounts_reinstate``: once a new or renewed agreement is in force, a commission administrator
  reinstates, in one reviewed action, the accounts suspended for that reason (and only those).
- ``member_suspend`` / ``member_suspension_lift``: the commission suspends a member at once
  (001, Cap. III.4 III; Cap. II.2 XIV); lifting restores exactly the accounts it blocked.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import services as agreement_services
from agreements.models import Institution, InstitutionSuspension
from agreements.standing import Standing, institution_standing
from audit import services as audit
from kernel.notifications.services import notify

from .models import AccountRequest, User
from .selectors import commission_admins, institution_admins
from .services import can_reactivate, reactivated_status
from .sessions import end_user_sessions

NO_BASIS_REASON = "sin convenio vigente"
SUSPENDED_REASON = "institución suspendida por la Comisión"


def cause_for(standing: Standing) -> str:
    if standing.code == Standing.SUSPENDED:
        return User.SuspendedFor.MEMBER_SUSPENDED
    return User.SuspendedFor.NO_BASIS


def _reason_text(cause: str) -> str:
    return SUSPENDED_REASON if cause == User.SuspendedFor.MEMBER_SUSPENDED else NO_BASIS_REASON


@dataclass
class BasisEffect:
    institution: Institution
    suspended: list[User]
    requests_closed: list[AccountRequest]


def _suspend_all(*, institution, cause, actor, standing) -> BasisEffect:
    """Suspend every live account of ``institution`` for ``cause``; close its open requests.

    Runs in the caller's transaction. Tells the institution's administrators (read before they
    are suspended themselves) and the commission's, once, when something was done.
    """
    reason = _reason_text(cause)
    admins = list(institution_admins(institution=institution))
    suspended = []
    for user in User.objects.select_for_update().filter(institution=institution, status__in=User.LIVE_STATUSES):
        user.suspend(cause=cause)
        user._history_user = actor
        user._change_reason = reason
        user.save(update_fields=["status", "status_changed_at"])
        ended = end_user_sessions(user=user)
        audit.record_event(
            category="auth",
            action="suspension",
            actor=actor,
            username=user.username,
            institution=institution,
            target=user,
            detail={"reason": cause, "logins_ended": ended},
        )
        suspended.append(user)
    closed = []
    for req in AccountRequest.objects.select_for_update().filter(
        institution=institution, status__in=AccountRequest.OPEN_STATUSES
    ):
        req.close_without_basis(reason=reason)
        setattr(req, "_history_user", actor)  # noqa: B010 (the history log's author; None: the system)
        req.save()
        audit.record_event(
            category="business",
            action="account_request_closed",
            actor=actor,
            institution=institution,
            target=req,
            detail={"reason": cause},
        )
        closed.append(req)
    if suspended or closed:
        institution_page = reverse("accounts:institution_detail", args=[institution.pk])
        suspended_ids = {u.pk for u in suspended}
        people = {u.pk: u for u in commission_admins()}
        for admin in admins:
            people.setdefault(admin.pk, admin)
        notify(
            recipients=list(people.values()),
            template="institution_basis_ended",
            context={
                "institution": institution,
                "standing_reason": standing.reason,
                "reason": reason,
                "suspended": len(suspended),
                "requests_closed": len(closed),
            },
            related=institution,
            # The institution's own administrators were just suspended and cannot sign in: the
            # sign-in page says why. The commission's administrators open the institution's page.
            link=lambda reader: reverse("login") if reader.pk in suspended_ids else institution_page,
        )
    return BasisEffect(institution=institution, suspended=suspended, requests_closed=closed)


def accounts_basis_enforce(*, today=None) -> dict:
    """System (daily): suspend the live accounts of every institution without a basis today.

    Each institution commits on its own; running it twice does nothing the second time.
    """
    today = today or timezone.localdate()
    counts = {"institutions": 0, "suspended": 0, "requests_closed": 0}
    institutions = Institution.objects.filter(kind=Institution.Kind.MEMBER).filter(
        pk__in=User.objects.filter(status__in=User.LIVE_STATUSES).values("institution")
    ) | Institution.objects.filter(
        kind=Institution.Kind.MEMBER,
        pk__in=AccountRequest.objects.filter(status__in=AccountRequest.OPEN_STATUSES).values("institution"),
    )
    for institution in institutions.distinct().order_by("pk"):
        standing = institution_standing(institution=institution, today=today)
        if standing.ok:
            continue
        with transaction.atomic():
            effect = _suspend_all(institution=institution, cause=cause_for(standing), actor=None, standing=standing)
        if effect.suspended or effect.requests_closed:
            counts["institutions"] += 1
            counts["suspended"] += len(effect.suspended)
            counts["requests_closed"] += len(effect.requests_closed)
    return counts


# --- Reinstatement after a new agreement ------------------------------------------------------


def reinstatement_candidates(*, institution):
    """Accounts of ``institution`` suspended because it had no agreement in force."""
    return User.objects.filter(
        institution=institution, status=User.Status.SUSPENDED, suspended_for=User.SuspendedFor.NO_BASIS
    ).order_by("paternal_surname", "maternal_surname", "given_names", "pk")


def _restore(user, *, actor, reason, cause):
    user.reactivate(to=reactivated_status(user))
    user._history_user = actor
    user._change_reason = reason[:100]
    user.save(update_fields=["status", "status_changed_at"])
    audit.record_event(
        category="auth",
        action="reactivation",
        actor=actor,
        username=user.username,
        institution=user.institution,
        target=user,
        detail={"reason": reason, "previous_status": User.Status.SUSPENDED, "status": user.status, "by": cause},
    )


@transaction.atomic
def accounts_reinstate(*, institution, actor, user_ids, today=None) -> list[User]:
    """Reinstate the confirmed accounts of ``institution`` suspended "sin convenio vigente".

    Only a commission administrator, only while the institution stands again (a new or renewed
    agreement in force), and only accounts suspended for that reason: any other id is ignored.
    """
    if not can_reactivate(actor):
        raise PermissionDenied
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    standing = institution_standing(institution=institution, today=today)
    if not standing.ok:
        raise ValidationError(
            _("No se pueden reinstalar las cuentas: %(reason)s") % {"reason": standing.reason}, code="no_basis"
        )
    ids = {int(pk) for pk in user_ids}
    if not ids:
        raise ValidationError(_("Marque al menos una cuenta para reinstalar."), code="empty")
    reason = _("Reinstalada: la institución tiene de nuevo convenio vigente.")
    restored = []
    for user in reinstatement_candidates(institution=institution).select_for_update().filter(pk__in=ids):
        _restore(user, actor=actor, reason=reason, cause=User.SuspendedFor.NO_BASIS)
        restored.append(user)
    audit.record_event(
        category="business",
        action="accounts_reinstated",
        actor=actor,
        institution=institution,
        target=institution,
        detail={"count": len(restored), "usernames": [u.username for u in restored]},
    )
    return restored


# --- Immediate suspension of a member (001, Cap. III.4 III) ------------------------------------


@transaction.atomic
def member_suspend(*, institution, actor, reason, text) -> tuple[InstitutionSuspension, BasisEffect]:
    """Suspend a member institution at once: every live account of it is blocked now."""
    suspension = agreement_services.institution_suspension_start(
        institution=institution, actor=actor, reason=reason, text=text
    )
    standing = institution_standing(institution=suspension.institution)
    effect = _suspend_all(
        institution=suspension.institution,
        cause=User.SuspendedFor.MEMBER_SUSPENDED,
        actor=actor,
        standing=standing,
    )
    return suspension, effect


@transaction.atomic
def member_suspension_lift(*, suspension, actor, note, today=None) -> dict:
    """Lift an immediate suspension and restore exactly the accounts it blocked.

    If the institution has meanwhile lost its agreement, those accounts stay suspended, now
    "sin convenio vigente", for the reinstatement after a new agreement.
    """
    suspension = agreement_services.institution_suspension_lift(suspension=suspension, actor=actor, note=note)
    institution = suspension.institution
    standing = institution_standing(institution=institution, today=today)
    blocked = User.objects.select_for_update().filter(
        institution=institution, status=User.Status.SUSPENDED, suspended_for=User.SuspendedFor.MEMBER_SUSPENDED
    )
    restored, still = [], []
    for user in blocked:
        if standing.ok:
            _restore(user, actor=actor, reason=_("Suspensión de la institución levantada."), cause=suspension.reason)
            restored.append(user)
        else:
            user.suspend_cause_change(cause_for(standing))
            user._history_user = actor
            user._change_reason = NO_BASIS_REASON
            user.save(update_fields=["suspended_for"])
            still.append(user)
    return {"restored": restored, "still_suspended": still}
