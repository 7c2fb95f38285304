"""Rate limit of password-reset requests ("¿Olvidó su contraseña?").

At most ``PORTAL_RESET_LIMIT_PER_ADDRESS`` requests per e-mail address and
``PORTAL_RESET_LIMIT_PER_CLIENT`` per client IP within ``PORTAL_RESET_WINDOW_SECONDS``. Counters
live in the "shared" cache (Redis in production), so every app server counts the same requests.

Every request is counted, whether or not an account has that address, and a refused request gets
the same answer as any other ("if the address is registered, we sent a link"): the limit neither
tells which addresses exist nor that an address is being targeted. A refusal is recorded in the
history log (``password_reset_throttled``) for the commission to see.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches

from audit.requestinfo import client_ip
from audit.services import record_event

logger = logging.getLogger(__name__)

CACHE_ALIAS = "shared"


def _hit(key: str) -> int:
    """Count one more request under ``key`` in the current window; return the count."""
    cache = caches[CACHE_ALIAS]
    window = settings.PORTAL_RESET_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)  # starts the window; a no-op while it runs
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


def _key(kind: str, value: str) -> str:
    # Hashed: neither addresses nor IPs are kept in the cache in clear.
    return f"pwreset:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def password_reset_allowed(*, email: str, request) -> bool:
    """Count this request; False when the address or the client is over its limit (logged)."""
    address = (email or "").strip().lower()
    ip = client_ip(request) or "unknown"
    try:
        by_address = _hit(_key("address", address))
        by_client = _hit(_key("client", ip))
    except Exception:  # noqa: BLE001 - a cache outage must not take the reset page down with it
        logger.exception("password-reset rate limit unavailable; request allowed")
        return True
    over = []
    if by_address > settings.PORTAL_RESET_LIMIT_PER_ADDRESS:
        over.append("address")
    if by_client > settings.PORTAL_RESET_LIMIT_PER_CLIENT:
        over.append("client")
    if not over:
        return True
    record_event(
        category="auth",
        action="password_reset_throttled",
        username=address[:150],
        request=request,
        detail={"limits": over, "requests_by_address": by_address, "requests_by_client": by_client},
    )
    return False
