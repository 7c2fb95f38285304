"""The two steps every write service takes, said once: save with the acting person as the history
log's author, and record the business event that explains the change."""

from datetime import date
from typing import Any

from audit.services import record_event


def save_as(instance, actor, **kwargs: Any):
    """Save ``instance`` with ``actor`` (None: the system) as the author of its history row."""
    if actor is not None:
        instance._history_user = actor
    instance.save(**kwargs)
    return instance


def business_event(action: str, *, actor, target, institution=None, **detail: Any) -> None:
    """Record a registered business event about ``target``; dates in ``detail`` as ISO text."""
    record_event(
        category="business",
        action=action,
        actor=actor,
        institution=institution,
        target=target,
        detail={k: (v.isoformat() if isinstance(v, date) else v) for k, v in detail.items()},
    )
