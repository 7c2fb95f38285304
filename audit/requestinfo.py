"""What the log keeps from a request: client IP (django-ipware), user agent, safe parameters."""

from django.conf import settings
from ipware import get_client_ip

# Parameter names whose values never reach the log, whatever view receives them.
SECRET_MARKERS = ("password", "contrasena", "token", "secret", "csrf", "session", "key", "uid")
MAX_VALUE = 200


def client_ip(request) -> str | None:
    """The client's address, trusting as many proxies as ``AUDIT_TRUSTED_PROXY_COUNT`` says."""
    count = getattr(settings, "AUDIT_TRUSTED_PROXY_COUNT", 0)
    try:
        ip, _routable = get_client_ip(request, proxy_count=count or None)
    except ValueError:
        ip = None
    return ip or request.META.get("REMOTE_ADDR") or None


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
