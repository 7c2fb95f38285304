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


# The session remembers which profile it was opened with; a change ends it. (The account status
# is checked on every request by itself: pending_letter -> active must not sign anyone out.)
RIGHTS_SESSION_KEY = "_portal_rights"


def rights_stamp(user) -> str:
    return f"profile:{user.profile_id or 0}"


def remember_rights(sender, request, user, **kwargs):
    """user_logged_in receiver: stamp the new session with the user's profile."""
    if hasattr(request, "session"):
        request.session[RIGHTS_SESSION_KEY] = rights_stamp(user)
