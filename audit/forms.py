from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.calendar import typed_date_validators
from portal.widgets import CompactSelect

from .selectors import TimelineFilters, object_types

KIND_CHOICES = [
    ("", _("Todos")),
    ("access", _("Accesos")),
    ("auth", _("Autenticación")),
    ("business", _("Operaciones")),
    ("change", _("Cambios a registros")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimelineFilterForm(forms.Form):
    user = forms.CharField(label=_("Usuario"), required=False, max_length=150)
    institution = forms.ModelChoiceField(
        label=_("Institución"), required=False, queryset=None, empty_label=_("Todas"), widget=CompactSelect
    )
    date_from = forms.DateField(
        label=_("Desde"), required=False, widget=DateInput(), validators=typed_date_validators()
    )
    date_to = forms.DateField(label=_("Hasta"), required=False, widget=DateInput(), validators=typed_date_validators())
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
        self.fields["object_type"].choices = [("", _("Todos"))] + [(label, label) for label in object_types()]

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
