"""The delivery validator: a delivered file checked against its layout, streamed line by line.

Pure Python over a binary file object, with no database: the Celery task, the
``delivery_validate`` command and the benchmark call the same ``validate``. Nothing a line holds
(personal data: names, RFC, birth dates) leaves this module: an error carries the line number,
the field and the problem, and the value only as its length.

Accepted input (000, Anexo técnico): a .txt or .csv whose fields are delimited by the layout's
delimiter ("|" by default), or a .zip holding exactly one such file, optionally encrypted with AES
or ZipCrypto (pyzipper). A .rar, a zip with several files and a zip bomb are refused with a Spanish
message; a byte-order mark and CRLF line ends are accepted.
"""

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pyzipper  # type: ignore[import-untyped]
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import validate_curp, validate_rfc

# --- Layouts ---------------------------------------------------------------------------------

TEXT, DATE, RFC, CURP, CATALOG, INTEGER = "text", "date", "rfc", "curp", "catalog", "integer"
KINDS = (TEXT, DATE, RFC, CURP, CATALOG, INTEGER)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str = TEXT
    required: bool = True
    max_length: int | None = None
    catalog: str = ""  # the catalog's code, for kind "catalog"


@dataclass(frozen=True)
class LayoutSpec:
    fields: tuple[FieldSpec, ...]
    delimiter: str = "|"
    encoding: str = "utf-8"
    has_header: bool = False
    key_field: int | None = None  # 0-based position of the key (duplicates), or None
    # catalog code -> the codes of its current version; a catalog not loaded is checked as text
    catalogs: Mapping[str, frozenset[str]] = field(default_factory=dict)


# The annex's initial-load layout of the beneficiaries' register (000, Anexo técnico: CAMPO 1-10).
# Fields 1 and 3 are codes of catalogs the institution delivers; the key is field 2.
DEFAULT_LAYOUT_CODE = "padron-derechohabientes"
MEDICAL_UNITS, BENEFICIARY_TYPES = "adscripcion-medica", "tipo-derechohabiente"
DEFAULT_FIELDS = (
    FieldSpec("clave_adscripcion_medica", CATALOG, True, 10, MEDICAL_UNITS),
    FieldSpec("clave_issemym", TEXT, True, 20),
    FieldSpec("tipo_derechohabiente", CATALOG, True, 5, BENEFICIARY_TYPES),
    FieldSpec("nombres", TEXT, True, 100),
    FieldSpec("apellido_paterno", TEXT, True, 60),
    FieldSpec("apellido_materno", TEXT, False, 60),
    FieldSpec("sexo", TEXT, True, 1),
    FieldSpec("fecha_nacimiento", DATE, True),
    FieldSpec("rfc", RFC, False),
    FieldSpec("fin_vigencia", DATE, True),
)
DEFAULT_LAYOUT = LayoutSpec(fields=DEFAULT_FIELDS, key_field=1)

ENCODINGS = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}

# --- Problems (Spanish, shown on the page and in the error report) ---------------------------

LINE = "(línea)"  # the "field" of an error about the whole line
PROBLEMS = {
    "required": _("Campo obligatorio vacío."),
    "too_long": _("Excede la longitud máxima del campo."),
    "date": _("No es una fecha válida con formato dd/mm/aaaa."),
    "rfc": _("RFC no válido (formato o dígito verificador)."),
    "curp": _("CURP no válida (formato o dígito verificador)."),
    "catalog": _("La clave no está en el catálogo vigente."),
    "integer": _("No es un número entero."),
    "field_count": _("El número de campos de la línea no corresponde al layout."),
    "delimiter": _("La línea no usa el separador del layout; parece usar otro."),
    "encoding": _("La línea tiene bytes que no corresponden a la codificación del layout."),
    "duplicate": _("Clave repetida: ya apareció en una línea anterior."),
}


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    problem: str  # a key of PROBLEMS
    length: int | None = None  # the value's length: the value itself is never kept

    @property
    def message(self) -> str:
        return str(PROBLEMS[self.problem])

    def masked(self) -> str:
        return "" if self.length is None else f"[{self.length} caracteres]"


@dataclass
class Result:
    records: int = 0
    valid: int = 0
    invalid: int = 0
    errors_per_field: Counter = field(default_factory=Counter)
    duplicate_keys: int = 0
    bytes: int = 0
    sha256: str = ""
    first_errors: list[LineError] = field(default_factory=list)
    notices: list = field(default_factory=list)  # what was accepted but worth saying (BOM, CRLF)
    member_name: str = ""

    @property
    def valid_share(self) -> float:
        return self.valid / self.records if self.records else 0.0

    def as_json(self) -> dict:
        return {
            "records": self.records,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors_per_field": dict(self.errors_per_field),
            "duplicate_keys": self.duplicate_keys,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "valid_share": round(self.valid_share, 6),
            "notices": [str(n) for n in self.notices],
        }


FIRST_ERRORS = 100
MAX_LINE_BYTES = 64 * 1024

# --- Opening the delivered file --------------------------------------------------------------


