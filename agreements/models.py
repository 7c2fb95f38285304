from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.identifiers import validate_rfc
from kernel.scoping import scope_queryset


class InstitutionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Institutions a user may see: all for platform-wide profiles, else their own (the one
        they belong to, whatever their scope) and any granted to them."""
        return scope_queryset(self, user, institution_lookup="pk", own_lookup="users")


class Institution(models.Model):
    """A tenant: the commission (platform operator, exactly one) or a member institution."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("Comisión")
        MEMBER = "member", _("Institución integrante")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Activa")
        SUSPENDED = "suspended", _("Suspendida")
        TERMINATED = "terminated", _("Baja")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    legal_name = models.CharField(_("razón social"), max_length=255, unique=True)
    acronym = models.CharField(_("siglas"), max_length=30, unique=True)
    rfc = models.CharField(_("RFC"), max_length=13, unique=True, validators=[validate_rfc])
    address = models.TextField(_("domicilio"), blank=True)
    state = models.CharField(_("entidad federativa"), max_length=60, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    history = HistoricalRecords()
    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="commission"), name="institution_single_commission"
            ),
        ]

    def __str__(self):
        return f"{self.acronym} — {self.legal_name}"

    @property
    def is_commission(self):
        return self.kind == self.Kind.COMMISSION


# --- Calendar --------------------------------------------------------------------------------


