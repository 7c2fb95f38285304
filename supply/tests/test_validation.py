"""The validator on real shapes: the annex's 10-field layout (000 Anexo técnico) in both encodings,
every type, bad input with its Spanish message, zips with and without AES passwords, and bombs."""

import io

import pytest
from django.core.exceptions import ValidationError

from supply import samples
from supply import validation as v

CATALOGS = {
    v.MEDICAL_UNITS: frozenset(samples.MEDICAL_UNITS),
    v.BENEFICIARY_TYPES: frozenset(samples.BENEFICIARY_TYPES),
}
LAYOUT = v.LayoutSpec(fields=v.DEFAULT_FIELDS, key_field=1, catalogs=CATALOGS)


def run(data: bytes, layout=LAYOUT, **kwargs):
    errors = []
    result = v.validate(io.BytesIO(data), layout, on_error=errors.append, **kwargs)
    return result, [(e.line, e.field, e.problem) for e in errors]


def refused(data: bytes, layout=LAYOUT, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        v.validate(io.BytesIO(data), layout, **kwargs)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_good_and_bad_rows_in_both_encodings(encoding):
    rows, expected = samples.rows(good=20)
    data = samples.text(rows, encoding=encoding)
    assert "Ñ".encode(encoding) in data or "Í".encode(encoding) in data  # accented names really there
    layout = v.LayoutSpec(fields=v.DEFAULT_FIELDS, key_field=1, catalogs=CATALOGS, encoding=encoding)
    result, errors = run(data, layout)
    assert errors == expected
    assert (result.records, result.valid, result.invalid, result.duplicate_keys) == (25, 20, 5, 1)
    assert result.errors_per_field == {
        "fecha_nacimiento": 1,
        "rfc": 1,
        "clave_adscripcion_medica": 1,
        "nombres": 1,
        "clave_issemym": 1,
    }
    assert result.bytes == len(data)


def test_windows_1252_file_read_as_utf8_reports_the_lines_not_the_file():
    rows, _expected = samples.rows(good=5, bad=False)
    for row in rows:
        row[3:6] = ["ANA", "LOPEZ", "ORTIZ"]
    rows[2][3] = "NOÉ"
    result, errors = run(samples.text(rows, encoding="cp1252"))
    assert (3, v.LINE, "encoding") in errors
    assert result.valid >= 1


def test_no_value_reaches_the_errors():
    rows, _ = samples.rows(good=3)
    result, _errors = run(samples.text(rows))
    report = repr(result.first_errors) + repr(result.as_json())
    for row in rows:
        for value in row:
            if len(value) > 3:  # names, keys, RFCs, dates
                assert value not in report


@pytest.mark.parametrize(
    ("kind", "good", "bad", "problem"),
    [
        (v.TEXT, "ABC", "ABCDEFGHIJK", "too_long"),
        (v.DATE, "29/02/2024", "29/02/2023", "date"),
        (v.DATE, "01/12/1990", "1990-12-01", "date"),
        (v.RFC, samples.person_rfc("PÉREZ", "LÓPEZ", "ANA", samples.date(1990, 5, 1)), "PELA900501A10", "rfc"),
        (v.CURP, "BOXW310820HNERXN09", "BOXW310820HNERXN08", "curp"),
        (v.INTEGER, "-42", "4.2", "integer"),
        (v.CATALOG, "U001", "U999", "catalog"),
    ],
)
def test_every_type(kind, good, bad, problem):
    spec = v.FieldSpec("campo", kind, True, 10 if kind == v.TEXT else None, v.MEDICAL_UNITS)
    layout = v.LayoutSpec(fields=(spec, v.FieldSpec("otro")), catalogs=CATALOGS)
    result, errors = run(f"{good}|x\n{bad}|x\n|x\n".encode(), layout)
    assert errors == [(2, "campo", problem), (3, "campo", "required")]
    assert result.valid == 1


def test_optional_field_may_be_empty_and_header_is_skipped():
    layout = v.LayoutSpec(fields=(v.FieldSpec("a"), v.FieldSpec("b", required=False)), has_header=True)
    result, errors = run(b"a|b\nuno|\n", layout)
    assert (result.records, result.valid, errors) == (1, 1, [])


def test_catalog_not_loaded_checks_only_the_text():
    layout = v.LayoutSpec(fields=v.DEFAULT_FIELDS, key_field=1)  # no catalogs
    rows, _ = samples.rows(good=2, bad=False)
    rows[0][0] = "X999"
    result, errors = run(samples.text(rows), layout)
    assert errors == [] and result.valid == 2


def test_bom_and_crlf_are_accepted_with_a_notice():
    rows, _ = samples.rows(good=3, bad=False)
    data = b"\xef\xbb\xbf" + samples.text(rows, newline="\r\n")
    result, errors = run(data)
    assert errors == [] and result.valid == 3
    assert any("BOM" in str(n) for n in result.notices)
    assert any("CRLF" in str(n) for n in result.notices)


def test_wrong_delimiter_is_named():
    rows, _ = samples.rows(good=3, bad=False)
    result, errors = run(samples.text(rows, delimiter=","))
    assert {e[2] for e in errors} == {"delimiter"}
    assert result.valid == 0
    assert any("separador" in str(n) for n in result.notices)


def test_wrong_field_count_is_a_line_error():
    rows, _ = samples.rows(good=2, bad=False)
    rows[1] = rows[1][:8]
    result, errors = run(samples.text(rows))
    assert errors == [(2, v.LINE, "field_count")]


def test_empty_file_and_blank_lines_only():
    assert "vacío" in refused(b"")
    assert "no contiene registros" in refused(b"\n\n  \n")


def test_binary_file_is_refused():
    assert "no es de texto" in refused(b"\x00\x01\x02abc|def\n" * 3)


def test_rar_and_other_compressions_are_refused_in_spanish():
    assert "comprima el archivo en .zip" in refused(b"Rar!\x1a\x07\x01\x00rest")
    assert ".zip" in refused(b"7z\xbc\xaf\x27\x1c\x00\x04")


def test_zip_with_one_file_is_read():
    rows, expected = samples.rows(good=10)
    result, errors = run(samples.zipped(samples.text(rows)))
    assert errors == expected and result.member_name == "padron.txt"


def test_aes_zip_with_the_right_and_the_wrong_password():
    rows, _ = samples.rows(good=10, bad=False)
    data = samples.zipped(samples.text(rows), password="Clave-Secreta-2024")
    assert b"ISS0000" not in data  # really encrypted
    result, _errors = run(data, password="Clave-Secreta-2024")
    assert result.valid == 10
    assert "contraseña del zip no es correcta" in refused(data, password="otra")
    assert "protegido con contraseña" in refused(data)


def test_zip_with_several_files_or_a_foreign_member():
    rows, _ = samples.rows(good=2, bad=False)
    assert "2 archivos" in refused(samples.zipped(samples.text(rows), extra={"otro.txt": b"x"}))
    assert ".txt o .csv" in refused(samples.zipped(b"x", name="padron.xlsx"))


def test_zip_bomb_is_refused_by_its_ratio(settings):
    settings.SUPPLY_MAX_ZIP_RATIO = 100
    bomb = samples.zipped(b"0" * (20 * 1024 * 1024))
    assert len(bomb) < 100_000
    assert "bomba" in refused(bomb)


def test_zip_bomb_is_refused_by_its_size(settings):
    settings.SUPPLY_MAX_UNCOMPRESSED_BYTES = 1024
    rows, _ = samples.rows(good=50, bad=False)
    assert "bomba" in refused(samples.zipped(samples.text(rows)))


def test_a_zip_that_lies_about_its_size_is_stopped_while_reading():
    rows, _ = samples.rows(good=200, bad=False)
    data = bytearray(samples.zipped(samples.text(rows)))
    # Shrink the declared uncompressed size in the central directory (offset 24 of its entry).
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    message = refused(bytes(data))
    assert "bomba" in message or "dañado" in message


def test_progress_reaches_100():
    rows, _ = samples.rows(good=50, bad=False)
    seen = []
    run(samples.text(rows), on_progress=lambda done, total: seen.append(done * 100 // total), progress_every=10)
    assert seen[-1] == 100 and seen == sorted(seen)
