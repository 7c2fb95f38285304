"""Every data-entry form has a "Cancelar" link back to where the person came from (issue 21).

A template walk: every template with a POST form of more than one visible input (a rendered form
counts as many) holds the cancel link, preferably through templates/includes/form_actions.html.
Single-button forms (sign out, confirm, decide) have no input and are not concerned."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# Pages where a way back would lead nowhere, with the reason.
ALLOWED_WITHOUT_CANCEL = {
    # The sign-in itself: there is no page before it to go back to.
    "registration/login.html",
    # Sign-in steps every page leads to until done (letter, its signed scan, second factor): a
    # "Cancelar" would come straight back here; the way out is the "Salir"/"Cerrar sesión" button.
    "accounts/letters/accept.html",
    "accounts/letters/scan_upload.html",
    "accounts/second_factor/enrol.html",
    "accounts/second_factor/verify.html",
}

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
# A whole rendered form: the shared field includes, {{ form }} or a loop over its fields.
WHOLE_FORM = re.compile(
    r'include "[^"]*(?:_fields|form_fields)\.html"|\{\{\s*\w*form\w*(?:\.as_\w+)?\s*\}\}|\{%\s*for \w+ in \w*form'
)
INPUT = re.compile(r"<input\b[^>]*>", re.I)
NOT_VISIBLE = re.compile(r'type="(?:hidden|submit|button|reset)"', re.I)
CANCEL = re.compile(
    r'include "includes/form_actions\.html"'
    r'|<a\b[^>]*href=[^>]*>\s*\{%\s*translate "Cancelar(?: y volver)?"\s*%\}\s*</a>'
)


def visible_inputs(body: str) -> int:
    if WHOLE_FORM.search(body):
        return 99
    inputs = sum(1 for tag in INPUT.findall(body) if not NOT_VISIBLE.search(tag))
    return (
        inputs
        + len(re.findall(r"<(?:select|textarea)\b", body, re.I))
        + len(re.findall(r"\{\{\s*\w*form\w*\.\w+\s*\}\}", body))
    )


def data_entry_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        forms = [body for attrs, body in FORM.findall(text) if 'method="post"' in attrs.lower()]
        if any(visible_inputs(body) > 1 for body in forms):
            yield path.relative_to(TEMPLATES).as_posix(), text


def test_every_data_entry_form_has_a_cancel_link():
    pages = dict(data_entry_templates())
    assert len(pages) > 30  # the walk finds the forms (a broken pattern would find none)
    missing = sorted(
        name for name, text in pages.items() if name not in ALLOWED_WITHOUT_CANCEL and not CANCEL.search(text)
    )
    assert not missing, f"forms without a 'Cancelar' link: {missing}"
    assert ALLOWED_WITHOUT_CANCEL <= set(pages), "an allowed page no longer has a form: drop it from the list"


def test_single_button_forms_are_not_asked_for_one():
    assert visible_inputs('{% csrf_token %}<button type="submit">Cerrar sesión</button>') == 0
    assert visible_inputs('<input type="hidden" name="a"><input type="text" name="b"><textarea></textarea>') == 2
    assert visible_inputs('{% include "includes/form_fields.html" %}') > 1
