"""Generated delivery files in the annex's 10-field layout (tests, demo data and ``make bench``).

Every person here is invented: names come from short lists, keys and RFCs are computed (the RFC's
check digit by python-stdnum), so the files look like a real export without holding anyone's data.
"""

import io
import random
from datetime import date, timedelta

import pyzipper
from stdnum.mx import rfc as stdnum_rfc

MEDICAL_UNITS = {"U001": "Clínica regional Toluca", "U002": "Hospital Naucalpan", "U003": "Consultorio Metepec"}
BENEFICIARY_TYPES = {"T": "Titular", "C": "Cónyuge", "H": "Hijo o hija", "P": "Padre o madre"}
GIVEN = ["JOSÉ", "MARÍA", "ANA", "LUIS", "SOFÍA", "JUAN", "NOÉ", "IRMA"]
SURNAMES = ["GARCÍA", "PÉREZ", "LÓPEZ", "MUÑOZ", "HERNÁNDEZ", "ÁVILA", "NÚÑEZ", "ORTIZ"]


def _initials(word: str) -> str:
    plain = word.translate(str.maketrans("ÁÉÍÓÚÑÜ", "AEIOUXU"))
    return plain


def person_rfc(paternal: str, maternal: str, given: str, born: date, homoclave: str = "A1") -> str:
    letters = f"{_initials(paternal)[:2]}{_initials(maternal)[:1]}{_initials(given)[:1]}"
    if letters in stdnum_rfc._name_blacklist:  # SAT: an offensive word gets an X as its last letter
        letters = letters[:3] + "X"
    base = f"{letters}{born:%y%m%d}{homoclave}"
    return base + stdnum_rfc.calc_check_digit(base)


def good_row(i: int, rng: random.Random | None = None) -> list[str]:
    rng = rng or random.Random(i)
    given, paternal, maternal = rng.choice(GIVEN), rng.choice(SURNAMES), rng.choice(SURNAMES)
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    return [
        rng.choice(list(MEDICAL_UNITS)),
        f"ISS{i:09d}",
        rng.choice(list(BENEFICIARY_TYPES)),
        given,
        paternal,
        maternal,
        rng.choice("HM"),
        f"{born:%d/%m/%Y}",
        person_rfc(paternal, maternal, given, born),
        f"{date(2030, 12, 31):%d/%m/%Y}",
    ]


# Bad rows, each with one known problem: (row maker, field name, problem key)
def _bad(i):
    rows = []
    r = good_row(i)
    r[7] = "31/02/1980"
    rows.append((r, "fecha_nacimiento", "date"))
    r = good_row(i + 1)
    r[8] = r[8][:-1] + ("0" if r[8][-1] != "0" else "1")
    rows.append((r, "rfc", "rfc"))
    r = good_row(i + 2)
    r[0] = "X999"
    rows.append((r, "clave_adscripcion_medica", "catalog"))
    r = good_row(i + 3)
    r[3] = ""
    rows.append((r, "nombres", "required"))
    return rows


def rows(good: int = 20, bad: bool = True, start: int = 1):
    """``good`` valid rows, then (when ``bad``) four rows with one error each and a duplicate key."""
    out = [good_row(start + n) for n in range(good)]
    expected = []
    if bad:
        for row, name, problem in _bad(start + good):
            out.append(row)
            expected.append((len(out), name, problem))
        out.append(good_row(start))  # same key as the first row
        expected.append((len(out), "clave_issemym", "duplicate"))
    return out, expected


def text(rows_, *, delimiter="|", encoding="utf-8", newline="\n") -> bytes:
    return "".join(delimiter.join(r) + newline for r in rows_).encode(encoding)


def zipped(data: bytes, *, name="padron.txt", password: str | None = None, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES if password else None
    ) as archive:
        if password:
            archive.setpassword(password.encode())
        archive.writestr(name, data)
        for other, content in (extra or {}).items():
            archive.writestr(other, content)
    return buffer.getvalue()


def write_big(path, records: int, *, seed: int = 7) -> None:
    """A file of ``records`` valid rows (for the benchmark), written in blocks."""
    rng = random.Random(seed)
    with open(path, "wb") as handle:
        block = []
        for i in range(1, records + 1):
            block.append("|".join(good_row(i, rng)))
            if len(block) == 10000:
                handle.write(("\n".join(block) + "\n").encode())
                block = []
        if block:
            handle.write(("\n".join(block) + "\n").encode())
