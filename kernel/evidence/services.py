"""Issuing a PDF as evidence: a folio nobody can guess, a QR code of its verification page, the
commission's PAdES signature, and a row in the register written in the caller's transaction.

    doc = issue_pdf(kind=EvidenceKind.CURU, template_name="pdf/curu.html", context={...})
    doc.data      # the signed PDF, to store or send as it is: one byte changed breaks the signature
    doc.folio     # printed on the document, e.g. "7KQ2M-9XH4D-P3TVA-0WZ8R"
    doc.sha256    # of ``doc.data``, also in the register

The template receives ``evidence`` (folio, url, qr) and includes ``pdf/_evidence.html``.
"""

import secrets
from dataclasses import dataclass

import segno
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kernel.pdf import render_pdf, sha256_hex
from kernel.pdfsign import sign_pdf
from kernel.site import absolute_url

from .models import EvidenceKind, IssuedDocument

# Crockford's base32: no I, L, O or U, so a folio read aloud or typed from paper is not mistaken.
FOLIO_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FOLIO_GROUPS = 4
FOLIO_GROUP_LENGTH = 5  # 20 symbols of 5 bits: 100 random bits


@dataclass(frozen=True)
class IssuedPdf:
    folio: str
    data: bytes
    sha256: str
    record: IssuedDocument


def new_folio() -> str:
    symbols = "".join(secrets.choice(FOLIO_ALPHABET) for _ in range(FOLIO_GROUPS * FOLIO_GROUP_LENGTH))
    return "-".join(symbols[i : i + FOLIO_GROUP_LENGTH] for i in range(0, len(symbols), FOLIO_GROUP_LENGTH))


def verification_url(folio: str) -> str:
    return absolute_url(reverse("evidence:verify", kwargs={"folio": folio}))


def qr_data_uri(url: str) -> str:
    """An SVG QR code of ``url`` (error correction M), as a data: URI for the PDF template."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def issue_pdf(*, kind: EvidenceKind | str, template_name: str, context: dict, reason: str = "") -> IssuedPdf:
    """Render ``template_name`` with its folio and QR code, sign it and register it."""
    kind = EvidenceKind(kind)
    folio = new_folio()
    url = verification_url(folio)
    issued_at = timezone.now()
    evidence = {"folio": folio, "url": url, "qr": qr_data_uri(url), "issued_at": timezone.localtime(issued_at)}
    data = sign_pdf(
        render_pdf(template_name, {**context, "evidence": evidence}),
        reason=reason or str(kind.label),
    )
    digest = sha256_hex(data)
    with transaction.atomic():
        record = IssuedDocument.objects.create(folio=folio, kind=kind, issued_at=issued_at, sha256=digest)
    return IssuedPdf(folio=folio, data=data, sha256=digest, record=record)
