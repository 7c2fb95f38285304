"""What the log keeps from a request: client IP, user agent, safe parameters."""

import ipaddress

from django.conf import settings

# Parameter names whose values never reach the log, whatever view receives them.
SECRET_MARKERS = ("password", "contrasena", "token", "secret", "csrf", "session", "key", "uid")
MAX_VALUE = 200


def _valid_ip(value) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the one place the portal reads it (history log, lockout, letters).

    With ``AUDIT_TRUSTED_PROXY_COUNT`` = 0 (no proxy) it is the socket's address, REMOTE_ADDR:
    anything a client writes in X-Forwarded-For or X-Real-IP is its own claim and is ignored.
    With N proxies, each appends the address it received the request from to X-Forwarded-For,
    so only the last N entries were written by someone trusted and the client is the Nth from
    the right (the leftmost if there are fewer). A malformed entry falls back to REMOTE_ADDR.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR"))
    count = int(getattr(settings, "AUDIT_TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return _valid_ip(forwarded[-min(count, len(forwarded))]) or remote


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in SECRET_MARKERS)


def safe_params(querydict) -> dict:
    """Search and filter parameters, minus anything secret, values cut to a sane length."""
    params = {}
    for name in querydict:
        if is_secret(name):
            continue
        values = [v[:MAX_VALUE] for v in querydict.getlist(name)][:20]
        params[name[:100]] = values[0] if len(values) == 1 else values
    return params
