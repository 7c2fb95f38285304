"""Uploads are judged by content and size, stored privately under random names with a SHA-256."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kernel import documents
from kernel.sample_files import pdf_bytes, png_bytes


@pytest.fixture(autouse=True)
def private(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


def upload(name, data, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_renamed_executable_is_refused_whatever_its_name_and_type():
    exe = upload("convenio.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError) as error:
        documents.validate_upload(exe)
    assert "no es de un tipo permitido" in error.value.messages[0]


def test_an_html_file_is_refused():
    html = upload("anexo.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "text/html")
    with pytest.raises(ValidationError, match="PDF, PNG, JPEG"):
        documents.validate_upload(html)


def test_an_oversized_file_is_refused_with_the_limit():
    big = upload("grande.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    with pytest.raises(ValidationError) as error:
        documents.validate_upload(big, max_bytes=1024)
    assert "máximo permitido" in error.value.messages[0]
    assert error.value.code == "too_large"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="vacío"):
        documents.validate_upload(upload("x.pdf", b""))


def test_image_only_field_refuses_a_pdf():
    with pytest.raises(ValidationError):
        documents.validate_upload(upload("firma.png", pdf_bytes()), kinds=documents.IMAGE_KINDS)
    assert (
        documents.validate_upload(upload("firma.png", png_bytes(), "image/png"), kinds=documents.IMAGE_KINDS) == "png"
    )
    assert documents.validate_upload(upload("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image/jpeg")) == "jpeg"


def test_store_private_uses_a_random_name_and_records_the_digest(private):
    data = pdf_bytes("Anexo")
    first = documents.store_private(upload("../../etc/passwd.pdf", data), folder="pruebas")
    second = documents.store_private(upload("../../etc/passwd.pdf", data), folder="pruebas")
    assert first.name != second.name
    assert first.name.startswith("pruebas/") and first.name.endswith(".pdf")
    assert "passwd" not in first.name
    assert first.sha256 == hashlib.sha256(data).hexdigest() == documents.sha256_of(first.name)
    assert first.size == len(data) and first.content_type == "application/pdf"
    assert (private / first.name).read_bytes() == data


def test_attachment_response_forces_a_download(private):
    stored = documents.store_private(upload("a.pdf", pdf_bytes()), folder="x")
    response = documents.attachment_response(
        stored.name, filename="convenio firmado.pdf", content_type=stored.content_type
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
