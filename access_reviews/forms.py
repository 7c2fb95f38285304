from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agreements.models import Institution

from .services import MAX_BUSINESS_DAYS


class CampaignOpenForm(forms.Form):
    name = forms.CharField(label=_("Nombre de la revisión"), max_length=150)
    business_days = forms.IntegerField(
        label=_("Plazo en días hábiles"),
        min_value=1,
        max_value=MAX_BUSINESS_DAYS,
        initial=10,
        help_text=_("La fecha límite se cuenta en días hábiles desde hoy (sin fines de semana ni días inhábiles)."),
    )
    reminder_days = forms.CharField(
        label=_("Recordatorios"),
        required=False,
        initial="5, 2, 1",
        help_text=_(
            "Días hábiles antes de la fecha límite en que se recuerda a quien no ha respondido, separados por comas."
        ),
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("Instituciones"),
        queryset=Institution.objects.filter(kind=Institution.Kind.MEMBER).order_by("acronym"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sin ninguna marcada, la revisión abarca todas las instituciones integrantes."),
    )

    def clean_reminder_days(self):
        text = (self.cleaned_data.get("reminder_days") or "").replace(";", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError:
            raise ValidationError(_("Escriba números enteros separados por comas, por ejemplo: 5, 2, 1.")) from None


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la revocación"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Por ejemplo: la persona dejó la institución o ya no necesita el acceso."),
    )
