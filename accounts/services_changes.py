"""Account changes (000, OCTAVA): profile change, suspension, reactivation and cancellation,
requested by the institution, resolved by the commission in the same queue and business-day SLA.
Approval applies the change at once; where rights shrink the user's sessions end. The states and
transitions are declared on ``AccountChangeRequest``; the account's own on ``User``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from kernel.notifications.services import notify

from . import selectors
from .identity.services import grant_system
from .models import CANCELLATION_GRACE, AccountChangeRequest, Profile, User
from .services import _lift_suspension, reactivated_status, user_set_profile
from .services_onboarding import check_reviewer, due_date_for
from .sessions import end_user_sessions

Kind = AccountChangeRequest.Kind
Status = AccountChangeRequest.Status


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _check_target(kind, user, new_profile, left_at, now, system=None):
    if kind == Kind.SYSTEM_GRANT:
        if system is None or not system.is_active:
            _refuse(_("Indique un sistema activo del catálogo."), "system_required")
        if user.status not in User.LIVE_STATUSES:
            _refuse(_("Sólo se puede otorgar un sistema a una cuenta vigente."), "not_live")
        if system.grants.filter(user=user, status="granted").exists():
            _refuse(_("La cuenta ya tiene ese sistema."), "already_granted")
        if not system.profiles.filter(pk=user.profile_id).exists():
            _refuse(_("El perfil de esa cuenta no puede usar este sistema."), "system_not_allowed")
    elif kind == Kind.PROFILE_CHANGE:
        if new_profile is None:
            _refuse(_("Indique el perfil nuevo."), "profile_required")
        if new_profile.pk == user.profile_id:
            _refuse(_("La cuenta ya tiene ese perfil."), "same_profile")
        if not new_profile.is_active:
            _refuse(_("Ese perfil no está disponible."), "inactive_profile")
        if new_profile.scope == Profile.Scope.PLATFORM and not user.institution.is_commission:
            _refuse(_("Ese perfil es exclusivo del personal de la Comisión."), "platform_profile")
        if user.is_cancelled:
            _refuse(_("La cuenta está cancelada."), "cancelled")
    elif kind == Kind.SUSPENSION:
        if not user.can_suspend:
            _refuse(_("Sólo se puede suspender una cuenta vigente."), "not_live")
    elif kind == Kind.REACTIVATION:
        if not user.can_be_reactivated:
            _refuse(_("Sólo se puede reactivar una cuenta suspendida."), "not_suspended")
    elif kind == Kind.CANCELLATION:
        if not user.can_cancel:
            _refuse(_("La cuenta ya está cancelada."), "cancelled")
        if left_at is None:
            _refuse(_("Indique la fecha y hora en que la persona dejó el cargo o cambió de área."), "left_at_required")
        if left_at > now:
            _refuse(_("La fecha de baja no puede ser futura."), "left_at_future")
    else:
        _refuse(_("Tipo de cambio desconocido."), "bad_kind")


def is_late(*, left_at, requested_at) -> bool:
    """A cancellation requested more than 24 hours after the person left is late (000, OCTAVA)."""
    return left_at is not None and requested_at - left_at > CANCELLATION_GRACE


@transaction.atomic
def account_change_request(
    *, user, actor, kind, reason, new_profile=None, left_at=None, now=None, system=None
) -> AccountChangeRequest:
    """An institution administrator asks the commission to change one of its accounts."""
    if not actor.has_perm("portal.manage_institution") or actor.institution_id != user.institution_id:
        raise PermissionDenied
    if user.pk == actor.pk:
        _refuse(_("No puede solicitar cambios sobre su propia cuenta."), "self")
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Explique el motivo del cambio."), "reason_required")
    _check_target(kind, user, new_profile, left_at, now, system)
    due_date = due_date_for(now)
    change = AccountChangeRequest(
        institution=user.institution,
        user=user,
        kind=kind,
        new_profile=new_profile if kind == Kind.PROFILE_CHANGE else None,
        system=system if kind == Kind.SYSTEM_GRANT else None,
        reason=reason,
        left_at=left_at if kind == Kind.CANCELLATION else None,
        is_late=kind == Kind.CANCELLATION and is_late(left_at=left_at, requested_at=now),
        submitted_at=now,
        due_date=due_date,
        created_by=actor,
    )
    change._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:
        _refuse(_("Esa cuenta ya tiene una solicitud de cambio abierta."), "open_change")
    record_event(
        category="business",
        action="account_change_requested",
        actor=actor,
        institution=user.institution,
        target=change,
        detail={"kind": kind, "late": change.is_late, "due_date": due_date.isoformat()},
    )
    notify(
        recipients=selectors.reviewers(),
        template="account_change_submitted",
        context={"change": change},
        related=change,
        channels=("inapp",),
    )
    return change


@transaction.atomic
def account_change_resubmit(*, change: AccountChangeRequest, actor, reason, new_profile=None, left_at=None):
    if not actor.has_perm("portal.manage_institution") or actor.institution_id != change.institution_id:
        raise PermissionDenied
    change = AccountChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not change.can_resubmit:
        _refuse(_("Sólo se puede reenviar una solicitud devuelta."), "wrong_state")
    now = timezone.now()
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Explique el motivo del cambio."), "reason_required")
    _check_target(change.kind, change.user, new_profile or change.new_profile, left_at or change.left_at, now)
    change.reason = reason
    if change.kind == Kind.PROFILE_CHANGE and new_profile is not None:
        change.new_profile = new_profile
    if change.kind == Kind.CANCELLATION and left_at is not None:
        change.left_at = left_at
        # Lateness is judged against the first request: a return does not make it late.
        change.is_late = is_late(left_at=left_at, requested_at=change.created_at)
    change.resubmit(now=now, due_date=due_date_for(now))
    change._history_user = actor  # type: ignore[attr-defined]
    change.save()
    record_event(category="business", action="account_change_resubmitted", actor=actor, target=change)
    return change


def _locked_submitted(change, actor):
    check_reviewer(actor, change)
    change = AccountChangeRequest.objects.select_for_update().select_related("user").get(pk=change.pk)
    if not change.awaits_decision:
        _refuse(_("Sólo se puede resolver una solicitud en revisión."), "wrong_state")
    return change


def _decide(change, actor, action):
    """Save a decision the caller made with one of the change's transitions; tell the institution."""
    change._history_user = actor
    change.save()
    record_event(
        category="business",
        action=action,
        actor=actor,
        institution=change.institution,
        target=change,
        detail={"kind": change.kind, "status": change.status},
    )
    recipients = set(selectors.institution_admins(institution=change.institution))
    if change.created_by.status == User.Status.ACTIVE:
        recipients.add(change.created_by)
    notify(
        recipients=sorted(recipients, key=lambda u: u.pk),
        template="account_change_decided",
        context={"change": change},
        related=change,
    )


