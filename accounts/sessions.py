"""A user's sessions: tracked at login, ended on suspension, cancellation, profile change or a
newer login. ``UserSession`` maps session keys to users, so ending them needs no full scan."""

from importlib import import_module

from django.conf import settings

from .models import UserSession


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_register(*, user, session_key: str) -> None:
    """Remember that ``session_key`` belongs to ``user`` (called right after login)."""
    if session_key:
        UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def end_user_sessions(*, user, keep_session_key: str | None = None) -> int:
    """End every live session of ``user`` (except ``keep_session_key``); return how many."""
    return end_sessions(users=[user], keep_session_key=keep_session_key)


def end_sessions(*, users, keep_session_key: str | None = None) -> int:
    """End every live session of ``users`` (a list or queryset) in one lookup; return how many."""
    tracked = UserSession.objects.filter(user__in=users)
    if keep_session_key:
        tracked = tracked.exclude(session_key=keep_session_key)
    keys = list(tracked.values_list("session_key", flat=True))
    store = _store()
    ended = 0
    for key in keys:
        session = store(session_key=key)
        if session.exists(key):
            session.delete(key)
            ended += 1
    UserSession.objects.filter(session_key__in=keys).delete()
    if keep_session_key is None:
        # Suspension, cancellation, profile change: the platforms' tokens end too. (A newer
        # portal login keeps its own session and leaves the platforms' sign-ins alone.)
        from .identity.services import tokens_revoke

        tokens_revoke(users=users)
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


def end_current_session(request, *, user, action: str, detail: dict) -> None:
    """End this request's session now (forgotten, flushed, the request left anonymous) and record
    why in the history log under ``action``."""
    from django.contrib.auth.models import AnonymousUser

    from audit import services as audit

    session_forget(session_key=request.session.session_key)
    request.session.flush()
    request.user = AnonymousUser()
    audit.record_event(
        category="auth",
        action=action,
        actor=user,
        username=user.get_username() if user else "",
        institution=getattr(user, "institution", None),
        target=user,
        detail=detail,
        request=request,
    )
