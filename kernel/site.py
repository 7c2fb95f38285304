"""The portal's own absolute address, for links that leave it (e-mails, PDFs).

Every absolute link is built here from ``PORTAL_SITE_URL``, never from the request's ``Host``
header: a forged header must not put an attacker's address in a password-reset or activation
e-mail (host header poisoning).
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """``PORTAL_SITE_URL`` without a trailing slash, e.g. ``https://portal.example.gob.mx``."""
    return settings.PORTAL_SITE_URL.rstrip("/")


def site_domain() -> str:
    """The host (and port) of ``PORTAL_SITE_URL``."""
    return urlsplit(site_url()).netloc


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse()`` returns it, starting with ``/``) on the portal's own address."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url needs a path starting with '/', not {path!r}")
    return site_url() + path
