"""The history log's write API. Other apps record events through these functions only."""

import logging
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

from . import events
from .context import current_actor
from .models import Event
from .requestinfo import client_ip, is_secret, user_agent

logger = logging.getLogger(__name__)


def _clean_detail(value: Any, depth: int = 0) -> Any:
    """Drop secret-looking keys anywhere in the detail; keep it small and JSON-safe."""
    if depth > 4:
        return str(value)[:200]
    if isinstance(value, dict):
        return {str(k)[:100]: _clean_detail(v, depth + 1) for k, v in value.items() if not is_secret(str(k))}
    if isinstance(value, list | tuple):
        return [_clean_detail(v, depth + 1) for v in list(value)[:50]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:500]


def record_event(
    *,
    category: str,
    action: str,
    actor: Any = None,
    username: str = "",
    institution: Any = None,
    target: Model | None = None,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Record an authentication or business event.

    category and action: an event registered in ``audit.events`` (each app registers its own in
    its ``events.py``); an unregistered or former name, a category that is not the registered
    one or a detail key the event does not declare raise ValueError.
    actor: the acting user or None for the system; username: as typed (for failed logins);
    target: the model instance concerned; detail: small JSON-safe dict, never secrets.

    The row is written in the caller's transaction: a business event belongs to the change it
    describes. Keys that look like secrets (password, token, session...) are dropped from detail.
    """
    events.check(category=category, action=action, detail=detail)
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is None and category == Event.Category.BUSINESS:
        actor = current_actor()
    if institution is None and actor is not None:
        institution_id = getattr(actor, "institution_id", None)
    else:
        institution_id = getattr(institution, "pk", institution)
    event = Event(
        category=category,
        action=action,
        actor_id=getattr(actor, "pk", None),
        username=(username or getattr(actor, "username", "") or "")[:150],
        institution_id=institution_id,
        detail=_clean_detail(detail or {}),
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)[:64]
        event.target_repr = str(target)[:200]
    if request is not None:
        event.ip = client_ip(request)
        event.user_agent = user_agent(request)
        event.path = request.path[:500]
    with transaction.atomic():
        event.save()
    tracker = getattr(request, "_audit_auth", None) if request is not None else None
    if tracker is not None and category == Event.Category.AUTH:
        tracker["recorded"].add(action)


def record_auth_default(*, action: str, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Record an auth event from Django's signals unless the portal's own code records it.

    Inside a request seen by the access-log middleware the event waits for the end of the
    request and is dropped if another receiver (the lockout policy, say, with a richer detail)
    recorded the same action meanwhile: one login, one login_success row.
    """
    events.check(category="auth", action=action, detail=kwargs.get("detail"))  # refused here, not later
    tracker = getattr(request, "_audit_auth", None) if request is not None else None
    if tracker is None:
        record_event(category="auth", action=action, request=request, **kwargs)
    else:
        tracker["pending"].append((action, kwargs))


def flush_auth_defaults(request: HttpRequest) -> None:
    tracker = getattr(request, "_audit_auth", None)
    if not tracker:
        return
    pending, tracker["pending"] = tracker["pending"], []
    for action, kwargs in pending:
        if action not in tracker["recorded"]:
            record_event(category="auth", action=action, request=request, **kwargs)
