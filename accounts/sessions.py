"""Ending a user's sessions: on suspension, cancellation, profile change or a newer login."""

from django.contrib.sessions.models import Session
from django.utils import timezone


def end_user_sessions(*, user, keep_session_key: str | None = None) -> int:
    """Delete every live session of ``user`` (except ``keep_session_key``); return how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended
