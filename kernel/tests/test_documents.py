"""Uploads are judged by content and size, stored privately under random names with a SHA-256."""

import hashlib
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kernel import documents
from kernel.sample_files import jpeg_bytes, pdf_bytes, png_bytes
from kernel.tests import hostile_files as hostile


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
    assert documents.validate_upload(upload("foto.jpg", jpeg_bytes(), "image/jpeg")) == "jpeg"


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


# --- What the content may be, once parsed ---------------------------------------------------

HOSTILE = [
    # (upload name, bytes, kinds the field accepts, refusal code, words of the message)
    ("convenio.pdf", hostile.pdf_with_javascript, documents.DOCUMENT_KINDS, "pdf_javascript", "JavaScript"),
    (
        "convenio.pdf",
        hostile.pdf_with_javascript_in_object_stream,
        documents.DOCUMENT_KINDS,
        "pdf_javascript",
        "JavaScript",
    ),
    ("convenio.pdf", hostile.pdf_with_page_action, documents.DOCUMENT_KINDS, "pdf_javascript", "acciones automáticas"),
    ("convenio.pdf", hostile.pdf_with_launch, documents.DOCUMENT_KINDS, "pdf_launch", "abrir programas"),
    ("convenio.pdf", hostile.pdf_with_attachment, documents.DOCUMENT_KINDS, "pdf_embedded_file", "incrustados"),
    ("formulario.pdf", hostile.pdf_with_xfa, documents.DOCUMENT_KINDS, "pdf_xfa", "formulario XFA"),
    ("oficio.pdf", hostile.pdf_encrypted, documents.DOCUMENT_KINDS, "pdf_encrypted", "contraseña"),
    ("letter.html", hostile.pdf_then_html, documents.DOCUMENT_KINDS, "markup", "contenido web"),
    ("letter.pdf", hostile.pdf_header_then_html, documents.DOCUMENT_KINDS, "markup", "contenido web"),
    ("oficio.pdf", hostile.pdf_header_then_text, documents.DOCUMENT_KINDS, "pdf_unreadable", "PDF válido"),
    ("anexo.pdf", hostile.pdf_with_deflate_bomb, documents.DOCUMENT_KINDS, "pdf_inflated_too_large", "descomprimirse"),
    ("firma.png", hostile.png_then_svg, documents.IMAGE_KINDS, "markup", "contenido web"),
    ("firma.png", hostile.svg_behind_png_signature, documents.IMAGE_KINDS, "markup", "contenido web"),
    ("firma.png", hostile.png_signature_then_junk, documents.IMAGE_KINDS, "image_unreadable", "imagen PNG válida"),
    ("firma.png", hostile.png_of_huge_dimensions, documents.IMAGE_KINDS, "image_too_large", "megapíxeles"),
    ("plano.png", hostile.png_over_the_pixel_limit, documents.DOCUMENT_KINDS, "image_too_large", "megapíxeles"),
]


@pytest.mark.parametrize(("name", "make", "kinds", "code", "words"), HOSTILE, ids=[row[1].__name__ for row in HOSTILE])
def test_a_hostile_file_is_refused_with_its_reason_and_nothing_is_stored(private, name, make, kinds, code, words):
    with pytest.raises(ValidationError) as error:
        documents.store_private(upload(name, make()), folder="pruebas", kinds=kinds)
    assert error.value.code == code
    assert words in error.value.messages[0]
    assert not (private / "pruebas").exists()


def test_a_pdf_with_more_pages_or_objects_than_the_limits_is_refused(settings):
    settings.PORTAL_UPLOAD_MAX_PDF_PAGES = 3
    assert documents.validate_upload(upload("anexo.pdf", hostile.pdf_of_pages(3))) == "pdf"
    with pytest.raises(ValidationError, match="tiene 4 páginas; el máximo es 3") as error:
        documents.validate_upload(upload("anexo.pdf", hostile.pdf_of_pages(4)))
    assert error.value.code == "pdf_too_many_pages"
    settings.PORTAL_UPLOAD_MAX_PDF_OBJECTS = 5
    with pytest.raises(ValidationError, match="demasiados objetos") as error:
        documents.validate_upload(upload("anexo.pdf", hostile.pdf_of_pages(3)))
    assert error.value.code == "pdf_too_many_objects"


def test_the_form_validator_refuses_the_same_way():
    validate = documents.document_validator()
    with pytest.raises(ValidationError) as error:
        validate(upload("convenio.pdf", hostile.pdf_with_launch()))
    assert error.value.code == "pdf_launch"


def test_a_deflate_bomb_is_refused_without_inflating_it_in_memory():
    bomb = upload("anexo.pdf", hostile.pdf_with_deflate_bomb())
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            documents.validate_upload(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024  # the stream inflates to 1 GiB; the check holds a few MiB at a time


def test_an_svg_or_html_named_as_accepted_type_is_refused():
    with pytest.raises(ValidationError, match="no es de un tipo permitido"):
        documents.validate_upload(upload("firma.png", hostile.SVG, "image/png"), kinds=documents.IMAGE_KINDS)
    with pytest.raises(ValidationError, match="no es de un tipo permitido"):
        documents.validate_upload(upload("carta.pdf", hostile.HTML + b"\n" + pdf_bytes()))


def test_a_png_named_jpeg_is_judged_as_png():
    assert (
        documents.validate_upload(upload("foto.jpg", png_bytes(), "image/jpeg"), kinds=documents.IMAGE_KINDS) == "png"
    )


@pytest.mark.parametrize(
    ("name", "data", "ext", "content_type"),
    [
        ("convenio.pdf", pdf_bytes(), "pdf", "application/pdf"),
        ("firma.png", png_bytes(), "png", "image/png"),
        ("foto.jpeg", jpeg_bytes(), "jpg", "image/jpeg"),
    ],
)
def test_clean_files_are_still_accepted(private, name, data, ext, content_type):
    stored = documents.store_private(upload(name, data, content_type), folder="pruebas")
    assert stored.name.endswith(f".{ext}") and stored.content_type == content_type
    assert (private / stored.name).read_bytes() == data


def test_a_file_is_stored_and_served_under_its_detected_type_not_its_name(private):
    stored = documents.store_private(upload("letter.html", pdf_bytes(), "text/html"), folder="pruebas")
    assert stored.name.endswith(".pdf") and stored.original_name == "letter.pdf"
    assert stored.content_type == "application/pdf"
    response = documents.attachment_response(stored.name, filename="letter.html", content_type=stored.content_type)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'


def test_a_download_of_an_unknown_type_is_served_as_opaque_bytes(private):
    stored = documents.store_private(upload("a.pdf", pdf_bytes()), folder="x")
    response = documents.attachment_response(stored.name, filename="pagina.html", content_type="text/html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
