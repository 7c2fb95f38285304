"""The public verification page of issued documents: ``/verificar/<folio>/``.

No sign-in. It tells whether the folio exists and, if so, the document's kind, date and SHA-256
(nothing personal), and compares a visitor's PDF with it by hash. Known and unknown folios take
the same path (one indexed query, the same template, the upload hashed either way), and answer
200 or 404 with nothing else told apart. Requests are counted per client and minute in the
shared cache; past ``PORTAL_VERIFY_LIMIT_PER_MINUTE`` the answer is 429.
"""

import hmac
import time

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from audit.requestinfo import client_ip
from kernel import access

from . import selectors
from .uploads import HashingUploadHandler

UPLOAD_FIELD = "documento"


def _over_limit(request) -> bool:
    cache = caches["shared"]
    window = int(time.time() // 60)
    key = f"evidence-verify:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > settings.PORTAL_VERIFY_LIMIT_PER_MINUTE


@access.public
@csrf_exempt  # the handler must be in place before the body is read; csrf_protect checks below
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request, folio):
    if _over_limit(request):
        response = render(request, "evidence/rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    handler = HashingUploadHandler(request, field_name=UPLOAD_FIELD, max_bytes=settings.PORTAL_VERIFY_MAX_UPLOAD_BYTES)
    request.upload_handlers = [handler]
    return _verify(request, folio, handler)


@csrf_protect
def _verify(request, folio, handler):
    document = selectors.issued_document_get(folio)
    comparison = None
    if request.method == "POST":
        request.POST  # noqa: B018 - parses the body through the hashing handler (csrf_protect may have already)
        if handler.too_large:
            comparison = "too_large"
        elif handler.sha256 is None:
            comparison = "missing"
        else:
            # Compared in constant time and computed for unknown folios too (same shape).
            expected = document.sha256 if document else "0" * 64
            same = hmac.compare_digest(handler.sha256, expected)
            comparison = "match" if (document and same) else "mismatch"
    context = {
        "folio": selectors.normalize_folio(folio)[:40],
        "document": document,
        "comparison": comparison,
        "uploaded_sha256": handler.sha256 if comparison in ("match", "mismatch") else None,
        "upload_field": UPLOAD_FIELD,
        "max_bytes": settings.PORTAL_VERIFY_MAX_UPLOAD_BYTES,
    }
    return render(request, "evidence/verify.html", context, status=200 if document else 404)
