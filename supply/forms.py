from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.rules import obligation_periods

from .models import Delivery, Layout
from .validation import max_upload_bytes

ACCEPTED_NAMES = (".txt", ".csv", ".zip")


class DeliveryForm(forms.Form):
    layout = forms.ModelChoiceField(label=_("Layout (convenio)"), queryset=Layout.objects.none())
    kind = forms.ChoiceField(label=_("Tipo de entrega"), choices=Delivery.Kind.choices)
    period = forms.ChoiceField(
        label=_("Periodo"), required=False, help_text=_("Para las actualizaciones: la obligación y su periodo.")
    )
    file = forms.FileField(
        label=_("Archivo"), help_text=_(".txt o .csv delimitado, o un .zip que contenga uno solo (hasta 2 GB).")
    )
    password = forms.CharField(
        label=_("Contraseña del zip"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Solo si el zip la tiene. No se guarda."),
    )
    replacement_reason = forms.CharField(
        label=_("Motivo de la sustitución"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatorio si el periodo ya tiene una entrega aceptada."),
    )

    def __init__(self, *args, layouts, institution, place_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].queryset = layouts
        self.institution = institution
        choices = [("", _("— Carga inicial (sin periodo) —"))]
        today = timezone.localdate()
        for layout in layouts:
            for obligation in layout.agreement.obligations.filter(
                is_active=True, party__institution=institution, schedule__in=["monthly", "fortnightly"]
            ):
                for start, due in obligation_periods(
                    schedule=obligation.schedule,
                    starts_on=obligation.starts_on,
                    due_on=obligation.due_on,
                    business_days=obligation.business_days,
                    ends_on=obligation.ends_on,
                    until=today + timezone.timedelta(days=40),
                ):
                    if due >= today - timezone.timedelta(days=400):
                        label = _("%(folio)s: periodo %(start)s (vence %(due)s)") % {
                            "folio": layout.agreement.folio,
                            "start": f"{start:%d/%m/%Y}",
                            "due": f"{due:%d/%m/%Y}",
                        }
                        choices.append((f"{obligation.pk}:{start.isoformat()}", label))
        self.fields["period"].choices = choices
        if place_allowed:
            self.fields["place"] = forms.CharField(
                label=_("Lugar de la entrega"),
                initial="portal",
                max_length=200,
                help_text=_("«portal», o el lugar físico si la carga inicial llegó en disco."),
            )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(ACCEPTED_NAMES):
            if file.name.lower().endswith((".rar", ".7z", ".gz", ".tar")):
                raise forms.ValidationError(_("Ese formato no se acepta: comprima el archivo en .zip."))
            raise forms.ValidationError(_("Entregue un archivo .txt, .csv o .zip."))
        if file.size == 0:
            raise forms.ValidationError(_("El archivo está vacío."))
        if file.size > max_upload_bytes():
            raise forms.ValidationError(_("El archivo pasa del máximo permitido (2 GB)."))
        return file

    def clean(self):
        data = super().clean()
        period = data.get("period") or ""
        data["obligation_pk"], data["period_start"] = None, None
        if data.get("kind") == Delivery.Kind.PERIODIC:
            if not period:
                self.add_error("period", _("Elija el periodo de la actualización."))
            else:
                obligation_pk, start = period.split(":", 1)
                data["obligation_pk"], data["period_start"] = int(obligation_pk), start
        return data


class CatalogForm(forms.Form):
    code = forms.SlugField(label=_("Clave del catálogo"), max_length=60, help_text=_("p. ej. adscripcion-medica"))
    name = forms.CharField(label=_("Nombre"), max_length=200)
    file = forms.FileField(
        label=_("Archivo"), help_text=_("Una línea por clave: clave|significado (UTF-8 o Windows-1252).")
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


MARK_CHOICES = [("", _("Según el cálculo")), ("1", _("Cumple")), ("0", _("No cumple"))]


class EvaluationCorrectForm(forms.Form):
    supply = forms.ChoiceField(label=_("Acopio y suministro"), choices=MARK_CHOICES, required=False)
    timeliness = forms.ChoiceField(label=_("Oportunidad"), choices=MARK_CHOICES, required=False)
    quality = forms.ChoiceField(label=_("Calidad"), choices=MARK_CHOICES, required=False)
    reason = forms.CharField(
        label=_("Motivo de la corrección"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def marks(self):
        return {
            k: (None if self.cleaned_data[k] == "" else self.cleaned_data[k] == "1")
            for k in ("supply", "timeliness", "quality")
        }
