from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, AgreementParty, Institution
from kernel.calendar import typed_date_validators
from kernel.widgets import CompactSelect

from .models import Acuerdo, Attendance, Body, Incident, Session


def _dates(form):
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            field.validators += typed_date_validators()


class DateForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


def _file(label, *, required=True, help_text=""):
    return forms.FileField(
        label=label, required=required, help_text=help_text or _("PDF, PNG o JPEG; se revisa su contenido.")
    )


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo"), choices=Body.Kind.choices)
    name = forms.CharField(label=_("Nombre"), max_length=200)
    code = forms.RegexField(
        label=_("Clave"),
        max_length=12,
        regex=r"^[A-Za-z0-9]+$",
        error_messages={"invalid": _("Use solo letras y números, sin espacios.")},
        help_text=_("Prefijo de la numeración: CT da sesiones CT-2026-01 y acuerdos CT-2026-01/01."),
    )
    agreement = forms.ModelChoiceField(
        label=_("Convenio"),
        queryset=Agreement.objects.none(),
        required=False,
        widget=CompactSelect,
        help_text=_("Sus partes integran el órgano. Vacío para una conferencia u órgano independiente."),
    )
    institutions = forms.ModelMultipleChoiceField(
        label=_("Otras instituciones"),
        queryset=Institution.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(label=_("Atribuciones"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, agreements, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["institutions"].queryset = institutions


class MemberForm(DateForm):
    institution = forms.ModelChoiceField(label=_("Institución"), queryset=Institution.objects.none())
    full_name = forms.CharField(label=_("Nombre completo"), max_length=200)
    position = forms.CharField(label=_("Cargo"), max_length=200)
    email = forms.EmailField(label=_("Correo electrónico"), required=False)
    notified_on = forms.DateField(label=_("Fecha del aviso por escrito"))
    effective_from = forms.DateField(
        label=_("Vigente desde"), required=False, help_text=_("Vacío: surte efectos en la fecha del aviso.")
    )
    notice = _file(_("Aviso por escrito"), required=False, help_text=_("Obligatorio para una sustitución."))

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de sesión"), choices=Session.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Fecha y hora"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Lugar o liga de la reunión"), max_length=200, required=False)
    is_virtual = forms.BooleanField(label=_("Sesión virtual"), required=False)
    agenda = forms.CharField(label=_("Orden del día"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if not 1900 <= value.year <= 2200:
            raise forms.ValidationError(_("Escriba una fecha entre 1900 y 2200."))
        return value


class AttendanceForm(forms.Form):
    """One status and one "represented by" field per member in office on the session's date."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=f"{member.full_name} ({member.institution.acronym})",
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"represented_{member.pk}"] = forms.CharField(
                label=_("Representado por"), max_length=200, required=False
            )

    def clean(self):
        cleaned = super().clean()
        for member in self.members:
            if (
                cleaned.get(f"status_{member.pk}") == Attendance.Status.REPRESENTED
                and not cleaned.get(f"represented_{member.pk}", "").strip()
            ):
                self.add_error(f"represented_{member.pk}", _("Indique quién lo representó."))
        return cleaned

    def entries(self):
        return [
            (m, self.cleaned_data[f"status_{m.pk}"], self.cleaned_data.get(f"represented_{m.pk}", ""))
            for m in self.members
        ]


class AcuerdoForm(DateForm):
    text = forms.CharField(label=_("Acuerdo"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible_institutions = forms.ModelMultipleChoiceField(
        label=_("Instituciones responsables"),
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    responsible_people = forms.CharField(label=_("Personas responsables"), max_length=300, required=False)
    deadline_kind = forms.ChoiceField(
        label=_("Tipo de plazo"), choices=Acuerdo.DeadlineKind.choices, widget=forms.RadioSelect
    )
    deadline_date = forms.DateField(
        label=_("A más tardar el"), required=False, help_text=_("La fecha se respeta aunque sea inhábil.")
    )
    deadline_business_days = forms.IntegerField(
        label=_("Días hábiles desde la sesión"), min_value=1, max_value=365, required=False
    )
    linked_party = forms.ModelChoiceField(
        label=_("Designación de enlace que pide"),
        queryset=AgreementParty.objects.none(),
        required=False,
        help_text=_("Si el acuerdo pide designar enlace, se cierra solo cuando la parte lo designa."),
    )

    def __init__(self, *args, institutions, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_institutions"].queryset = institutions
        self.fields["linked_party"].queryset = parties

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("deadline_kind")
        if kind == Acuerdo.DeadlineKind.FIXED and not cleaned.get("deadline_date"):
            self.add_error("deadline_date", _("Indique la fecha «a más tardar»."))
        if kind == Acuerdo.DeadlineKind.BUSINESS_DAYS and not cleaned.get("deadline_business_days"):
            self.add_error("deadline_business_days", _("Indique el número de días hábiles."))
        if not cleaned.get("responsible_institutions") and not cleaned.get("responsible_people", "").strip():
            self.add_error("responsible_institutions", _("Indique al menos una institución o persona responsable."))
        return cleaned


class EvidenceForm(forms.Form):
    evidence = _file(_("Evidencia de cumplimiento"))
    note = forms.CharField(label=_("Nota"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Motivo de la cancelación"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Nota de seguimiento"), widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(forms.Form):
    minutes = _file(_("Acta firmada"))


class PilotRequestForm(DateForm):
    agreement = forms.ModelChoiceField(label=_("Convenio"), queryset=Agreement.objects.none(), widget=CompactSelect)
    requested_by = forms.ModelChoiceField(label=_("Institución solicitante"), queryset=Institution.objects.none())
    title = forms.CharField(label=_("Nombre del programa"), max_length=200)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    requested_on = forms.DateField(label=_("Fecha de la solicitud por escrito"))
    request_file = _file(_("Solicitud por escrito"))

    def __init__(self, *args, agreements, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["requested_by"].queryset = institutions


class PilotStartForm(DateForm):
    starts_on = forms.DateField(label=_("Inicio"))
    ends_on = forms.DateField(label=_("Término"), required=False, help_text=_("Vacío: seis meses desde el inicio."))
    reason = forms.CharField(
        label=_("Circunstancias que justifican exceder seis meses"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    justification = _file(_("Justificación por escrito"), required=False)


class PilotExtendForm(DateForm):
    ends_on = forms.DateField(label=_("Nuevo término"))
    reason = forms.CharField(label=_("Circunstancias que lo justifican"), widget=forms.Textarea(attrs={"rows": 3}))
    justification = _file(_("Justificación por escrito"))


class ConsentMarkForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Convenio"), queryset=Agreement.objects.none(), widget=CompactSelect)
    responsible = forms.ModelChoiceField(
        label=_("Institución que recaba y resguarda los consentimientos"),
        queryset=Institution.objects.none(),
        widget=CompactSelect,
    )
    notes = forms.CharField(label=_("Observaciones"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, agreements, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["responsible"].queryset = institutions


class ConsentRequestForm(DateForm):
    agreement = forms.ModelChoiceField(label=_("Convenio"), queryset=Agreement.objects.none(), widget=CompactSelect)
    requested_by = forms.ModelChoiceField(label=_("Institución que solicita"), queryset=Institution.objects.none())
    folios = forms.CharField(
        label=_("Folios de los consentimientos"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Un folio por renglón."),
    )
    due_on = forms.DateField(label=_("Fecha límite para entregar la evidencia"))

    def __init__(self, *args, agreements, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["requested_by"].queryset = institutions


class ConsentAnswerForm(forms.Form):
    document = _file(_("Evidencia"))
    document_2 = _file(_("Otra evidencia"), required=False)
    answer = forms.CharField(label=_("Respuesta"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def files_list(self):
        return [f for f in (self.cleaned_data.get("document"), self.cleaned_data.get("document_2")) if f]


class IncidentReportForm(forms.Form):
    """What happened, when, how severe and which systems (001 Cap. IV.1 VII–VIII)."""

    institution = forms.ModelChoiceField(
        label=_("Institución que reporta"), queryset=Institution.objects.none(), widget=CompactSelect
    )
    kind = forms.ChoiceField(label=_("Tipo"), choices=Incident.Kind.choices)
    description = forms.CharField(label=_("Qué ocurrió"), widget=forms.Textarea(attrs={"rows": 4}))
    occurred_at = forms.DateTimeField(
        label=_("Cuándo ocurrió"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    severity = forms.ChoiceField(label=_("Gravedad"), choices=Incident.Severity.choices)
    affected_systems = forms.CharField(label=_("Sistemas afectados"), max_length=300)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        if institutions.count() == 1:
            # A member reports for its own institution only: nothing to choose.
            self.fields["institution"].initial = institutions.get()
            self.fields["institution"].widget = forms.HiddenInput()

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if not 1900 <= value.year <= 2200:
            raise forms.ValidationError(_("Escriba una fecha entre 1900 y 2200."))
        return value


class IncidentCloseForm(forms.Form):
    note = forms.CharField(
        label=_("Nota de cierre"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Cómo se atendió o resolvió el incidente; la institución que lo reportó la verá."),
    )
