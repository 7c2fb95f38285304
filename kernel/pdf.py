"""PDF rendering (kernel): WeasyPrint over Django templates in ``templates/pdf/``.

    data = render_pdf("pdf/curu.html", {"request": ...})

The returned bytes are the document; callers store them (``kernel.documents`` for private storage)
and record their SHA-256 with ``sha256_hex``.
"""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# The PDFs' layout lives in a stylesheet file: templates carry no inline style (CSP rule).
STYLESHEET = settings.BASE_DIR / "templates" / "pdf" / "pdf.css"


def render_pdf(template_name: str, context: dict, *, stylesheet=STYLESHEET) -> bytes:
    from weasyprint import CSS, HTML  # imported late: loading WeasyPrint takes a moment

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(filename=str(stylesheet))])


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