@transaction.atomic
def account_change_reject(*, change, actor, reason):
    change = _locked_submitted(change, actor)
    if not (reason or "").strip():
        _refuse(_("El rechazo necesita un motivo."), "reason_required")
    change.reject(by=actor, reason=reason.strip())
    _decide(change, actor, "account_change_rejected")
    return change


@transaction.atomic
def account_change_return(*, change, actor, reason):
    change = _locked_submitted(change, actor)
    if not (reason or "").strip():
        _refuse(_("La devolución necesita un motivo que diga qué corregir."), "reason_required")
    change.return_for_correction(by=actor, reason=reason.strip())
    _decide(change, actor, "account_change_returned")
    return change


def _save_status(user, actor):
    user._history_user = actor
    user.save(update_fields=["status", "status_changed_at"])


def _reactivate(user, actor, status, change):
    """Lift the suspension on the approved request (clears the failed-login counters and the lock
    history). The reviewer who may decide the request may reactivate on it: whoever sees it in
    the review queue can approve it (``selectors.may_decide``)."""
    _lift_suspension(user=user, actor=actor, reason=f"{change.folio}: {change.reason}"[:200], status=status)


@transaction.atomic
def account_change_approve(*, change, actor, note=""):
    """Approve and apply at once. Sessions end on suspension, cancellation and profile change."""
    change = _locked_submitted(change, actor)
    user = User.objects.select_for_update().get(pk=change.user_id)
    _check_target(change.kind, user, change.new_profile, change.left_at, timezone.now(), change.system)
    if change.kind == Kind.SYSTEM_GRANT:
        grant_system(user=user, system=change.system, actor=actor)
    elif change.kind == Kind.PROFILE_CHANGE:
        # The reviewer's decision is the authority here (reviewers hold no direct profile-change
        # permission); the swap ends the user's sessions and the change request records who decided.
        user_set_profile(user=user, profile=change.new_profile, actor=None)
    elif change.kind == Kind.SUSPENSION:
        user.suspend()
        _save_status(user, actor)
        end_user_sessions(user=user)
    elif change.kind == Kind.CANCELLATION:
        user.cancel()
        _save_status(user, actor)
        end_user_sessions(user=user)
    elif change.kind == Kind.REACTIVATION:
        _reactivate(user, actor, reactivated_status(user), change)
    change.approve(by=actor, reason=(note or "").strip())
    _decide(change, actor, "account_change_approved")
    return change