class NonWorkingDay(models.Model):
    """A day the commission declares non-working on top of the federal holidays."""

    date = models.DateField(_("fecha"), unique=True)
    description = models.CharField(_("motivo"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("día inhábil")
        verbose_name_plural = _("días inhábiles")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.description}"


# --- Documents -------------------------------------------------------------------------------


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents of agreements the user sees, or of no agreement and the user's institution."""
        return scope_queryset(
            self,
            user,
            institution_lookup="institution",
            through={"agreement": Agreement.objects.visible_to(user)},
        ).filter(Q(agreement__isnull=True) | Q(agreement__in=Agreement.objects.visible_to(user).values("pk")))


class Document(models.Model):
    """A privately stored file: signed agreement, annex, amendment, evidence, specimen signature..."""

    class Kind(models.TextChoices):
        SIGNED_AGREEMENT = "signed", _("Convenio firmado")
        ANNEX = "annex", _("Anexo técnico")
        SPECIFICATION = "specification", _("Especificación")
        AMENDMENT = "amendment", _("Convenio modificatorio")
        NOTICE = "notice", _("Aviso o notificación")
        EVIDENCE = "evidence", _("Evidencia de cumplimiento")
        SPECIMEN = "specimen", _("Muestra de firma")
        MEMBERSHIP = "membership", _("Documento de registro")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="documents", verbose_name=_("institución")
    )
    agreement = models.ForeignKey(
        "Agreement",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("convenio"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), max_length=255)
    original_name = models.CharField(_("nombre original"), max_length=255)
    content_type = models.CharField(_("tipo de contenido"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("cargado por")
    )
    uploaded_at = models.DateTimeField(_("cargado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title


# --- Agreements ------------------------------------------------------------------------------


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place of the agreement scope rule.

        Commission (platform) profiles see every agreement; institution profiles see the
        agreements their institution is party to; 'assigned' profiles see the ones granted to them
        one by one (django-guardian, ``accounts.services.assignment_grant``).
        """
        return scope_queryset(self, user, institution_lookup="parties__institution")


class Agreement(models.Model):
    """An agreement. Its status moves only through the transitions declared below::

        draft --activate--> in_force --expire--> expired
                            in_force --terminate--> terminated (early termination made final)
                            in_force --rescind--> rescinded (rescission made final)

    A renewal is a new agreement linked through ``previous`` (``is_renewable`` says when).
    """

    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Coordinación y colaboración")
        SUPPORT = "support", _("Apoyo y colaboración")
        SPECIFIC = "specific", _("Específico")
        AMENDING = "amending", _("Modificatorio")

    class TermKind(models.TextChoices):
        UNTIL_DATE = "until_date", _("Hasta una fecha")
        YEARS = "years", _("Número de años desde la firma")
        ADMINISTRATION = "administration", _("Hasta el fin de la administración")
        INDEFINITE = "indefinite", _("Indefinida")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        IN_FORCE = "in_force", _("Vigente")
        EXPIRED = "expired", _("Vencido")
        TERMINATED = "terminated", _("Terminado anticipadamente")
        RESCINDED = "rescinded", _("Rescindido")

    class DayKind(models.TextChoices):
        NATURAL = "natural", _("Días naturales")
        BUSINESS = "business", _("Días hábiles")

    EXPIRING_SOON_DAYS = 90
    RENEWABLE_STATUSES = (Status.IN_FORCE, Status.EXPIRED)

    folio = models.CharField(_("folio"), max_length=40, unique=True)
    title = models.CharField(_("título"), max_length=255)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("objeto"))
    signing_place = models.CharField(_("lugar de firma"), max_length=200, blank=True)
    signed_on = models.DateField(_("fecha de firma"), null=True, blank=True)
    term_kind = models.CharField(_("vigencia"), max_length=20, choices=TermKind.choices)
    term_years = models.PositiveSmallIntegerField(_("años de vigencia"), null=True, blank=True)
    term_until = models.DateField(
        _("fecha límite de vigencia"),
        null=True,
        blank=True,
        help_text=_("Para «hasta una fecha» y «hasta el fin de la administración»."),
    )
    end_date = models.DateField(_("fecha de término"), null=True, blank=True, editable=False)
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=False)
    notice_days = models.PositiveSmallIntegerField(_("días de aviso de terminación"), default=30)
    notice_day_kind = models.CharField(
        _("tipo de días del aviso"), max_length=10, choices=DayKind.choices, default=DayKind.NATURAL
    )
    rescission_answer_days = models.PositiveSmallIntegerField(
        _("días hábiles para responder a la rescisión"), default=10
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("periodo anterior"),
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")
        ordering = ["-signed_on", "folio"]
        permissions = [
            ("manage_agreement_lifecycle", "Registrar terminaciones, rescisiones y modificaciones de convenios"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(term_kind="years") | Q(term_years__gte=1),
                name="agreement_years_term_has_years",
            ),
            models.CheckConstraint(
                condition=~Q(term_kind__in=["until_date", "administration"]) | Q(term_until__isnull=False),
                name="agreement_dated_term_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.folio} — {self.title}"

    def save(self, *args, **kwargs):
        self.end_date = self.compute_end_date()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "end_date"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("agreements:detail", kwargs={"agreement_pk": self.pk})

    def compute_end_date(self):
        from .rules import agreement_end_date

        return agreement_end_date(
            term_kind=self.term_kind, signed_on=self.signed_on, term_years=self.term_years, term_until=self.term_until
        )

    def is_expiring_soon(self, today=None):
        """Derived, never stored: in force and ending within EXPIRING_SOON_DAYS."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return (
            self.is_in_force
            and self.end_date is not None
            and today <= self.end_date <= today + timedelta(days=self.EXPIRING_SOON_DAYS)
        )

    @property
    def expiring_soon(self):
        return self.is_expiring_soon()

    @property
    def is_renewable(self):
        """In force or expired, and not renewed yet (``services.agreement_renew`` checks the same)."""
        return self.status in self.RENEWABLE_STATUSES and not hasattr(self, "renewal")

    # --- State machine ---------------------------------------------------------------------

    @property
    def is_draft(self):
        """Not in force yet: it may be declared in force once signed (``activate``)."""
        return can_proceed(self.activate, check_conditions=False)

    @property
    def is_in_force(self):
        """In force: it may be amended, receive a termination or rescission notice, and expire."""
        return can_proceed(self.expire)

    @property
    def is_signed(self):
        return self.signed_on is not None

    @transition(field=status, source=Status.DRAFT, target=Status.IN_FORCE, conditions=[lambda a: a.is_signed])
    def activate(self):
        pass

    @transition(field=status, source=Status.IN_FORCE, target=Status.EXPIRED)
    def expire(self):
        pass

    @transition(field=status, source=Status.IN_FORCE, target=Status.TERMINATED)
    def terminate(self):
        pass

    @transition(field=status, source=Status.IN_FORCE, target=Status.RESCINDED)
    def rescind(self):
        pass


class AgreementPartyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Parties of the agreements the user sees."""
        return scope_queryset(
            self, user, institution_lookup=None, through={"agreement": Agreement.objects.visible_to(user)}
        )


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        COMMISSION = "commission", _("La Comisión")
        MEMBER = "member", _("Institución integrante")
        SUPPORT = "support", _("Parte de apoyo")
        WITNESS = "witness", _("Testigo")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("convenio")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="agreement_parties", verbose_name=_("institución")
    )
    role = models.CharField(_("carácter"), max_length=20, choices=Role.choices)
    officer_designation_due = models.DateField(_("fecha límite para designar enlace"), null=True, blank=True)

    history = HistoricalRecords()
    objects = AgreementPartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("parte del convenio")
        verbose_name_plural = _("partes del convenio")
        ordering = ["agreement", "role", "institution__acronym"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "institution"], name="party_once_per_agreement"),
        ]

    def __str__(self):
        return f"{self.institution.acronym} ({self.get_role_display()})"

    def current_officers(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.officers.filter(effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=on)
        )

    def designation_overdue(self, today=None):
        from django.utils import timezone

        today = today or timezone.localdate()
        return bool(
            self.officer_designation_due and self.officer_designation_due < today and not self.officers.exists()
        )


class TerminationNotice(models.Model):
    """Early termination or rescission of an agreement, with its computed dates. Its transitions::

    pending --answer--> answered          (rescissions only: the other party's answer)
    pending/answered --finalize--> final  (the agreement ends terminated or rescinded)
    pending/answered --withdraw--> withdrawn
    """

    class Kind(models.TextChoices):
        EARLY_TERMINATION = "termination", _("Terminación anticipada")
        RESCISSION = "rescission", _("Rescisión")

    class Status(models.TextChoices):
        PENDING = "pending", _("En plazo")
        ANSWERED = "answered", _("Respondida")
        FINAL = "final", _("Definitiva")
        WITHDRAWN = "withdrawn", _("Retirada")

    OPEN_STATUSES = (Status.PENDING, Status.ANSWERED)

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="termination_notices", verbose_name=_("convenio")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    notifying_party = models.ForeignKey(
        AgreementParty, on_delete=models.PROTECT, related_name="+", verbose_name=_("parte que notifica")
    )
    notified_on = models.DateField(_("fecha de notificación"))
    effective_on = models.DateField(_("fecha de efectos"), null=True, blank=True)
    answer_due_on = models.DateField(_("plazo para responder"), null=True, blank=True)
    reason = models.TextField(_("motivo"))
    pending_matters = models.TextField(_("asuntos pendientes"), blank=True)
    answer = models.TextField(_("respuesta de la otra parte"), blank=True)
    answered_on = models.DateField(_("fecha de respuesta"), null=True, blank=True)
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.PENDING, protected=False)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("documento")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aviso de terminación o rescisión")
        verbose_name_plural = _("avisos de terminación o rescisión")
        ordering = ["-notified_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.agreement.folio} ({self.notified_on:%d/%m/%Y})"

    @property
    def is_open(self):
        """Still in progress: it may be made final or withdrawn."""
        return can_proceed(self.withdraw)

    @property
    def awaits_answer(self):
        """A rescission notice whose other party has not answered yet."""
        return can_proceed(self.answer_received)

    @property
    def is_rescission(self):
        return self.kind == self.Kind.RESCISSION

    @transition(field=status, source=Status.PENDING, target=Status.ANSWERED, conditions=[lambda n: n.is_rescission])
    def answer_received(self, *, answer, answered_on):
        self.answer, self.answered_on = answer, answered_on

    @transition(field=status, source=OPEN_STATUSES, target=Status.FINAL)
    def finalize(self, *, today):
        """Made final: a rescission takes effect on the day it is made final."""
        if self.is_rescission:
            self.effective_on = today

    @transition(field=status, source=OPEN_STATUSES, target=Status.WITHDRAWN)
    def withdraw(self):
        pass


class Amendment(models.Model):
    """A signed addendum that changes the agreement's terms; ``changes`` keeps old and new values."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("convenio")
    )
    number = models.PositiveSmallIntegerField(_("número"))
    signed_on = models.DateField(_("fecha de firma"))
    summary = models.TextField(_("resumen"))
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("documento firmado")
    )
    changes = models.JSONField(_("cambios"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("modificación")
        verbose_name_plural = _("modificaciones")
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="amendment_number_unique")]

    def __str__(self):
        return f"{self.agreement.folio} — modificación {self.number}"


# --- Obligations and compliance --------------------------------------------------------------


class Obligation(models.Model):
    class Schedule(models.TextChoices):
        ONCE = "once", _("En una fecha")
        MONTHLY = "monthly", _("Mensual, dentro de los primeros N días hábiles")
        FORTNIGHTLY = "fortnightly", _("Quincenal, dentro de los primeros N días hábiles")
        YEARLY = "yearly", _("Anual")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("convenio")
    )
    party = models.ForeignKey(
        AgreementParty, on_delete=models.PROTECT, related_name="obligations", verbose_name=_("parte obligada")
    )
    description = models.TextField(_("compromiso"))
    schedule = models.CharField(_("periodicidad"), max_length=20, choices=Schedule.choices)
    starts_on = models.DateField(_("a partir de"))
    due_on = models.DateField(
        _("fecha"), null=True, blank=True, help_text=_("Para compromisos en una fecha o anuales.")
    )
    business_days = models.PositiveSmallIntegerField(_("días hábiles del periodo"), null=True, blank=True)
    ends_on = models.DateField(_("hasta"), null=True, blank=True)
    is_active = models.BooleanField(_("activo"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obligación")
        verbose_name_plural = _("obligaciones")
        ordering = ["agreement", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(schedule__in=["once", "yearly"]) | Q(due_on__isnull=False),
                name="obligation_dated_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(schedule__in=["monthly", "fortnightly"]) | Q(business_days__gte=1),
                name="obligation_periodic_has_days",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        """The constraints' rules, said on the field a person must fill (forms and services)."""
        errors = {}
        if self.schedule in (self.Schedule.ONCE, self.Schedule.YEARLY) and self.due_on is None:
            errors["due_on"] = _("Los compromisos en una fecha o anuales necesitan su fecha.")
        if self.schedule in (self.Schedule.MONTHLY, self.Schedule.FORTNIGHTLY) and not self.business_days:
            errors["business_days"] = _(
                "Los compromisos mensuales o quincenales necesitan los días hábiles del periodo."
            )
        if errors:
            raise ValidationError(errors)


class ComplianceRecord(models.Model):
    """One period's fulfilment of an obligation with the source's three evaluation marks."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="records", verbose_name=_("obligación")
    )
    period_start = models.DateField(_("inicio del periodo"))
    due_on = models.DateField(_("fecha límite"))
    delivered_on = models.DateField(_("fecha de entrega"))
    delivered_by = models.CharField(_("entregó"), max_length=200)
    evidence = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("evidencia")
    )
    supply_ok = models.BooleanField(_("acopio y suministro"), default=False)
    timeliness_ok = models.BooleanField(_("oportunidad"), default=False)
    quality_ok = models.BooleanField(_("calidad"), default=False)
    notes = models.TextField(_("observaciones"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("registrado"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registro de cumplimiento")
        verbose_name_plural = _("registros de cumplimiento")
        ordering = ["obligation", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "period_start"], name="compliance_once_per_period")
        ]

    def __str__(self):
        return f"{self.obligation} — {self.period_start:%d/%m/%Y}"


# --- Link officers ---------------------------------------------------------------------------


class LinkOfficer(models.Model):
    """An enlace of a party; a substitution closes the previous one (000 DÉCIMA QUINTA; 003 QUINTA)."""

    class Role(models.TextChoices):
        GENERAL = "general", _("Enlace general")
        TECHNICAL = "technical", _("Enlace técnico")
        OPERATIONAL = "operational", _("Enlace operativo")

    party = models.ForeignKey(
        AgreementParty, on_delete=models.PROTECT, related_name="officers", verbose_name=_("parte")
    )
    role = models.CharField(_("tipo de enlace"), max_length=20, choices=Role.choices, default=Role.GENERAL)
    full_name = models.CharField(_("nombre completo"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200)
    phone = models.CharField(_("teléfono"), max_length=40)
    email = models.EmailField(_("correo electrónico"))
    address = models.TextField(_("domicilio"))
    functions = models.TextField(_("funciones"))
    notified_on = models.DateField(_("fecha de notificación"))
    effective_from = models.DateField(_("vigente desde"))
    effective_until = models.DateField(_("vigente hasta"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("sustituye a"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enlace")
        verbose_name_plural = _("enlaces")
        ordering = ["party", "role", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "role"],
                condition=Q(effective_until__isnull=True),
                name="one_open_officer_per_party_role",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"


# --- Signature catalog -----------------------------------------------------------------------


class SignatoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution")

    def current(self, on=None):
        """Registered signatories valid on ``on`` (today by default): the only ones who may sign."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(status=Signatory.Status.REGISTERED, valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class Signatory(models.Model):
    """An authorized signature of an institution (000 DÉCIMA SÉPTIMA). Its transitions::

    submitted --register--> registered --revoke--> revoked
    submitted --reject--> rejected
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Enviada a la Comisión")
        REGISTERED = "registered", _("Registrada")
        REJECTED = "rejected", _("Rechazada")
        REVOKED = "revoked", _("Revocada")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="signatories", verbose_name=_("institución")
    )
    full_name = models.CharField(_("nombre completo"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200)
    rank = models.CharField(_("nivel jerárquico"), max_length=100)
    specimen = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("muestra de firma")
    )
    valid_from = models.DateField(_("vigente desde"))
    valid_until = models.DateField(_("vigente hasta"), null=True, blank=True)
    attested = models.BooleanField(_("la institución verificó su autenticidad"), default=False)
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, protected=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("enviada"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    decision_note = models.TextField(_("observaciones de la Comisión"), blank=True)

    history = HistoricalRecords()
    objects = SignatoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("firma autorizada")
        verbose_name_plural = _("catálogo de firmas")
        ordering = ["institution__acronym", "full_name"]
        permissions = [("decide_signatory", "Registrar, rechazar o revocar firmas autorizadas")]
        constraints = [
            models.CheckConstraint(condition=Q(attested=True), name="signatory_attested"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="signatory_valid_range",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} — {self.position}"

    # --- State machine ---------------------------------------------------------------------

    @property
    def awaits_decision(self):
        """Sent by its institution: the commission may register or reject it."""
        return can_proceed(self.register)

    @property
    def can_revoke(self):
        return can_proceed(self.revoke)

    def _decide(self, *, by, note):
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note

    @transition(field=status, source=Status.SUBMITTED, target=Status.REGISTERED)
    def register(self, *, by, note=""):
        self._decide(by=by, note=note)

    @transition(field=status, source=Status.SUBMITTED, target=Status.REJECTED)
    def reject(self, *, by, note):
        self._decide(by=by, note=note)

    @transition(field=status, source=Status.REGISTERED, target=Status.REVOKED)
    def revoke(self, *, by, note):
        self._decide(by=by, note=note)


# --- Memberships -----------------------------------------------------------------------------


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution")


class Membership(models.Model):
    """An institution's registration as a member (001, Cap. III). Its transitions::

        requested --accept--> accepted --leave--> leaving ------\
        requested --deny--> denied     accepted --terminate--> terminating --close--> ended
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        ACCEPTED = "accepted", _("Aceptada")
        DENIED = "denied", _("Negada")
        LEAVING = "leaving", _("Baja voluntaria programada")
        TERMINATING = "terminating", _("Terminación notificada")
        ENDED = "ended", _("Concluida")

    class DenyReason(models.TextChoices):
        NO_REPRESENTATION = "no_representation", _("No acreditó la representación")
        OUTDATED = "outdated", _("Información faltante o desactualizada")
        REQUIREMENTS = "requirements", _("No cumple los requisitos")

    TERMINATION_NOTICE_DAYS = 5
    # A membership in these states keeps the institution from asking for another one.
    CURRENT_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.LEAVING, Status.TERMINATING)
    ENDING_STATUSES = (Status.LEAVING, Status.TERMINATING)

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("institución")
    )
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.REQUESTED, protected=False)
    agreement_proof = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("constancia del convenio firmado")
    )
    responsible_letter = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("oficio que designa al responsable")
    )
    security_statement = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("manifiesto de medidas de seguridad")
    )
    responsible_name = models.CharField(_("persona responsable"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    requested_at = models.DateTimeField(_("solicitada"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    deny_reason = models.CharField(_("causa de la negativa"), max_length=30, choices=DenyReason.choices, blank=True)
    decision_note = models.TextField(_("observaciones"), blank=True)
    ends_on = models.DateField(_("fecha de baja"), null=True, blank=True)
    end_reason = models.TextField(_("motivo de la baja"), blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        ordering = ["-requested_at"]
        permissions = [("decide_membership", "Resolver y terminar membresías")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(deny_reason=""), name="membership_denied_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.institution.acronym} — {self.get_status_display()}"

    # --- State machine ---------------------------------------------------------------------

    @property
    def awaits_decision(self):
        """Requested: the commission may accept or deny it."""
        return can_proceed(self.accept)

    @property
    def can_leave(self):
        return can_proceed(self.leave)

    @property
    def can_terminate(self):
        return can_proceed(self.terminate)

    def _decide(self, *, by, note):
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), note

    @transition(field=status, source=Status.REQUESTED, target=Status.ACCEPTED)
    def accept(self, *, by, note=""):
        self._decide(by=by, note=note)

    @transition(field=status, source=Status.REQUESTED, target=Status.DENIED)
    def deny(self, *, by, reason, note=""):
        self.deny_reason = reason
        self._decide(by=by, note=note)

    @transition(field=status, source=Status.ACCEPTED, target=Status.LEAVING)
    def leave(self, *, ends_on, reason):
        """The member leaves of its own accord on ``ends_on``."""
        self.ends_on, self.end_reason = ends_on, reason

    @transition(field=status, source=Status.ACCEPTED, target=Status.TERMINATING)
    def terminate(self, *, ends_on, reason):
        """The commission ends it on ``ends_on`` (after the notice period)."""
        self.ends_on, self.end_reason = ends_on, reason

    @transition(field=status, source=ENDING_STATUSES, target=Status.ENDED)
    def close(self):
        pass


# --- Notices to members ----------------------------------------------------------------------


class MemberNotice(models.Model):
    """A notice from the commission to member institutions, with the source's lead times (001)."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Cambio programado (15 días hábiles)")
        UNPLANNED = "unplanned", _("Cambio no programado (5 días hábiles)")
        PROTOCOL = "protocol", _("Cambio al protocolo (un mes)")

    kind = models.CharField(_("tipo de aviso"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("asunto"), max_length=200)
    body = models.TextField(_("contenido"))
    sent_on = models.DateField(_("fecha de envío"))
    change_on = models.DateField(_("fecha del cambio"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aviso a integrantes")
        verbose_name_plural = _("avisos a integrantes")
        ordering = ["-sent_on", "-id"]

    def __str__(self):
        return self.subject


class SentAlert(models.Model):
    """One row per alert the daily job has sent, so each event is announced once."""

    key = models.CharField(_("clave"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("enviado"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alerta enviada")
        verbose_name_plural = _("alertas enviadas")

    def __str__(self):
        return self.key
