"""Idle timeout and absolute lifetime of signed-in sessions (DESIGN.md, security invariants).

The idle timeout is also enforced by the session's own expiry (SESSION_COOKIE_AGE with
SESSION_SAVE_EVERY_REQUEST); this middleware adds the absolute lifetime, which no Django setting
provides, and records why a session ended.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.utils.translation import gettext as _

from .signals import LOGIN_AT, SEEN_AT


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            self._check(request, session)
        return self.get_response(request)

    def _check(self, request, session):
        now = time.time()
        login_at = session.get(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        reason = None
        if now - login_at > float(settings.PORTAL_SESSION_MAX_HOURS) * 3600:
            reason = "absolute"
        elif now - seen_at > float(settings.PORTAL_SESSION_IDLE_MINUTES) * 60:
            reason = "idle"
        if reason is None:
            session.setdefault(LOGIN_AT, login_at)
            session[SEEN_AT] = now
            return
        from .models import User
        from .sessions import end_current_session

        user = User.objects.filter(pk=session.get(SESSION_KEY)).first()
        end_current_session(request, user=user, action="session_expired", detail={"reason": reason})
        text = (
            _("Su sesión alcanzó la duración máxima permitida. Inicie sesión de nuevo.")
            if reason == "absolute"
            else _("Su sesión terminó por inactividad. Inicie sesión de nuevo.")
        )
        messages.info(request, text)
