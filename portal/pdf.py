"""PDF rendering (kernel): WeasyPrint over Django templates in ``templates/pdf/``.

    data = render_pdf("pdf/curu.html", {"request": ...})

The returned bytes are the document; callers store them (``portal.documents`` for private storage)
and record their SHA-256 with ``sha256_hex``.
"""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: loading WeasyPrint takes a moment

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
