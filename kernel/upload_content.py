"""What an accepted upload may contain (kernel): each file is parsed as the type its first bytes claim.

``documents.validate_upload`` calls ``inspect(data, kind)`` after the magic-byte check. It raises a
``ValidationError`` in Spanish, with one code per reason, when the file:

- does not parse as that type (PDF with pypdf; PNG and JPEG with Pillow, whose detected format
  must be the one claimed), so a renamed SVG/HTML or a broken file is refused;
- carries web markup (HTML, SVG, scripts) anywhere in its bytes: PDF/HTML and PNG/SVG polyglots;
- is a PDF with active content: JavaScript or automatic actions, launch actions, embedded files,
  XFA forms; or is encrypted (it cannot be inspected);
- is a PDF whose compressed streams inflate past a total budget (a deflate bomb): each stream is
  inflated in bounded steps and the output thrown away, so the bomb is never held in memory;
- is a PDF with more pages or objects than a person's document has;
- is an image with more pixels than the limit (read from its header, before any decoding).

The limits are settings with the defaults below (``PORTAL_UPLOAD_*``).
"""

import io
import re
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, EncodedStreamObject, IndirectObject, NameObject

MAX_INFLATED_BYTES = 256 * 1024 * 1024  # all the streams of one PDF, decompressed
MAX_PDF_PAGES = 2000
MAX_PDF_OBJECTS = 200_000
MAX_IMAGE_PIXELS = 64_000_000  # a 600-dpi letter scan is 34 Mpx; a phone photo 12 to 50 Mpx

_INFLATE_STEP = 1024 * 1024

# Markup that a browser or an SVG viewer would run. Each needs four or more exact letters after
# "<" (and a delimiter), so compressed bytes do not produce it by chance; SVG is recognised by its
# namespace, since a standalone SVG needs it to render.
_MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|object|embed|!doctype\s+html)[\s>/]|www\.w3\.org/2000/svg|javascript:",
    re.IGNORECASE,
)

# Dictionary keys and action types that make a PDF act by itself when opened or touched.
_JAVASCRIPT_KEYS = {"/JS", "/JavaScript", "/AA"}
_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF"}
_EMBEDDED_SUBTYPES = {"/FileAttachment", "/RichMedia"}
# kind -> (Pillow decoder to open it with, formats it may report). MPO is the JPEG that phones
# write with a second picture (depth, preview) after the first; Pillow's JPEG decoder reports it.
_PIL_FORMATS = {"png": ("PNG", {"PNG"}), "jpeg": ("JPEG", {"JPEG", "MPO"})}


def _limit(name: str, default: int) -> int:
    return getattr(settings, f"PORTAL_UPLOAD_{name}", default)


def _refuse(message, code: str):
    raise ValidationError(message, code=code)


def inspect(data: bytes, kind: str) -> None:
    """Refuse ``data`` unless it is a clean file of ``kind`` ("pdf", "png" or "jpeg")."""
    if _MARKUP.search(data):
        _refuse(
            _(
                "El archivo lleva contenido web (HTML, SVG o scripts) junto al documento; "
                "no se acepta. Guárdelo de nuevo como PDF o imagen desde el programa que lo creó."
            ),
            "markup",
        )
    if kind == "pdf":
        _inspect_pdf(data)
    else:
        _inspect_image(data, kind)


# --- PDF -------------------------------------------------------------------------------------


def _unreadable_pdf():
    _refuse(
        _(
            "El archivo no se pudo leer como un PDF válido: puede estar dañado o no ser realmente un "
            "PDF. Genérelo de nuevo y vuelva a cargarlo."
        ),
        "pdf_unreadable",
    )


def _inspect_pdf(data: bytes) -> None:
    # %PDF- at byte 0 was checked by the caller; markup around the PDF by inspect().
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _refuse(
                _("El PDF está cifrado o protegido con contraseña y no se puede revisar. Cárguelo sin protección."),
                "pdf_encrypted",
            )
        _inspect_pdf_objects(reader)
        pages = len(reader.pages)
    except ValidationError:
        raise
    except LimitReachedError:
        _refuse_bomb()
    except Exception:  # noqa: BLE001 - any failure of the parser means the same to the person: unreadable
        _unreadable_pdf()
    max_pages = _limit("MAX_PDF_PAGES", MAX_PDF_PAGES)
    if pages > max_pages:
        _refuse(
            _("El PDF tiene %(count)s páginas; el máximo es %(max)s. Divídalo y cárguelo por partes.")
            % {"count": pages, "max": max_pages},
            "pdf_too_many_pages",
        )
    if pages == 0:
        _unreadable_pdf()


def _refuse_bomb():
    _refuse(
        _(
            "El contenido comprimido del PDF ocupa más de %(max)s al descomprimirse; no se acepta. "
            "Genérelo de nuevo (por ejemplo, con «Imprimir a PDF»)."
        )
        % {"max": filesizeformat(_limit("MAX_INFLATED_BYTES", MAX_INFLATED_BYTES))},
        "pdf_inflated_too_large",
    )