def limits() -> tuple[int, int]:
    """(largest uncompressed text, largest compression ratio) a zip may hold."""
    return (
        getattr(settings, "SUPPLY_MAX_UNCOMPRESSED_BYTES", 8 * 1024**3),
        getattr(settings, "SUPPLY_MAX_ZIP_RATIO", 100),
    )


def _refuse(message, code):
    raise ValidationError(message, code=code)


class _Guarded(io.RawIOBase):
    """A zip member read through a counter: more bytes than declared (or than allowed) is a bomb."""

    def __init__(self, inner, *, declared: int, compressed: int, max_bytes: int, max_ratio: int):
        self.inner, self.read_bytes = inner, 0
        self.ceiling = min(declared, max_bytes, max(compressed, 1) * max_ratio)

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.inner.read(len(buffer))
        self.read_bytes += len(data)
        if self.read_bytes > self.ceiling:
            _refuse(_("El zip se expande más de lo permitido (posible bomba de descompresión)."), "zip_bomb")
        buffer[: len(data)] = data
        return len(data)


@contextmanager
def open_delivery(fileobj, *, password: str | None = None) -> Iterator[tuple[io.BufferedIOBase, int, str]]:
    """The delivered text as a binary stream: (stream, its size in bytes, the inner file's name).

    ``password`` is used only here, to open an encrypted zip; it is never kept nor logged.
    """
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if not head:
        _refuse(_("El archivo está vacío."), "empty")
    if head.startswith(b"Rar!\x1a\x07"):
        _refuse(_("Los archivos .rar no se aceptan: comprima el archivo en .zip (puede llevar contraseña)."), "rar")
    if head.startswith((b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")):
        _refuse(_("Ese formato de compresión no se acepta: comprima el archivo en .zip."), "compression")
    if head.startswith(b"PK\x05\x06"):
        _refuse(_("El zip está vacío."), "empty_zip")
    if not head.startswith(b"PK\x03\x04"):
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
        yield fileobj, size, ""
        return
    try:
        archive = pyzipper.AESZipFile(fileobj)
    except (pyzipper.BadZipFile, OSError, ValueError, NotImplementedError):
        _refuse(_("El zip está dañado o incompleto; genérelo de nuevo."), "bad_zip")
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if not members:
            _refuse(_("El zip está vacío."), "empty_zip")
        if len(members) > 1:
            _refuse(
                _("El zip contiene %(n)d archivos; debe contener uno solo (.txt o .csv).") % {"n": len(members)},
                "zip_many",
            )
        info = members[0]
        if not info.filename.lower().endswith((".txt", ".csv")):
            _refuse(_("El archivo dentro del zip debe ser .txt o .csv."), "zip_member_type")
        max_bytes, max_ratio = limits()
        if info.file_size > max_bytes or info.file_size > max(info.compress_size, 1) * max_ratio:
            _refuse(_("El zip se expande más de lo permitido (posible bomba de descompresión)."), "zip_bomb")
        encrypted = bool(info.flag_bits & 0x1)
        if encrypted and not password:
            _refuse(_("El zip está protegido con contraseña: escríbala en el formulario."), "zip_password_missing")
        try:
            member = archive.open(info, pwd=password.encode() if (encrypted and password) else None)
        except RuntimeError:
            _refuse(_("La contraseña del zip no es correcta."), "zip_password")
        except (pyzipper.BadZipFile, NotImplementedError, ValueError):
            _refuse(_("El zip está dañado o usa un método de compresión no soportado."), "bad_zip")
        guarded = _Guarded(
            member,
            declared=info.file_size,
            compressed=info.compress_size,
            max_bytes=max_bytes,
            max_ratio=max_ratio,
        )
        try:
            yield io.BufferedReader(guarded, 1024 * 1024), info.file_size, info.filename.rsplit("/", 1)[-1]
        except pyzipper.BadZipFile:
            _refuse(_("El zip está dañado: su contenido no corresponde a su suma de verificación."), "bad_zip")
        except RuntimeError:
            _refuse(_("La contraseña del zip no es correcta."), "zip_password")


def file_digest(fileobj) -> tuple[int, str]:
    """(size, SHA-256) of the delivered file, read in chunks."""
    fileobj.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return size, digest.hexdigest()


# --- Checking values -------------------------------------------------------------------------

_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})\Z")
_INTEGER = re.compile(r"[-+]?\d+\Z")
_OTHER_DELIMITERS = ("|", ",", ";", "\t")


