"""One access event per request of a signed-in user, and per login attempt.

Place it right after AuthenticationMiddleware. The event is written after the view has returned
(or failed): the view's own transaction is over by then, committed or rolled back, so a failed
write is still an access. Static files and the health check are not logged.
"""

import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AccessEvent
from .requestinfo import client_ip, safe_params, user_agent
from .services import flush_auth_defaults, record_event

logger = logging.getLogger(__name__)

OBJECT_KWARGS = ("pk", "id", "uuid", "folio")


def _skipped(path: str) -> bool:
    if path.startswith(settings.STATIC_URL):
        return True
    return path.rstrip("/") in getattr(settings, "AUDIT_SKIP_PATHS", ("/healthz",))


def _concerned_object(request, match):
    explicit = getattr(request, "_audit_object", None)
    if explicit:
        return explicit
    if match is None or not match.kwargs:
        return "", ""
    for name, value in match.kwargs.items():
        if name in OBJECT_KWARGS or name.endswith("_pk") or name.endswith("_id"):
            model = getattr(getattr(match.func, "view_class", None), "model", None)
            if model is not None:
                label = model._meta.label_lower
            elif name in OBJECT_KWARGS:
                label = match.view_name
            else:
                label = name.rsplit("_", 1)[0]
            return label[:100], str(value)[:64]
    return "", ""


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.login_views = set(getattr(settings, "AUDIT_LOGIN_VIEW_NAMES", ("login", "admin:login")))

    def __call__(self, request):
        if not getattr(settings, "AUDIT_ACCESS_LOG_ENABLED", True) or _skipped(request.path):
            return self.get_response(request)
        started_at = timezone.now()
        request._audit_auth = {"recorded": set(), "pending": []}
        user = request.user
        authenticated = user.is_authenticated
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = int((time.perf_counter() - started) * 1000)
        try:
            self._record(request, response, user if authenticated else None, started_at, duration_ms)
        except Exception:  # noqa: BLE001 - logging must never turn a response into an error
            logger.exception("Could not record the access event for %s", request.path)
        try:
            _password_events(request, response, getattr(request, "resolver_match", None))
            flush_auth_defaults(request)
        except Exception:  # noqa: BLE001
            logger.exception("Could not record the authentication event for %s", request.path)
        return response

    def _record(self, request, response, user, started_at, duration_ms):
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match is not None else ""
        login_attempt = request.method == "POST" and view_name in self.login_views
        if user is None:
            now_user = getattr(request, "user", None)
            if now_user is not None and now_user.is_authenticated:
                user = now_user  # signed in by this very request
            elif not login_attempt:
                return
        username = getattr(user, "username", "") if user is not None else ""
        if login_attempt:
            username = request.POST.get("username", "")[:150] or username
        object_type, object_id = _concerned_object(request, match)
        event = AccessEvent(
            occurred_at=started_at,
            user_id=getattr(user, "pk", None),
            username=username[:150],
            institution_id=getattr(user, "institution_id", None),
            ip=client_ip(request),
            user_agent=user_agent(request),
            method=request.method[:10],
            path=_safe_path(request.path, match)[:500],
            view_name=view_name[:200],
            object_type=object_type,
            object_id=object_id,
            query=safe_params(request.GET) if request.GET else {},
            status=response.status_code,
            duration_ms=duration_ms,
        )
        if connection.in_atomic_block:
            # Only when something wraps the whole request (tests): keep the outer block usable.
            with transaction.atomic():
                event.save(force_insert=True)
        else:
            event.save(force_insert=True)


def _safe_path(path, match):
    """The path with any secret URL part (a reset token) masked."""
    if match is not None:
        for name, value in match.kwargs.items():
            if "token" in name and value and str(value) in path:
                path = path.replace(str(value), "***")
    return path


def _password_events(request, response, match):
    """Password change and reset have no Django signal: recognise their successful POSTs."""
    if match is None or request.method != "POST" or response.status_code not in (301, 302, 303):
        return
    action = getattr(settings, "AUDIT_PASSWORD_VIEWS", {}).get(match.view_name)
    if action is None:
        return
    actor = request.user if request.user.is_authenticated else None
    if actor is None and "uidb64" in match.kwargs:
        actor = _user_from_uid(match.kwargs["uidb64"])
    typed = "" if actor is not None else request.POST.get("email", "")[:150]
    record_event(category="auth", action=action, actor=actor, username=typed, request=request)


def _user_from_uid(uidb64):
    from django.contrib.auth import get_user_model
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return get_user_model()._default_manager.filter(pk=pk).first()
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
