"""The reviewer's side-by-side signature check: the request letter's first page as an image (issue 21)."""

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from kernel import access, pdf_preview

from . import selectors
from .models import RequestDocument, RequiredDocument


@access.permission("portal.review_requests")
@never_cache
def request_letter_page(request, request_document_pk):
    try:
        doc = selectors.request_document_get(user=request.user, pk=request_document_pk)
    except RequestDocument.DoesNotExist:
        raise Http404 from None
    if doc.requirement.code != RequiredDocument.REQUEST_LETTER or doc.content_type != "application/pdf":
        raise Http404
    name = doc.file.name
    if not name or not default_storage.exists(name):
        raise Http404
    with default_storage.open(name, "rb") as fh:
        png = pdf_preview.first_page_png(fh.read())
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
