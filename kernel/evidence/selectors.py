"""Reads of the register of issued documents."""

import re

from .models import IssuedDocument

FOLIO_PATTERN = re.compile(r"^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$")


def normalize_folio(value: str) -> str:
    """The folio as printed, from what a person typed: capitals, and Crockford's look-alikes."""
    value = (value or "").strip().upper().translate(str.maketrans("OIL", "011"))
    return value


def issued_document_get(folio: str) -> IssuedDocument | None:
    """The document registered under ``folio``, or None. One indexed query whatever the input,
    so a malformed folio and an unknown one take the same path."""
    folio = normalize_folio(folio)
    if not FOLIO_PATTERN.match(folio):
        folio = ""  # matches no row, still one query
    return IssuedDocument.objects.filter(folio=folio).first()
