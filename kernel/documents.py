"""Uploaded documents (kernel): content checks, private storage, SHA-256 and safe downloads.

- ``validate_upload(file, kinds=..., max_bytes=...)`` judges the size, the type the first bytes claim
  (never the name or the browser's content type) and then parses the whole file as that type
  (``kernel.upload_content``: active PDF content, polyglots, bombs); it raises ``ValidationError``
  in Spanish.
- ``store_private(file, folder=...)`` writes the bytes to the default storage (private: it has no
  URL) under a random name with the detected type's extension and returns a ``StoredFile`` with
  the SHA-256 of the content; the name shown for download keeps the uploader's base name only.
- ``attachment_response(name, filename=..., content_type=...)`` answers a download as an attachment
  whose file name carries the extension of its content type. Call it only from a view that has
  already checked the user's scope.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kernel import upload_content

# kind -> (content type, extension, magic-byte check)
KINDS = {
    "pdf": ("application/pdf", "pdf", lambda head: head.startswith(b"%PDF-")),
    "png": ("image/png", "png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpeg": ("image/jpeg", "jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
}
DOCUMENT_KINDS = ("pdf", "png", "jpeg")
IMAGE_KINDS = ("png", "jpeg")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # settings.PORTAL_UPLOAD_MAX_BYTES overrides it


@dataclass(frozen=True)
class StoredFile:
    name: str  # storage name (random)
    original_name: str
    content_type: str
    size: int
    sha256: str


def detect_kind(head: bytes, kinds=DOCUMENT_KINDS) -> str | None:
    for kind in kinds:
        if KINDS[kind][2](head):
            return kind
    return None


def _labels(kinds) -> str:
    names = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG"}
    return ", ".join(names[k] for k in kinds)


def validate_upload(file, *, kinds=DOCUMENT_KINDS, max_bytes: int | None = None) -> str:
    """Check an uploaded file by its size and parsed content; returns the detected kind."""
    max_bytes = max_bytes or getattr(settings, "PORTAL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    if file is None:
        raise ValidationError(_("Adjunte un archivo."), code="required")
    size = file.size
    if size == 0:
        raise ValidationError(_("El archivo está vacío."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("El archivo pesa %(size)s; el máximo permitido es %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = detect_kind(head, kinds)
    if kind is None:
        raise ValidationError(
            _("El contenido del archivo no es de un tipo permitido (%(kinds)s), sin importar su nombre.")
            % {"kinds": _labels(kinds)},
            code="bad_type",
        )
    _inspect_once(file, kind)
    return kind


def _inspect_once(file, kind: str) -> None:
    """Parse the content as ``kind``; a form and then a service check the same upload only once."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    if getattr(file, "_portal_inspected", None) == (digest, kind):
        return
    upload_content.inspect(data, kind)
    file._portal_inspected = (digest, kind)


def document_validator(kinds=DOCUMENT_KINDS, max_bytes=None):
    """A form-field validator wrapping ``validate_upload``."""

    def _validate(file):
        validate_upload(file, kinds=kinds, max_bytes=max_bytes)

    return _validate


def store_private(file, *, folder: str, kinds=DOCUMENT_KINDS, max_bytes: int | None = None) -> StoredFile:
    """Validate and write ``file`` under ``folder/<random>.<ext>`` in private storage."""
    kind = validate_upload(file, kinds=kinds, max_bytes=max_bytes)
    content_type, ext, _check = KINDS[kind]
    digest = hashlib.sha256()
    file.seek(0)
    chunks = []
    for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
        digest.update(chunk)
        chunks.append(chunk)
    data = b"".join(chunks)
    name = default_storage.save(f"{folder.strip('/')}/{secrets.token_hex(16)}.{ext}", ContentFile(data))
    return StoredFile(
        name=name,
        original_name=download_name(getattr(file, "name", ""), ext),
        content_type=content_type,
        size=len(data),
        sha256=digest.hexdigest(),
    )


def download_name(uploaded: str, ext: str) -> str:
    """The uploader's base name with the extension of the detected type ("carta.html" -> "carta.pdf")."""
    base = (uploaded or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0].strip(" .")
    return f"{(stem or 'documento')[: 250 - len(ext)]}.{ext}"


def kind_of(*, content_type: str = "", name: str = "") -> str | None:
    """The kind a stored file was saved as, from its recorded content type or its storage name."""
    for kind, (kind_type, ext, _check) in KINDS.items():
        if content_type == kind_type or (name and name.lower().endswith(f".{ext}")):
            return kind
    return None


def attachment_response(name: str, *, filename: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download (never inline), after the caller has checked scope.

    The file name's extension is the content type's (rows saved before uploads were renamed may
    still hold the uploader's extension); a content type the portal does not accept is served as
    opaque bytes.
    """
    if not name or not default_storage.exists(name):
        raise Http404
    kind = kind_of(content_type=content_type)
    if kind is None:
        content_type = "application/octet-stream"
    else:
        filename = download_name(filename, KINDS[kind][1])
    response = FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def sha256_of(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()
