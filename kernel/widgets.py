"""Form widgets of the portal."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .forms_renderer import prompt_label


class CompactSelect(forms.Select):
    """A <select> written in Python rather than through a template per option.

    Django renders every <option> through its own template; for a list of the platform's 500
    institutions that costs more than the rest of the page. The markup is the same as Django's:
    the same attributes (id, required, aria-*), each option's value escaped and ``selected`` kept.
    Option groups are not supported: use ``forms.Select`` for grouped choices.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option["value"] is None else option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    prompt_label(option["label"]),
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)
