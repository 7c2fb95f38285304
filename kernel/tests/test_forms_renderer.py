"""Selects start with a prompt, list filters with "Todos" (issue 21): never Django's "---------"."""

import re

from django import forms

from kernel.widgets import CompactSelect


def options(html):
    return re.findall(r"<option[^>]*>([^<]*)</option>", html)


class Form(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    compact = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], widget=CompactSelect)
    yes_no = forms.NullBooleanField(widget=forms.NullBooleanSelect)


def test_selects_start_with_a_prompt_and_a_yes_no_filter_with_todos():
    form = Form()
    assert options(str(form["plain"]))[0] == "Elija una opción"
    assert options(str(form["compact"]))[0] == "Elija una opción"
    assert options(str(form["yes_no"]))[0] == "Todos"


def test_list_filters_say_todos():
    from agreements.filters import AgreementFilter
    from agreements.models import Agreement

    form = AgreementFilter({}, queryset=Agreement.objects.none()).form
    assert options(str(form["status"]))[0] == "Todos"
    assert "---------" not in str(form["kind"])
