"""Every PDF the portal issues is signed by the commission, carries its verification folio and QR
code, and is registered with the SHA-256 of the exact bytes handed out.

Checked from outside the code under test: poppler's ``pdfsig`` (what a person's PDF tooling says),
pyHanko's validator against the demo CA, ``pdftotext`` and a QR decoder on the rendered page."""

import hashlib
import re
import subprocess
from io import BytesIO

import pytest
from django.core.files.storage import default_storage

from accounts import services_letters as letters
from accounts import services_onboarding as onboarding
from accounts.models import User
from accounts.tests.factories import UserFactory
from conftest import require_binary
from kernel import pdfsign
from kernel.evidence.models import EvidenceKind, IssuedDocument
from kernel.evidence.services import verification_url
from portal.tests.registry import _account_request

pytestmark = pytest.mark.django_db


def _curu(member):
    return onboarding.curu_pdf(request=_account_request(member))


def _letter(member):
    user = UserFactory(institution=member, status=User.Status.PENDING_LETTER, given_names="Begoña")
    letter = letters.letter_accept(
        user=user, address="Calle Álamo 12", phone="81 5555 0101", id_document="ine", id_folio="IDMEX1"
    )
    with default_storage.open(letter.pdf.name, "rb") as handle:
        data = handle.read()
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    return data


GENERATORS = {EvidenceKind.CURU: _curu, EvidenceKind.CONFIDENTIALITY_LETTER: _letter}


@pytest.fixture(params=list(GENERATORS), ids=[str(kind) for kind in GENERATORS])
def issued(request, member, private_media):
    """(kind, the PDF's bytes as the portal hands them out)."""
    kind = request.param
    return kind, GENERATORS[kind](member)


def pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "documento.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        [require_binary("pdfsig"), str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    return result.stdout + result.stderr


def one_byte_changed(data: bytes) -> bytes:
    """The PDF with one bit flipped inside its first content stream (covered by the signature;
    the file still parses, so only the digest can tell)."""
    start = re.search(rb"stream\r?\n", data).end()
    tampered = bytearray(data)
    tampered[start + 20] ^= 0x01
    return bytes(tampered)


def test_pdfsig_reports_the_signature_valid_over_the_whole_document(issued, tmp_path):
    _, data = issued
    report = pdfsig(data, tmp_path)
    assert "Signature Field Name: FirmaComision" in report
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES
    assert "Total document signed" in report
    assert "Signature Validation: Signature is Valid." in report


def test_pdfsig_reports_the_signature_broken_after_one_byte_changes(issued, tmp_path):
    _, data = issued
    report = pdfsig(one_byte_changed(data), tmp_path)
    assert "Signature is Valid." not in report
    assert "Digest Mismatch" in report


def _validate(data: bytes):
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _, _, der = pem.unarmor(pdfsign.demo_ca_certificate().read_bytes())
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)])
    (signature,) = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    return validate_pdf_signature(signature, context)


def test_pyhanko_validates_the_signature_up_to_the_demo_ca(issued):
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    _, data = issued
    status = _validate(data)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert "Portal de Convenios" in status.signing_cert.subject.human_friendly


def test_pyhanko_refuses_the_signature_after_one_byte_changes(issued):
    _, data = issued
    status = _validate(one_byte_changed(data))
    assert not status.intact
    assert not status.bottom_line


def test_the_register_holds_the_folio_kind_and_hash_of_the_bytes_handed_out(issued):
    kind, data = issued
    record = IssuedDocument.objects.get(sha256=hashlib.sha256(data).hexdigest())
    assert record.kind == kind
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}", record.folio)
    assert record.history.count() == 1  # written once, through the history log


def test_each_pdf_prints_its_folio_and_the_verification_address(issued, tmp_path):
    _, data = issued
    record = IssuedDocument.objects.get(sha256=hashlib.sha256(data).hexdigest())
    path = tmp_path / "documento.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        [require_binary("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    url = verification_url(record.folio)
    assert url.startswith("http") and url.endswith(f"/verificar/{record.folio}/")
    assert record.folio in text
    assert url in re.sub(r"\s+", "", text)  # a long address may wrap in the box


def test_the_qr_code_decodes_to_the_verification_address(issued, tmp_path):
    import zxingcpp  # requirements-dev.txt pins it
    from PIL import Image

    _, data = issued
    record = IssuedDocument.objects.get(sha256=hashlib.sha256(data).hexdigest())
    path = tmp_path / "documento.pdf"
    path.write_bytes(data)
    subprocess.run(
        [require_binary("pdftoppm"), "-png", "-r", "150", str(path), str(tmp_path / "pagina")],
        check=True,
        timeout=60,
    )
    decoded = set()
    for page in sorted(tmp_path.glob("pagina*.png")):
        decoded |= {barcode.text for barcode in zxingcpp.read_barcodes(Image.open(page))}
    assert decoded == {verification_url(record.folio)}


def test_two_documents_never_share_a_folio(member, private_media):
    request = _account_request(member)
    onboarding.curu_pdf(request=request)
    onboarding.curu_pdf(request=request)
    folios = list(IssuedDocument.objects.values_list("folio", flat=True))
    assert len(folios) == 2 and len(set(folios)) == 2
