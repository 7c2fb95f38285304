"""The public verification page /verificar/<folio>/: what a person holding a printed or e-mailed
PDF sees without an account, and what an attacker probing folios learns (nothing but "not found")."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services_onboarding as onboarding
from kernel.evidence.models import IssuedDocument
from kernel.evidence.services import new_folio
from portal.tests.registry import _account_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def curu(member, private_media):
    """(the register row, the signed PDF, the request whose personal data it holds)."""
    request = _account_request(member)
    data = onboarding.curu_pdf(request=request)
    return IssuedDocument.objects.get(sha256=hashlib.sha256(data).hexdigest()), data, request


def url(folio):
    return reverse("evidence:verify", kwargs={"folio": folio})


def upload(data, name="documento.pdf"):
    return {"documento": SimpleUploadedFile(name, data, content_type="application/pdf")}


def test_a_real_folio_shows_kind_date_and_hash_without_signing_in(client, curu):
    record, _, request = curu
    response = client.get(url(record.folio))
    page = response.content.decode()
    assert response.status_code == 200
    assert "El folio corresponde a un documento emitido por el portal." in page
    assert "Cédula Única de Registro de Usuarios (CURU)" in page
    assert record.sha256 in page
    assert f"{record.issued_at.astimezone().year}" in page
    # Nothing personal: not the person, the CURP, the institution nor the request's folio.
    for personal in (request.given_names, request.curp, request.institution.legal_name, request.folio):
        assert personal not in page


def test_a_folio_typed_in_lower_case_is_found(client, curu):
    record, _, _ = curu
    assert client.get(url(record.folio.lower())).status_code == 200


@pytest.mark.parametrize("folio", ["unknown", "malformed"])
def test_a_wrong_folio_answers_404_in_spanish_and_tells_nothing_else(client, curu, folio):
    record, _, _ = curu
    wrong = new_folio() if folio == "unknown" else "no-es-un-folio"
    response = client.get(url(wrong))
    page = response.content.decode()
    assert response.status_code == 404
    assert "No encontramos un documento con ese folio." in page
    assert record.sha256 not in page and "Comparar" not in page
    # The same template as a real folio: a prober cannot tell "malformed" from "unknown".
    assert [t.name for t in response.templates] == [t.name for t in client.get(url(record.folio)).templates]


def test_the_same_pdf_uploaded_matches(client, curu):
    record, data, _ = curu
    page = client.post(url(record.folio), upload(data)).content.decode()
    assert "El archivo coincide" in page
    assert "no coincide" not in page


def test_a_pdf_with_one_byte_changed_does_not_match(client, curu):
    record, data, _ = curu
    tampered = bytearray(data)
    tampered[len(data) // 2] ^= 0x01
    response = client.post(url(record.folio), upload(bytes(tampered)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "El archivo no coincide con el documento emitido con este folio" in page
    assert hashlib.sha256(bytes(tampered)).hexdigest() in page
    assert "El archivo coincide" not in page


def test_the_right_pdf_under_a_wrong_folio_is_not_found(client, curu):
    _, data, _ = curu
    response = client.post(url(new_folio()), upload(data))
    page = response.content.decode()
    assert response.status_code == 404
    assert "coincide" not in page


def test_posting_without_a_file_asks_for_one(client, curu):
    record, _, _ = curu
    page = client.post(url(record.folio), {}).content.decode()
    assert "Elija el archivo PDF que quiere comparar." in page


def test_an_upload_over_the_limit_is_refused(client, curu, settings):
    record, data, _ = curu
    settings.PORTAL_VERIFY_MAX_UPLOAD_BYTES = 2048
    page = client.post(url(record.folio), upload(data)).content.decode()
    assert "El archivo pasa del límite de 2.0\xa0KB." in page
    assert "coincide" not in page


def test_an_uploaded_file_is_hashed_and_never_written_anywhere(client, curu, settings, tmp_path, private_media):
    record, data, _ = curu
    # Django's default handlers would spool the upload to a temporary file in this folder (and
    # fail, as it does not exist); the page hashes it chunk by chunk without writing it anywhere.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "no-such-folder")
    stored_before = sorted(p for p in private_media.rglob("*") if p.is_file())
    response = client.post(url(record.folio), upload(data))
    assert response.status_code == 200
    assert "El archivo coincide" in response.content.decode()
    assert sorted(p for p in private_media.rglob("*") if p.is_file()) == stored_before


def test_the_comparison_form_is_protected_against_cross_site_posts(curu):
    from django.test import Client

    record, data, _ = curu
    response = Client(enforce_csrf_checks=True).post(url(record.folio), upload(data))
    assert response.status_code == 403


def test_too_many_requests_from_one_client_get_a_spanish_429(client, curu, settings):
    record, _, _ = curu
    settings.PORTAL_VERIFY_LIMIT_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(url(new_folio())).status_code == 404
    response = client.get(url(record.folio))
    assert response.status_code == 429
    assert "Demasiadas consultas" in response.content.decode()
    assert response["Retry-After"] == "60"
    # Another client is not held back by the first one's count.
    assert client.get(url(record.folio), REMOTE_ADDR="10.9.9.9").status_code == 200
