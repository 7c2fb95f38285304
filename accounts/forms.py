from django import forms
from django.utils.translation import gettext_lazy as _


class ReactivationForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la reactivación"),
        help_text=_("Por ejemplo, el número de oficio de la solicitud de la institución. Queda en la bitácora."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
