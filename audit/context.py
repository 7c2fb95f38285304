"""Who is acting, outside a request: management commands and Celery tasks.

Inside a request simple-history takes the user from ``HistoryRequestMiddleware``. Elsewhere a
change must still carry its actor: wrap the work in ``acting_as(user)``::

    with acting_as(actor):
        agreement_update(agreement=agreement, actor=actor, ...)

(services also set ``instance._history_user = actor``; this covers saves they do not reach, such
as many-to-many changes and signal handlers). Celery tasks published while someone is acting
carry that user in a message header and the worker restores it (``audit.apps``).
"""

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

ACTOR_HEADER = "portal_actor_id"
_MISSING = object()


@contextmanager
def acting_as(user):
    """Attribute every history record written inside the block to ``user`` (None: the system)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", _MISSING)
    context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield user
    finally:
        if previous is _MISSING:
            try:
                del context.request
            except AttributeError:
                pass
        else:
            context.request = previous


def current_actor():
    """The user the current request or ``acting_as`` block acts for, or None."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def mark_object(request, obj):
    """Tell the access log which object this request concerns (when the URL alone does not)."""
    request._audit_object = (obj._meta.label_lower, str(obj.pk))