def _check_date(value: str) -> bool:
    match = _DATE.match(value)
    if not match:
        return False
    day, month, year = (int(g) for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _check_with(validator) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            validator(value)
        except ValidationError:
            return False
        return True

    return check


_CHECKS: dict[str, tuple[str, Callable[[str], bool]]] = {
    DATE: ("date", _check_date),
    RFC: ("rfc", _check_with(validate_rfc)),
    CURP: ("curp", _check_with(validate_curp)),
    INTEGER: ("integer", lambda value: bool(_INTEGER.match(value))),
}


def _plan(layout: LayoutSpec):
    """Per field: (name, required, max length, check or None, problem key)."""
    plan = []
    for spec in layout.fields:
        check, problem = None, ""
        if spec.kind in _CHECKS:
            problem, check = _CHECKS[spec.kind]
        elif spec.kind == CATALOG and spec.catalog in layout.catalogs:
            codes = layout.catalogs[spec.catalog]
            problem, check = "catalog", codes.__contains__
        plan.append((spec.name, spec.required, spec.max_length, check, problem))
    return plan


# --- The validator ---------------------------------------------------------------------------


def _lines(stream, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
    """The stream's lines without their "\\n", read a megabyte at a time (a lone "\\r" is no line end)."""
    rest = b""
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        parts = (rest + chunk).split(b"\n")
        rest = parts.pop()
        if len(rest) > MAX_LINE_BYTES:
            _refuse(_("Una línea pasa de 64 KB: revise que el archivo tenga saltos de línea."), "long_line")
        yield from parts
    if rest:
        yield rest


def validate(
    fileobj,
    layout: LayoutSpec = DEFAULT_LAYOUT,
    *,
    password: str | None = None,
    on_error: Callable[[LineError], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    progress_every: int = 20000,
) -> Result:
    """Validate the delivered file (binary, seekable) against ``layout``.

    Raises ValidationError (Spanish) for a file that cannot be read at all: empty, .rar, a zip
    with several files or a bomb, a wrong password. Errors of single lines go to ``on_error``
    (every one) and the first ``FIRST_ERRORS`` stay in the result.
    """
    result = Result()
    result.bytes, result.sha256 = file_digest(fileobj)
    if result.bytes == 0:
        _refuse(_("El archivo está vacío."), "empty")
    plan = _plan(layout)
    expected = len(plan)
    delimiter, encoding = layout.delimiter, layout.encoding
    key = layout.key_field
    key_name = plan[key][0] if key is not None else ""
    seen: set[int] = set()
    per_field = result.errors_per_field
    first = result.first_errors

    def report(error: LineError) -> None:
        per_field[error.field] += 1
        if len(first) < FIRST_ERRORS:
            first.append(error)
        if on_error is not None:
            on_error(error)

    with open_delivery(fileobj, password=password) as (stream, total, member_name):
        result.member_name = member_name
        read = 0
        lineno = 0
        crlf = False
        header_pending = layout.has_header
        for raw in _lines(stream):
            lineno += 1
            read += len(raw) + 1
            if on_progress is not None and lineno % progress_every == 0:
                on_progress(min(read, total), total)
            if raw.endswith(b"\r"):
                raw, crlf = raw[:-1], True
            if lineno == 1:
                if b"\x00" in raw[:4096]:
                    _refuse(_("El archivo no es de texto (contiene bytes nulos); entregue un .txt o .csv."), "binary")
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                    result.notices.append(_("El archivo inicia con una marca de orden de bytes (BOM); se ignoró."))
            if not raw.strip():
                continue
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                result.records += 1
                result.invalid += 1
                report(LineError(lineno, LINE, "encoding"))
                continue
            if header_pending:
                header_pending = False
                continue
            result.records += 1
            values = text.split(delimiter) if '"' not in text else next(csv.reader([text], delimiter=delimiter))
            if len(values) != expected:
                wrong = len(values) == 1 and any(d != delimiter and d in text for d in _OTHER_DELIMITERS)
                report(LineError(lineno, LINE, "delimiter" if wrong else "field_count", len(values)))
                result.invalid += 1
                continue
            ok = True
            for (name, required, max_length, check, problem), value in zip(plan, values, strict=True):
                value = value.strip()
                if not value:
                    if required:
                        report(LineError(lineno, name, "required"))
                        ok = False
                    continue
                if max_length is not None and len(value) > max_length:
                    report(LineError(lineno, name, "too_long", len(value)))
                    ok = False
                elif check is not None and not check(value):
                    report(LineError(lineno, name, problem, len(value)))
                    ok = False
            if key is not None:
                key_value = values[key].strip()
                if key_value:
                    digest = hash(key_value)
                    if digest in seen:
                        result.duplicate_keys += 1
                        report(LineError(lineno, key_name, "duplicate", len(key_value)))
                        ok = False
                    else:
                        seen.add(digest)
            if ok:
                result.valid += 1
            else:
                result.invalid += 1
        if on_progress is not None:
            on_progress(total, total)
    if crlf:
        result.notices.append(_("Las líneas terminan en CRLF (Windows); se aceptaron."))
    if result.records == 0:
        _refuse(_("El archivo no contiene registros."), "no_records")
    if result.valid == 0 and per_field[LINE] == result.records:
        result.notices.append(
            _("Ninguna línea tiene los %(n)d campos del layout: revise el separador («%(d)s») y el layout elegido.")
            % {"n": expected, "d": delimiter}
        )
    return result


def max_upload_bytes() -> int:
    return getattr(settings, "SUPPLY_MAX_UPLOAD_BYTES", 2 * 1024**3)


def base_name(uploaded: str) -> str:
    """The uploader's file name without any folder, at most 200 characters."""
    return ((uploaded or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "entrega.txt")[-200:]
