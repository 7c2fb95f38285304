"""Session bookkeeping on login and logout (connected in AccountsConfig.ready)."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from audit import services as audit

from .sessions import end_user_sessions, session_forget, session_register

LOGIN_AT = "_portal_login_at"
SEEN_AT = "_portal_seen_at"


@receiver(user_logged_in, dispatch_uid="accounts_session_on_login")
def on_login(sender, request, user, **kwargs):
    # django.contrib.auth.login() has already rotated the session key (no fixation).
    session = request.session
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    if session.session_key is None:
        session.save()
    session_register(user=user, session_key=session.session_key)
    # login_success itself is recorded by the history log from Django's signal (audit.signals).
    # Accounts are personal and non-transferable: a new login ends the older sessions.
    ended = end_user_sessions(user=user, keep_session_key=session.session_key)
    if ended:
        audit.record_event(
            category="auth",
            action="session_replaced",
            actor=user,
            username=user.get_username(),
            institution=getattr(user, "institution", None),
            target=user,
            detail={"logins_ended": ended},
            request=request,
        )


@receiver(user_logged_out, dispatch_uid="accounts_session_on_logout")
def on_logout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_forget(session_key=request.session.session_key)
    # logout is recorded by the history log from Django's signal (audit.signals).
