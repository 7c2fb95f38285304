import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .present import type_label
from .selectors import TimelineFilters, object_types

KIND_CHOICES = [
    ("", _("Todos")),
    ("access", _("Accesos")),
    ("auth", _("Autenticación")),
    ("business", _("Operaciones")),
    ("change", _("Cambios a registros")),
]


def _date_bounds() -> list:
    """Dates an auditor may type: the same 1900-2200 range as kernel.calendar's typed dates
    (audit imports no other app), so the day after the last one is still a date Python holds."""
    message = _("Escriba una fecha entre 1900 y 2200.")
    return [
        MinValueValidator(dt.date(1900, 1, 1), message=message),
        MaxValueValidator(dt.date(2200, 12, 31), message=message),
    ]


class CompactSelect(forms.Select):
    """A <select> written in Python: 500 institutions through Django's option template cost ~25 ms.

    The same markup as ``forms.Select`` (no option groups), like kernel.widgets.CompactSelect,
    of which it is audit's own copy (audit imports no other app); kernel/tests/test_widgets.py
    checks both against Django's.
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
                    option["label"],
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimelineFilterForm(forms.Form):
    user = forms.CharField(label=_("Usuario"), required=False, max_length=150)
    institution = forms.ModelChoiceField(
        label=_("Institución"), required=False, queryset=None, empty_label=_("Todas"), widget=CompactSelect
    )
    date_from = forms.DateField(label=_("Desde"), required=False, widget=DateInput(), validators=_date_bounds())
    date_to = forms.DateField(label=_("Hasta"), required=False, widget=DateInput(), validators=_date_bounds())
    kind = forms.ChoiceField(label=_("Tipo de registro"), required=False, choices=KIND_CHOICES)
    object_type = forms.ChoiceField(label=_("Tipo de objeto"), required=False)
    object_id = forms.CharField(label=_("Id del objeto"), required=False, max_length=64)
    ip = forms.GenericIPAddressField(label=_("Dirección IP"), required=False)
    q = forms.CharField(
        label=_("Texto"),
        required=False,
        max_length=100,
        help_text=_("Busca en la ruta, la vista, la acción o el nombre de usuario."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        institution_model = get_user_model()._meta.get_field("institution").related_model
        institutions = institution_model._default_manager.all()
        if user is not None and hasattr(institutions, "visible_to"):
            institutions = institutions.visible_to(user)
        self.fields["institution"].queryset = institutions.order_by("acronym")
        self.fields["institution"].label_from_instance = lambda obj: getattr(obj, "acronym", str(obj))
        # The auditor picks a type by its name ("Solicitud de cuenta"), never its model label.
        named = sorted(((label, type_label(label) or label) for label in object_types()), key=lambda c: str(c[1]))
        self.fields["object_type"].choices = [("", _("Todos")), *named]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("La fecha final no puede ser anterior a la inicial."))
        return cleaned

    def filters(self) -> TimelineFilters:
        data = self.cleaned_data
        institution = data.get("institution")
        return TimelineFilters(
            user=data.get("user", ""),
            institution_id=institution.pk if institution else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kind=data.get("kind", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            ip=data.get("ip") or "",
            text=data.get("q", ""),
        )
