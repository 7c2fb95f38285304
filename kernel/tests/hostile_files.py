"""Hostile uploads, made in code for the tests: each is small and built at run time."""

import io
import struct
import zlib

import pydyf
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, EncodedStreamObject, NameObject, TextStringObject

from kernel.sample_files import pdf_bytes, png_bytes

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(document.cookie)</script></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _written(change) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(value):
    return NameObject(value)


def pdf_with_javascript() -> bytes:
    """Runs JavaScript when opened (/OpenAction of type /JavaScript)."""
    action = DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")})
    return _written(lambda w: w.root_object.__setitem__(_name("/OpenAction"), w._add_object(action)))


def pdf_with_javascript_in_object_stream() -> bytes:
    """The same action, written by pydyf (WeasyPrint's writer) inside a compressed object stream,
    where the words /JavaScript never appear in the file's bytes."""
    document = pydyf.PDF()
    action = pydyf.Dictionary({"S": "/JavaScript", "JS": pydyf.String("app.alert(1)")})
    document.add_object(action)
    document.catalog["OpenAction"] = action.reference
    document.add_page(
        pydyf.Dictionary(
            {"Type": "/Page", "Parent": document.pages.reference, "MediaBox": pydyf.Array([0, 0, 612, 792])}
        )
    )
    out = io.BytesIO()
    document.write(out, compress=True)
    data = out.getvalue()
    assert b"/ObjStm" in data and b"JavaScript" not in data
    return data


def pdf_of_pages(count: int) -> bytes:
    def add(writer):
        for _ in range(count - 1):
            writer.add_blank_page(width=612, height=792)

    return _written(add)


def pdf_with_page_action() -> bytes:
    """An additional action (/AA) on the page: fires when the page is shown."""
    goto = DictionaryObject({_name("/S"): _name("/GoTo"), _name("/D"): ArrayObject([])})
    return _written(lambda w: w.pages[0].__setitem__(_name("/AA"), DictionaryObject({_name("/O"): goto})))


def pdf_with_launch() -> bytes:
    """Asks the reader to run a program when opened."""
    action = DictionaryObject({_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("cmd.exe")})
    return _written(lambda w: w.root_object.__setitem__(_name("/OpenAction"), action))


def pdf_with_attachment() -> bytes:
    return _written(lambda w: w.add_attachment("factura.exe", b"MZ\x90\x00"))


def pdf_with_xfa() -> bytes:
    form = DictionaryObject({_name("/Fields"): ArrayObject(), _name("/XFA"): TextStringObject("<xdp:xdp/>")})
    return _written(lambda w: w.root_object.__setitem__(_name("/AcroForm"), form))


def pdf_encrypted() -> bytes:
    return _written(lambda w: w.encrypt("secreto", algorithm="RC4-128"))


def pdf_then_html() -> bytes:
    """A valid PDF with a web page after its end: a browser sniffing it would run the script."""
    return pdf_bytes() + HTML


def pdf_header_then_html() -> bytes:
    return b"%PDF-1.7\n" + HTML


def pdf_header_then_text() -> bytes:
    return b"%PDF-1.7\nEsto no es un PDF.\n"


def deflate_bomb(mebibytes: int = 1024) -> bytes:
    """zlib data inflating to ``mebibytes`` MiB of zeros (about 1 KiB per MiB), made in a fraction of
    a second: after a full flush a compressed block does not refer back, so one can be repeated."""
    block = bytes(1024 * 1024)
    compressor = zlib.compressobj(9)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()[:-4]  # the final block; its checksum is recomputed for the whole
    checksum = 1
    for _ in range(mebibytes):
        checksum = zlib.adler32(block, checksum)
    return first + repeated * (mebibytes - 1) + end + struct.pack(">I", checksum)


def pdf_with_deflate_bomb() -> bytes:
    """A one-page PDF whose content stream is 1 GiB of zeros, compressed to about 1 MB."""

    def add(writer):
        stream = EncodedStreamObject()
        stream._data = deflate_bomb()  # the encoded bytes as they are (set_data would compress them)
        stream[_name("/Filter")] = _name("/FlateDecode")
        writer.pages[0][_name("/Contents")] = writer._add_object(stream)

    return _written(add)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of_size(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` pixels (its data is a few bytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def png_of_huge_dimensions() -> bytes:
    return png_of_size(100_000, 100_000)


def png_over_the_pixel_limit() -> bytes:
    """81 megapixels: under Pillow's own bomb threshold, over the portal's limit."""
    return png_of_size(9_000, 9_000)


def png_then_svg() -> bytes:
    """A valid PNG with an SVG after its end (opened as SVG, the script runs)."""
    return png_bytes() + SVG


def svg_behind_png_signature() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + SVG


def png_signature_then_junk() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
