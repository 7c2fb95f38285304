"""Forms for account requests, review, activation, the confidentiality letter and account changes."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.identifiers import normalize_curp, normalize_rfc

from .identity.selectors import system_choices
from .models import (
    AccountChangeRequest,
    AccountRequest,
    ConfidentialityLetter,
    LetterTemplate,
    OnboardingSettings,
    Profile,
    RequiredDocument,
    System,
    User,
)
from .services_onboarding import CURU_FIELDS, systems_not_allowed


def requestable_profiles(institution):
    qs = Profile.objects.filter(is_active=True)
    if not institution.is_commission:
        qs = qs.exclude(scope=Profile.Scope.PLATFORM)
    return qs


class AccountRequestForm(forms.ModelForm):
    """The CURU data. Saving a draft needs only the name and a valid CURP; submission checks the rest."""

    class Meta:
        model = AccountRequest
        fields = [*CURU_FIELDS, "systems"]
        widgets = {
            "systems": forms.CheckboxSelectMultiple,
            "justification": forms.Textarea(attrs={"rows": 4}),
            "curp": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 18, "class": "upper"}),
            "rfc": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 13, "class": "upper"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "curp": _("18 caracteres. La fecha de nacimiento y el sexo se toman de la CURP."),
            "rfc": _("13 caracteres, con homoclave; se revisa su dígito verificador."),
            "systems": _("Las plataformas que la persona necesita; sólo las que su perfil puede usar."),
        }

    def __init__(self, *args, institution, user, **kwargs):
        super().__init__(*args, **kwargs)
        from agreements.models import Agreement, Signatory

        self.institution = institution
        # Only what the filing user's scope reaches (an assigned-scope profile: its grants).
        self.fields["agreement"].queryset = (
            Agreement.objects.visible_to(user).granting_access().filter(parties__institution=institution).distinct()
        )
        self.fields["signatory"].queryset = Signatory.objects.visible_to(user).current().filter(institution=institution)
        self.fields["requested_profile"].queryset = requestable_profiles(institution)
        self.fields["systems"].queryset = system_choices().prefetch_related("profiles")

    def clean(self):
        data = super().clean()
        systems = data.get("systems") or []
        refused = systems_not_allowed(data.get("requested_profile"), systems)
        if refused and not data.get("requested_profile"):
            self.add_error("systems", _("Elija el perfil solicitado antes de pedir sistemas."))
        elif refused:
            self.add_error(
                "systems",
                _("El perfil elegido no puede usar: %(systems)s.") % {"systems": ", ".join(s.name for s in refused)},
            )
        return data

    def clean_curp(self):
        return normalize_curp(self.cleaned_data.get("curp", ""))

    def clean_rfc(self):
        return normalize_rfc(self.cleaned_data.get("rfc", ""))

    def _get_validation_exclusions(self):
        # The institution is set by the view, not the form: still validate the CURP's uniqueness.
        return super()._get_validation_exclusions() | {"institution", "created_by", "folio"}


class DocumentUploadForm(forms.Form):
    """Several documents in one submit: one file input per requirement of the catalog (and its
    issue date when the requirement is dated), each labelled with the requirement. A file left
    empty keeps what is on file; each chosen file goes through the upload service on its own."""

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for requirement in self.requirements:
            self.fields[self.file_field(requirement)] = forms.FileField(label=requirement.name, required=False)
            if requirement.is_dated:
                self.fields[self.date_field(requirement)] = forms.DateField(
                    label=_("Fecha de expedición de «%(name)s»") % {"name": requirement.name},
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date"}),
                    help_text=_("Obligatoria si carga este documento: se revisa su vigencia."),
                )

    @staticmethod
    def file_field(requirement) -> str:
        return f"file_{requirement.pk}"

    @staticmethod
    def date_field(requirement) -> str:
        return f"issue_date_{requirement.pk}"

    def describe(self, documents) -> None:
        """Say at each file input what is on file now (``documents``: requirement pk -> document)."""
        for requirement in self.requirements:
            types = ", ".join(t.upper() for t in requirement.accepted_type_list)
            limits = _("%(types)s, hasta %(size)s MB.") % {"types": types, "size": requirement.max_size_mb}
            current = documents.get(requirement.pk)
            if current is not None:
                state = _("Cargado: %(name)s. Si elige otro archivo, lo reemplaza.") % {"name": current.original_name}
            elif requirement.mandatory:
                state = _("Obligatorio; aún sin cargar.")
            else:
                state = _("Aún sin cargar.")
            self.fields[self.file_field(requirement)].help_text = f"{state} {limits}"
        # Validation already built the bound fields, which copy their help text: build them again.
        self._bound_fields_cache.clear()

    def chosen(self):
        """(requirement, file, issue date) of every file chosen, in the catalog's order."""
        data = self.cleaned_data
        return [
            (r, data[self.file_field(r)], data.get(self.date_field(r)))
            for r in self.requirements
            if data.get(self.file_field(r))
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.chosen():
            raise forms.ValidationError(_("Elija al menos un archivo para cargar."), code="nothing_chosen")
        return data


class DocumentCheckForm(forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("Resultado"),
        choices=[("valid", _("Válido")), ("invalid", _("No válido"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Observación"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Resolución"),
        choices=[
            ("approve", _("Aprobar")),
            ("return", _("Devolver para corrección")),
            ("reject", _("Rechazar")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motivo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatorio para devolver o rechazar; la institución lo recibe tal cual."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("reject", "return") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Escriba el motivo para devolver o rechazar."))
        return data


class LetterAcceptForm(forms.Form):
    address = forms.CharField(label=_("Domicilio"), max_length=300)
    phone = forms.CharField(label=_("Teléfono"), max_length=40, widget=forms.TextInput(attrs={"type": "tel"}))
    id_document = forms.ChoiceField(label=_("Identificación"), choices=ConfidentialityLetter.IdDocument.choices)
    id_folio = forms.CharField(label=_("Folio de la identificación"), max_length=40)
    accept = forms.BooleanField(
        label=_("Leí la carta completa y acepto las obligaciones que contiene."),
        error_messages={"required": _("Para continuar debe aceptar la carta.")},
    )


class ScanUploadForm(forms.Form):
    file = forms.FileField(label=_("Carta firmada (PDF o imagen)"))


class ScanReviewForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Resultado"), choices=[("valid", _("Válida")), ("invalid", _("No válida"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Observación"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AccountChangeForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Cuenta"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Cambio solicitado"), choices=AccountChangeRequest.Kind.choices)
    new_profile = forms.ModelChoiceField(
        label=_("Perfil nuevo"),
        queryset=Profile.objects.none(),
        required=False,
        help_text=_("Sólo para cambio de perfil."),
    )
    system = forms.ModelChoiceField(
        label=_("Sistema"),
        queryset=System.objects.none(),
        required=False,
        help_text=_("Sólo para acceso a un sistema; debe poder usarlo el perfil de la cuenta."),
    )
    left_at = forms.DateTimeField(
        label=_("Fecha y hora en que dejó el cargo o cambió de área"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Sólo para cancelación. Pedirla más de 24 horas después la marca como extemporánea."),
    )
    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}))
    signatory = forms.ModelChoiceField(
        label=_("Firma autorizada que suscribe el oficio"),
        queryset=None,
        required=False,
        help_text=_("Firma registrada y vigente de su institución. Obligatoria salvo para acceso a un sistema."),
    )
    letter = forms.FileField(
        label=_("Oficio de solicitud firmado (PDF)"),
        required=False,
        help_text=_("Obligatorio para cambio de perfil, suspensión, reactivación y cancelación."),
    )
    catalog_form = forms.FileField(
        label=_("Formato de catálogo de perfil firmado (PDF)"),
        required=False,
        help_text=_("Descárguelo prellenado con el botón de abajo, fírmelo, escanéelo y adjúntelo."),
    )

    def __init__(self, *args, users, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["new_profile"].queryset = requestable_profiles(institution)
        self.fields["system"].queryset = system_choices()

        from agreements.models import Signatory

        self.fields["signatory"].queryset = Signatory.objects.current().filter(institution=institution)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == AccountChangeRequest.Kind.PROFILE_CHANGE and not data.get("new_profile"):
            self.add_error("new_profile", _("Elija el perfil nuevo."))
        if kind == AccountChangeRequest.Kind.SYSTEM_GRANT:
            system, user = data.get("system"), data.get("user")
            if not system:
                self.add_error("system", _("Elija el sistema."))
            elif user and systems_not_allowed(user.profile, [system]):
                self.add_error("system", _("El perfil de esa cuenta no puede usar este sistema."))
        if kind == AccountChangeRequest.Kind.CANCELLATION:
            if not data.get("left_at"):
                self.add_error("left_at", _("Indique cuándo dejó el cargo o cambió de área."))
            elif data["left_at"] > timezone.now():
                self.add_error("left_at", _("La fecha no puede ser futura."))
        return data


class ChangeResubmitForm(forms.Form):
    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}))
    letter = forms.FileField(
        label=_("Oficio de solicitud firmado (PDF)"),
        required=False,
        help_text=_("Sólo si la Comisión lo observó o quiere reemplazarlo."),
    )
    catalog_form = forms.FileField(
        label=_("Formato de catálogo de perfil firmado (PDF)"),
        required=False,
        help_text=_("Sólo si la Comisión lo observó o quiere reemplazarlo."),
    )


class RequiredDocumentForm(forms.ModelForm):
    class Meta:
        model = RequiredDocument
        fields = [
            "code",
            "name",
            "description",
            "mandatory",
            "accepted_types",
            "max_size_mb",
            "max_age_days",
            "position",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_accepted_types(self):
        value = self.cleaned_data["accepted_types"]
        kinds = [t.strip().lower() for t in value.split(",") if t.strip()]
        unknown = [k for k in kinds if k not in RequiredDocument.FileType.values]
        if not kinds or unknown:
            raise forms.ValidationError(_("Use sólo pdf, jpeg y png, separados por comas."))
        return ",".join(kinds)


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}


class OnboardingSettingsForm(forms.ModelForm):
    # Sensible limits: a deadline of 2,147,483,648 business days was accepted (on SQLite) and then
    # no due date could be computed; zero hours would make every activation link dead on arrival.
    BOUNDS = {"sla_business_days": (1, 60), "activation_hours": (1, 24 * 30)}

    class Meta:
        model = OnboardingSettings
        fields = ["sla_business_days", "activation_hours", "require_signed_letter_scan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.BOUNDS.items():
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)
