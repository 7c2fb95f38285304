"""A commission administrator lifts a sign-in lock before it ends (issue 21)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit

from . import lockout
from .models import User
from .services import can_reactivate


def account_lock_lift(*, user: User, actor: User, reason: str) -> None:
    """End ``user``'s current lock now, with a reason kept in the history log.

    Only a commission administrator (the same people who lift a suspension). The counters are
    cleared like a reactivation's: the person starts afresh, so a wrong password right after
    the lift is counted as a first failure, not as "a failure after a lock".
    """
    if not can_reactivate(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indique el motivo para levantar el bloqueo."), code="reason_required")
    name = User.normalize_username(user.username)
    with transaction.atomic():
        state = lockout._locked_row(name)  # the same row lock a sign-in attempt takes
        until = state.locked_until
        if until is None or until <= timezone.now():
            raise ValidationError(_("La cuenta no está bloqueada."), code="not_locked")
        lockout.clear(username=name)
        audit.record_event(
            category="auth",
            action="lock_lifted",
            actor=actor,
            username=user.username,
            institution=user.institution,
            target=user,
            detail={"reason": reason[:500], "until": until.isoformat()},
        )
