from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from kernel import documents
from kernel.calendar import MAX_TERM_YEARS, typed_date_validators

from .models import (
    Agreement,
    AgreementParty,
    Document,
    Institution,
    LinkOfficer,
    MemberNotice,
    Membership,
    NonWorkingDay,
    Obligation,
    TerminationNotice,
)
from .services.drafts import DRAFT_FIELDS


def _dates(form):
    """Date inputs in ISO format, limited to the dates the portal computes with (see
    portal.calendar); a term of years limited likewise, so its end date stays a date."""
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            field.validators += typed_date_validators()
        elif name == "term_years":
            field.max_value = MAX_TERM_YEARS
            field.validators.append(MaxValueValidator(MAX_TERM_YEARS))
            field.widget.attrs["max"] = MAX_TERM_YEARS


class DateForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class AgreementForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=_("Instituciones integrantes que firman"),
        queryset=Institution.objects.filter(kind=Institution.Kind.MEMBER),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("La Comisión se agrega como parte en todos los convenios."),
    )

    class Meta:
        model = Agreement
        fields = [
            "folio",
            "title",
            "kind",
            "purpose",
            "signing_place",
            "signed_on",
            "term_kind",
            "term_years",
            "term_until",
            "notice_days",
            "notice_day_kind",
            "rescission_answer_days",
            "officer_report_months",
            "is_reference",
        ]

    support_institutions = forms.ModelMultipleChoiceField(
        label=_("Partes de apoyo"),
        required=False,
        queryset=Institution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Otras instituciones que firman con carácter de apoyo."),
    )
    witness_name = forms.CharField(label=_("Testigo: nombre completo"), required=False, max_length=200)
    witness_position = forms.CharField(label=_("Testigo: cargo"), required=False, max_length=200)
    witness_organization = forms.CharField(label=_("Testigo: dependencia"), required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        # Only institutions the user may see are offered (the commission sees every member).
        self.fields["members"].queryset = Institution.objects.visible_to(user).filter(kind=Institution.Kind.MEMBER)
        self.fields["support_institutions"].queryset = self.fields["members"].queryset
        self.fields["is_reference"].help_text = _(
            "Convenio entre otras dos partes que la Comisión conserva como antecedente: la Comisión no se "
            "agrega como parte y el convenio no otorga cuentas. Marque las dos partes como integrantes."
        )
        # Left empty, the early-termination notice follows the kind of agreement (rules.py).
        self.fields["notice_days"].required = False
        self.fields["notice_days"].initial = None
        self.fields["notice_days"].help_text = _(
            "Vacío: 30 días naturales en convenios de coordinación, 30 días hábiles en convenios de apoyo."
        )
        self.fields["notice_day_kind"] = forms.ChoiceField(
            label=self.fields["notice_day_kind"].label,
            required=False,
            choices=[("", _("Según el tipo de convenio")), *Agreement.DayKind.choices],
        )

    def clean(self):
        data = super().clean()
        kind = data.get("term_kind")
        if kind == Agreement.TermKind.YEARS and not data.get("term_years"):
            self.add_error("term_years", _("Indique cuántos años dura el convenio."))
        if kind in (Agreement.TermKind.UNTIL_DATE, Agreement.TermKind.ADMINISTRATION) and not data.get("term_until"):
            self.add_error("term_until", _("Indique la fecha en que termina la vigencia."))
        if (data.get("witness_position") or data.get("witness_organization")) and not data.get("witness_name"):
            self.add_error("witness_name", _("Escriba el nombre del testigo."))
        return data

    def parties(self, commission):
        """(institution, role) of every party the form names; the commission unless for reference."""
        data = self.cleaned_data
        parties = (
            [] if data.get("is_reference") or commission is None else [(commission, AgreementParty.Role.COMMISSION)]
        )
        parties += [(inst, AgreementParty.Role.MEMBER) for inst in data["members"]]
        member_pks = {inst.pk for inst in data["members"]}
        parties += [
            (inst, AgreementParty.Role.SUPPORT)
            for inst in data.get("support_institutions") or ()
            if inst.pk not in member_pks
        ]
        return parties

    def service_fields(self):
        data = self.cleaned_data
        extra = {"members", "support_institutions", "witness_name", "witness_position", "witness_organization"}
        fields = {k: v for k, v in data.items() if k not in extra}
        if data.get("witness_name"):
            fields["witnesses"] = [(data["witness_name"], data["witness_position"], data["witness_organization"])]
        return fields


class AgreementDraftForm(forms.ModelForm):
    """A draft's data, corrected before it enters into force (parties are kept as registered)."""

    class Meta:
        model = Agreement
        fields = list(DRAFT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)

    def clean(self):
        data = super().clean()
        kind = data.get("term_kind")
        if kind == Agreement.TermKind.YEARS and not data.get("term_years"):
            self.add_error("term_years", _("Indique cuántos años dura el convenio."))
        if kind in (Agreement.TermKind.UNTIL_DATE, Agreement.TermKind.ADMINISTRATION) and not data.get("term_until"):
            self.add_error("term_until", _("Indique la fecha en que termina la vigencia."))
        return data


class DocumentForm(DateForm):
    kind = forms.ChoiceField(
        label=_("Tipo de documento"),
        choices=[
            (k, v)
            for k, v in Document.Kind.choices
            if k in ("signed", "annex", "specification", "amendment", "notice", "evidence")
        ],
    )
    title = forms.CharField(label=_("Título"), max_length=200)
    file = forms.FileField(
        label=_("Archivo"),
        help_text=_("PDF, PNG o JPEG; el tipo se comprueba por su contenido."),
        validators=[documents.document_validator()],
    )


class OfficerForm(forms.ModelForm):
    function_codes = forms.MultipleChoiceField(
        label=_("Funciones"),
        required=False,
        choices=LinkOfficer.Function.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    designation_letter_file = forms.FileField(
        label=_("Oficio de designación"),
        required=False,
        help_text=_("El oficio con que la parte designa a su enlace. PDF, PNG o JPEG."),
        validators=[documents.document_validator()],
    )

    class Meta:
        model = LinkOfficer
        fields = [
            "role",
            "full_name",
            "position",
            "phone",
            "email",
            "address",
            "functions",
            "notified_on",
            "effective_from",
        ]
        help_texts = {
            "effective_from": _("Déjelo vacío para que surta efectos al día siguiente de la notificación."),
        }

    def __init__(self, *args, party=None, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["effective_from"].required = False
        self.fields["address"].widget.attrs["rows"] = 2
        self.fields["functions"].widget.attrs["rows"] = 3
        if party is not None and party.institution.kind == Institution.Kind.COMMISSION:
            # The commission's officer signs the letter for the data received from this account.
            self.fields["account"] = officer_account_field()


def officer_account_field(**kwargs):
    from .services import officer_accounts

    return forms.ModelChoiceField(
        label=_("Cuenta del enlace en el portal"),
        queryset=officer_accounts(),
        required=False,
        help_text=_(
            "Una cuenta activa de la Comisión. Con ella el enlace firma la carta de confidencialidad "
            "sobre los datos personales que recibe la Comisión."
        ),
        **kwargs,
    )


class OfficerAccountForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Enlace"), queryset=LinkOfficer.objects.none())

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["account"] = officer_account_field()


class OfficerDeputyForm(DateForm):
    officer = forms.ModelChoiceField(label=_("Enlace al que suple"), queryset=LinkOfficer.objects.none())
    full_name = forms.CharField(label=_("Nombre completo"), max_length=200)
    position = forms.CharField(
        label=_("Cargo"), max_length=200, help_text=_("De nivel jerárquico inferior al del enlace.")
    )
    phone = forms.CharField(label=_("Teléfono"), max_length=40, required=False)
    email = forms.EmailField(label=_("Correo electrónico"), required=False)
    acting_from = forms.DateField(
        label=_("Suple desde"), required=False, help_text=_("Vacío si solo queda registrado como suplente.")
    )
    acting_until = forms.DateField(label=_("Suple hasta"), required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class OfficerReportForm(DateForm):
    officer = forms.ModelChoiceField(label=_("Enlace que informa"), queryset=LinkOfficer.objects.none())
    period_start = forms.DateField(label=_("Inicio del periodo"))
    period_end = forms.DateField(label=_("Fin del periodo"))
    filed_on = forms.DateField(label=_("Fecha de entrega"))
    report_file = forms.FileField(label=_("Informe"), validators=[documents.document_validator()])

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class PartyAddressForm(DateForm):
    address = forms.CharField(label=_("Nuevo domicilio"), widget=forms.Textarea(attrs={"rows": 2}))
    notified_on = forms.DateField(label=_("Fecha en que se notificó por escrito"))


class TerminationNoticeForm(DateForm):
    kind = forms.ChoiceField(label=_("Tipo de aviso"), choices=TerminationNotice.Kind.choices)
    notifying_party = forms.ModelChoiceField(label=_("Parte que notifica"), queryset=AgreementParty.objects.none())
    notified_on = forms.DateField(label=_("Fecha de notificación"))
    reason = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}))
    pending_matters = forms.CharField(
        label=_("Asuntos pendientes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notice_file = forms.FileField(
        label=_("Aviso por escrito firmado"),
        help_text=_("PDF, PNG o JPEG. El aviso se da por escrito; sin él no se registra."),
        validators=[documents.document_validator()],
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notifying_party"].queryset = agreement.parties.select_related("institution")


class AmendmentForm(DateForm):
    signed_on = forms.DateField(label=_("Fecha de firma de la adenda"))
    summary = forms.CharField(label=_("Resumen"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Adenda firmada"), validators=[documents.document_validator()])
    title = forms.CharField(label=_("Nuevo título"), required=False, max_length=255)
    term_kind = forms.ChoiceField(
        label=_("Nueva vigencia"), required=False, choices=[("", "—"), *Agreement.TermKind.choices]
    )
    term_years = forms.IntegerField(label=_("Nuevos años de vigencia"), required=False, min_value=1)
    term_until = forms.DateField(label=_("Nueva fecha límite de vigencia"), required=False)

    def new_terms(self):
        return {
            f: self.cleaned_data[f]
            for f in ("title", "term_kind", "term_years", "term_until")
            if self.cleaned_data.get(f)
        }


class ObligationForm(forms.ModelForm):
    class Meta:
        model = Obligation
        fields = ["party", "description", "schedule", "starts_on", "due_on", "business_days", "ends_on"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)
        self.fields["party"].queryset = agreement.parties.select_related("institution")
        self.fields["description"].widget.attrs["rows"] = 2


class ComplianceForm(DateForm):
    period_start = forms.ChoiceField(label=_("Periodo"))
    delivered_on = forms.DateField(label=_("Fecha de entrega"))
    delivered_by = forms.CharField(label=_("Entregó (nombre y cargo)"), max_length=200)
    evidence = forms.FileField(label=_("Evidencia"), required=False, validators=[documents.document_validator()])
    supply_ok = forms.BooleanField(label=_("Acopio y suministro satisfactorios"), required=False)
    quality_ok = forms.BooleanField(label=_("Calidad: campos obligatorios completos"), required=False)
    notes = forms.CharField(label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period_start"].choices = [(p.isoformat(), label) for p, label in periods]


class SignatoryForm(DateForm):
    full_name = forms.CharField(label=_("Nombre completo"), max_length=200)
    position = forms.CharField(label=_("Cargo"), max_length=200)
    rank = forms.CharField(label=_("Nivel jerárquico"), max_length=100)
    specimen = forms.FileField(
        label=_("Muestra de firma (imagen)"),
        help_text=_("PNG o JPEG."),
        validators=[documents.document_validator(kinds=documents.IMAGE_KINDS)],
    )
    valid_from = forms.DateField(label=_("Vigente desde"))
    valid_until = forms.DateField(label=_("Vigente hasta"), required=False)
    attested = forms.BooleanField(
        label=_("Declaro que mi institución verificó la autenticidad de esta firma."),
        error_messages={"required": _("Sin esta declaración la Comisión no puede registrar la firma.")},
    )


class DecisionNoteForm(forms.Form):
    note = forms.CharField(label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("Motivo"), widget=forms.Textarea(attrs={"rows": 3}))


class MembershipRequestForm(forms.Form):
    responsible_name = forms.CharField(label=_("Persona responsable"), max_length=200)
    agreement_proof = forms.FileField(
        label=_("Constancia del convenio firmado"), validators=[documents.document_validator()]
    )
    responsible_letter = forms.FileField(
        label=_("Oficio que designa a la persona responsable"), validators=[documents.document_validator()]
    )
    security_statement = forms.FileField(
        label=_("Manifiesto de medidas de seguridad"), validators=[documents.document_validator()]
    )


class MembershipDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Resolución"), choices=[("accept", _("Aceptar")), ("deny", _("Negar"))], widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label=_("Causa de la negativa"), required=False, choices=[("", "—"), *Membership.DenyReason.choices]
    )
    note = forms.CharField(label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "deny" and not data.get("reason"):
            self.add_error("reason", _("Para negar, elija una de las causas previstas."))
        return data


class MembershipFollowUpForm(forms.Form):
    responsible_user = forms.ModelChoiceField(
        label=_("Persona responsable de recibir y contestar los avisos"),
        required=False,
        queryset=None,
        help_text=_("Una cuenta de su institución; los avisos le llegan además de a los administradores."),
    )
    entitled_users_file = forms.FileField(
        label=_("Relación de personas con derecho de uso"),
        required=False,
        validators=[documents.document_validator()],
    )
    commitment_letter_file = forms.FileField(
        label=_("Carta compromiso"), required=False, validators=[documents.document_validator()]
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"].queryset = people


class MembershipExitForm(DateForm):
    ends_on = forms.DateField(
        label=_("Fecha de baja"),
        required=False,
        help_text=_("Si la deja vacía, la baja surte efectos el siguiente día hábil."),
    )
    reason = forms.CharField(label=_("Motivo"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MemberNoticeForm(forms.ModelForm):
    class Meta:
        model = MemberNotice
        fields = ["kind", "subject", "body", "change_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class RenewalForm(DateForm):
    folio = forms.CharField(label=_("Folio del nuevo periodo"), max_length=40)
    signed_on = forms.DateField(label=_("Fecha de firma de la renovación"))
    term_years = forms.IntegerField(
        label=_("Años de vigencia"),
        required=False,
        min_value=1,
        help_text=_("Vacío: los mismos que el periodo anterior."),
    )
    term_until = forms.DateField(label=_("Fecha límite de vigencia"), required=False)
    renewal_file = forms.FileField(
        label=_("Documento de renovación firmado"),
        help_text=_("La renovación requiere el acuerdo previo por escrito de las partes."),
        validators=[documents.document_validator()],
    )


class RescissionAnswerForm(DateForm):
    answered_on = forms.DateField(label=_("Fecha de la respuesta"))
    answer = forms.CharField(label=_("Respuesta de la otra parte"), widget=forms.Textarea(attrs={"rows": 4}))


class NonWorkingDayForm(forms.ModelForm):
    class Meta:
        model = NonWorkingDay
        fields = ["date", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self)


class DesignationDeadlineForm(DateForm):
    due_on = forms.DateField(
        label=_("Fecha límite para designar enlace"), required=False, help_text=_("Déjela vacía para quitar el plazo.")
    )
