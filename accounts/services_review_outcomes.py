"""The account side of an access review's outcome (called by ``access_reviews`` when a campaign
closes): an account nobody confirmed is suspended, a revoked one is cancelled. The system acts
(no portal user); the history row carries the reason, the business event names the campaign.
The account comes back only as any suspended account does: a reactivation by the commission."""

from django.db import transaction

from kernel.writes import business_event

from .models import User
from .sessions import end_user_sessions

NOT_CONFIRMED_REASON = "no ratificada en la revisión de accesos"
REVOKED_REASON = "revocada en la revisión de accesos"


@transaction.atomic
def account_suspend_unconfirmed(*, user: User, campaign: str) -> bool:
    """Suspend ``user`` (not confirmed in ``campaign``); False when it was no longer live."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.can_suspend:
        return False
    user.suspend()
    user._history_user = None  # type: ignore[attr-defined]
    user._change_reason = NOT_CONFIRMED_REASON  # type: ignore[attr-defined]
    user.save(update_fields=["status", "status_changed_at"])
    end_user_sessions(user=user)
    business_event("review_account_suspended", actor=None, target=user, institution=user.institution, campaign=campaign)
    return True


@transaction.atomic
def account_cancel_revoked(*, user: User, campaign: str, reason: str) -> bool:
    """Cancel ``user`` (revoked in ``campaign`` with ``reason``); False when already cancelled."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.can_cancel:
        return False
    user.cancel()
    user._history_user = None  # type: ignore[attr-defined]
    user._change_reason = f"{REVOKED_REASON}: {reason}"[:100]  # type: ignore[attr-defined]
    user.save(update_fields=["status", "status_changed_at"])
    end_user_sessions(user=user)
    business_event(
        "review_account_cancelled",
        actor=None,
        target=user,
        institution=user.institution,
        campaign=campaign,
        reason=reason,
    )
    return True
