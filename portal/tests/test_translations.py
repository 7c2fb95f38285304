"""Every Spanish text of the data-delivery and governance pages has an English translation.

The catalogue is compiled with msgfmt (as `make` does) into a temporary file, and each template is
read the way makemessages reads it (Django's templatize), so `{% translate %}` literals and
`{% blocktranslate %}` bodies (with their %(name)s placeholders and plural forms) are all checked.
"""

import ast
import gettext
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
TEMPLATE_GLOBS = [
    "supply/**/*.html",
    "governance/**/*.html",
    "notifications/supply_*/*",
    "notifications/governance_*/*",
    "pdf/supply_receipt.html",
    "pdf/governance_follow_up.html",
    "accounts/identity/*.html",
]

_LITERAL = r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_CALL = re.compile(rf"\b(gettext|ngettext|pgettext|npgettext)\(((?:{_LITERAL}\s*,?\s*)+)")


def _messages(path: Path) -> list[tuple[str, ...]]:
    """The (function, *literals) calls that makemessages would extract from a template."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    calls = []
    for match in _CALL.finditer(code):
        literals = tuple(ast.literal_eval(lit) for lit in re.findall(_LITERAL, match.group(2)))
        calls.append((match.group(1), *literals))
    return calls


MISSING = "\0missing"


class _Missing(gettext.NullTranslations):
    """Answers MISSING for a text the catalogue lacks (a translation may equal its msgid: "Layout")."""

    def gettext(self, message):
        return MISSING

    def ngettext(self, msgid1, msgid2, n):
        return MISSING

    def pgettext(self, context, message):
        return MISSING

    def npgettext(self, context, msgid1, msgid2, n):
        return MISSING


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> gettext.GNUTranslations:
    mo_file = tmp_path_factory.mktemp("locale") / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(mo_file), str(PO_FILE)], check=True, capture_output=True)
    with mo_file.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    catalogue.add_fallback(_Missing())
    return catalogue


def _templates() -> list[Path]:
    found = sorted({path for pattern in TEMPLATE_GLOBS for path in TEMPLATES.glob(pattern) if path.is_file()})
    assert found, "no templates matched"
    return found


def test_the_scanner_reads_translate_and_blocktranslate():
    calls = _messages(TEMPLATES / "notifications" / "governance_acuerdo_due" / "body.txt")
    assert ("gettext", "El acuerdo %(code)s vence el %(date)s:") in calls


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_every_template_text_has_an_english_translation(english, template):
    untranslated = []
    for function, *literals in _messages(template):
        if function == "gettext":
            (msgid,) = literals
            if msgid.strip() and english.gettext(msgid) == MISSING:
                untranslated.append(msgid)
        elif function == "ngettext":
            singular, plural = literals[:2]
            if english.ngettext(singular, plural, 1) == MISSING:
                untranslated.append(singular)
        elif function == "pgettext":
            context, msgid = literals[:2]
            if english.pgettext(context, msgid) == MISSING:
                untranslated.append(f"{context}|{msgid}")
        else:
            context, singular, plural = literals[:3]
            if english.npgettext(context, singular, plural, 1) == MISSING:
                untranslated.append(f"{context}|{singular}")
    assert untranslated == [], f"{template.relative_to(TEMPLATES)} lacks English for: {untranslated}"
