"""The portal's own deployment checks (``manage.py check --deploy``; ``make prod-check`` fails on
any warning). They catch production settings that Django's own checks do not know about.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

SEAL_KEY_MIN_LENGTH = 32
SEAL_KEY_MIN_UNIQUE_CHARACTERS = 5  # as Django's security.W009 asks of SECRET_KEY


def _seal_key_is_weak(key: str) -> bool:
    return (
        len(key) < SEAL_KEY_MIN_LENGTH
        or len(set(key)) < SEAL_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(("insecure-", "django-insecure-"))
    )


@register(Tags.security, deploy=True)
def check_audit_seal_key(app_configs, **kwargs):
    key = getattr(settings, "AUDIT_SEAL_KEY", "") or ""
    errors = []
    if key and key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        errors.append(
            Warning(
                "AUDIT_SEAL_KEY is the same as SECRET_KEY.",
                hint="Give the history log's seals a key of their own: whoever learns one key must not "
                "be able to forge the other's signatures (docs/operations.md, secret rotation).",
                id="portal.W001",
            )
        )
    if _seal_key_is_weak(key):
        errors.append(
            Warning(
                f"AUDIT_SEAL_KEY is weak: it has fewer than {SEAL_KEY_MIN_LENGTH} characters or fewer than "
                f"{SEAL_KEY_MIN_UNIQUE_CHARACTERS} unique characters, or it is the demo key.",
                hint="Generate a long random value, e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="portal.W002",
            )
        )
    return errors


def _is_wildcard(host: str) -> bool:
    return "*" in host or not host.strip(".")


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs, **kwargs):
    wildcards = [host for host in settings.ALLOWED_HOSTS if _is_wildcard(host)]
    if not wildcards:
        return []
    return [
        Warning(
            f"ALLOWED_HOSTS accepts any host name: {', '.join(repr(h) for h in wildcards)}.",
            hint="List the portal's own host names only (e.g. portal.example.gob.mx).",
            id="portal.W003",
        )
    ]


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    parts = urlsplit(getattr(settings, "PORTAL_SITE_URL", "") or "")
    if parts.scheme == "https" and parts.netloc:
        return []
    return [
        Warning(
            "PORTAL_SITE_URL is not an https:// address.",
            hint="Password-reset and activation links are built from it; set the portal's public "
            "address, e.g. https://portal.example.gob.mx.",
            id="portal.W004",
        )
    ]


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("shared", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The 'shared' cache is each process's own memory.",
                hint="Set REDIS_URL: password-reset rate limits must be counted across every app server.",
                id="portal.W005",
            )
        ]
    return []


SIGNING_CERT_MIN_DAYS_LEFT = 30


@register(Tags.security, deploy=True)
def check_pdf_signing_certificate(app_configs, **kwargs):
    """The commission's certificate that signs every PDF: set, readable, and not about to expire."""
    import datetime

    from django.core.exceptions import ImproperlyConfigured

    from kernel import pdfsign

    config = pdfsign.signing_config()
    if not config.configured:
        if settings.DEBUG:
            return []  # the demo makes its own certificate under var/
        return [
            Warning(
                "No certificate signs the portal's PDFs.",
                hint="Set PORTAL_PDF_SIGNING_CERT_FILE and PORTAL_PDF_SIGNING_KEY_FILE (or "
                "PORTAL_PDF_SIGNING_PKCS12_FILE) to the commission's certificate (docs/operations.md).",
                id="portal.W006",
            )
        ]
    try:
        certificate = pdfsign.signing_certificate()
    except (ImproperlyConfigured, OSError, ValueError) as error:
        return [
            Warning(
                f"The PDF signing certificate cannot be used: {error}",
                hint="Check the files' paths, their format (PEM, DER or PKCS#12) and "
                "PORTAL_PDF_SIGNING_KEY_PASSPHRASE.",
                id="portal.W007",
            )
        ]
    days_left = (certificate.not_valid_after_utc - datetime.datetime.now(datetime.UTC)).days
    if days_left < SIGNING_CERT_MIN_DAYS_LEFT:
        return [
            Warning(
                f"The PDF signing certificate expires in {days_left} days "
                f"({certificate.not_valid_after_utc:%Y-%m-%d}).",
                hint="Renew it and rotate it as docs/operations.md describes: PDFs signed after it "
                "expires show an invalid signature.",
                id="portal.W008",
            )
        ]
    return []
