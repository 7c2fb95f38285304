"""CompactSelect writes the same <select> as Django's Select, only faster (the kernel's and audit's copy)."""

import re

import pytest
from django import forms

from audit.forms import CompactSelect as AuditCompactSelect
from kernel.widgets import CompactSelect

CHOICES = [("", "Todas"), ("1", "Secretaría <Norte> & Ñandú"), ("2", 'Instituto "Sur"')]


def options(html):
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


def rendered(widget, value):
    class Form(forms.Form):
        institution = forms.ChoiceField(label="Institución", choices=CHOICES, widget=widget, required=True)

    form = Form(data={"institution": value})
    form.is_valid()
    return str(form["institution"])


@pytest.mark.parametrize("compact", [CompactSelect, AuditCompactSelect])
def test_same_options_selection_escaping_and_attributes_as_djangos_select(compact):
    for value in ("", "1", "2"):
        ours, django = rendered(compact, value), rendered(forms.Select, value)
        assert options(ours) == options(django) and len(options(ours)) == 3
        assert (
            ('id="id_institution"' in ours)
            and ("required" in ours)
            and ('aria-invalid="true"' in ours) == ('aria-invalid="true"' in django)
        )
    assert "&lt;Norte&gt; &amp; Ñandú" in rendered(compact, "1")
    assert options(rendered(compact, "2"))[2] == ("2", " selected", "Instituto &quot;Sur&quot;")