def _inspect_pdf_objects(reader) -> None:
    """Look at every object the file declares (not only those reachable from the pages)."""
    # Objects stored directly come first: an object stream is itself one of them, so its inflated
    # size is counted before pypdf decompresses it to read the objects packed inside.
    numbers = {(number, generation) for generation, entries in reader.xref.items() for number in entries}
    packed = {(number, 0) for number in reader.xref_objStm} - numbers
    max_objects = _limit("MAX_PDF_OBJECTS", MAX_PDF_OBJECTS)
    if len(numbers) + len(packed) > max_objects:
        _refuse(
            _("El PDF tiene demasiados objetos internos (más de %(max)s); no se puede revisar.") % {"max": max_objects},
            "pdf_too_many_objects",
        )
    budget = _limit("MAX_INFLATED_BYTES", MAX_INFLATED_BYTES)
    inflated = 0
    for number, generation in sorted(numbers) + sorted(packed):
        obj = IndirectObject(number, generation, reader).get_object()
        inflated += _stream_inflated_size(obj, budget - inflated)
        if inflated > budget:
            _refuse_bomb()
        _check_active_content(obj)
    _check_active_content(reader.trailer)


def _stream_inflated_size(obj, budget: int) -> int:
    """How many bytes the stream's compression filter produces, counting to just past ``budget``."""
    if not isinstance(obj, EncodedStreamObject):
        return 0
    filters = obj.get("/Filter")
    filters = [filters] if not isinstance(filters, list) else list(filters)
    if filters and filters[0] in ("/FlateDecode", "/Fl"):
        # pypdf keeps no public accessor for a stream's encoded bytes; _data is where it holds them.
        return _bounded_inflate(obj._data, budget)
    if {"/FlateDecode", "/Fl", "/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"} & {str(f) for f in filters}:
        # Another filter comes first (e.g. ASCII85 around Flate): let pypdf decode under the budget.
        limits = {
            "zlib_maximum_output_length": budget + 1,
            "lzw_maximum_output_length": budget + 1,
            "run_length_maximum_output_length": budget + 1,
        }
        with apply_configuration(**limits):
            return len(obj.get_data())
    return 0  # images (DCT, JPX, CCITT, JBIG2) are not decoded here: their size is their pixels


def _bounded_inflate(raw: bytes, budget: int) -> int:
    inflater = zlib.decompressobj()
    produced = 0
    pending = raw
    try:
        while pending and not inflater.eof:
            produced += len(inflater.decompress(pending, _INFLATE_STEP))
            if produced > budget:
                break
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream counts what it produced; readers show what they can of it
    return produced


def _check_active_content(obj) -> None:
    """Walk one object's direct dictionaries and arrays (references are visited on their own)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):
            _check_dictionary(item)
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def _check_dictionary(entry) -> None:
    keys = set(dict.keys(entry))
    action = _name(entry, "/S")
    if keys & _JAVASCRIPT_KEYS or action == "/JavaScript":
        _refuse(
            _(
                "El PDF contiene JavaScript o acciones automáticas, que no se aceptan. "
                "Guárdelo de nuevo con «Imprimir a PDF» y vuelva a cargarlo."
            ),
            "pdf_javascript",
        )
    if action == "/Launch":
        _refuse(
            _("El PDF intenta abrir programas o archivos externos (acción de ejecución); no se acepta."),
            "pdf_launch",
        )
    if (
        keys & _EMBEDDED_KEYS
        or _name(entry, "/Type") == "/EmbeddedFile"
        or _name(entry, "/Subtype") in _EMBEDDED_SUBTYPES
        or action == "/GoToE"
    ):
        _refuse(
            _("El PDF lleva archivos incrustados o adjuntos, que no se aceptan. Cargue cada documento por separado."),
            "pdf_embedded_file",
        )
    if "/XFA" in keys:
        _refuse(
            _(
                "El PDF es un formulario XFA, que no se acepta. Guárdelo como PDF simple "
                "(por ejemplo, con «Imprimir a PDF») y vuelva a cargarlo."
            ),
            "pdf_xfa",
        )


def _name(entry, key: str):
    value = dict.get(entry, key)
    value = value.get_object() if value is not None else None
    return value if isinstance(value, NameObject) else None


# --- Images ----------------------------------------------------------------------------------


def _inspect_image(data: bytes, kind: str) -> None:
    decoder, formats = _PIL_FORMATS[kind]
    max_pixels = _limit("MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS)
    too_large = ValidationError(
        _(
            "La imagen es demasiado grande: el máximo es %(max)s megapíxeles. "
            "Redúzcala o escanéela a menor resolución y vuelva a cargarla."
        )
        % {"max": max_pixels // 1_000_000},
        code="image_too_large",
    )
    try:
        # open() reads only the header; verify() checks the structure (PNG checksums) without
        # decoding; the image is opened again to decode it, as verify() leaves it unusable.
        with Image.open(io.BytesIO(data), formats=[decoder]) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise too_large
            if image.format not in formats:
                raise ValueError(image.format)
            image.verify()
        with Image.open(io.BytesIO(data), formats=[decoder]) as image:
            image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise too_large from None
    except Exception:  # noqa: BLE001 - any failure of the decoder means the same: not that image
        _refuse(
            _(
                "El archivo no se pudo leer como una imagen %(kind)s válida: puede estar dañado o no "
                "ser realmente una imagen %(kind)s."
            )
            % {"kind": decoder},
            "image_unreadable",
        )
