"""Link officers each party designates, their deputies and their periodic reports."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreements import AgreementParty


class LinkOfficer(models.Model):
    """An enlace of a party; a substitution closes the previous one (000 DÉCIMA QUINTA; 003 QUINTA)."""

    class Role(models.TextChoices):
        GENERAL = "general", _("Enlace general")
        TECHNICAL = "technical", _("Enlace técnico")
        OPERATIONAL = "operational", _("Enlace operativo")

    class Function(models.TextChoices):
        """The functions the sources give link officers (000 DÉCIMA QUINTA–SEXTA)."""

        FOLLOW_UP = "follow_up", _("Dar seguimiento al cumplimiento del convenio e informar a sus superiores")
        SUPPLY_OVERSIGHT = "supply_oversight", _("Vigilar que la información se suministre a tiempo")
        IMPROVEMENTS = "improvements", _("Proponer mejoras al funcionamiento de la plataforma")
        PERIODIC_REPORTS = "periodic_reports", _("Rendir informes periódicos de sus actividades")
        COMPLIANCE = "compliance", _("Verificar el cumplimiento y la protección de los datos personales")
        SUPPLY_GUIDELINES = "supply_guidelines", _("Definir los mecanismos y acciones para el suministro")
        OTHER_ASSIGNED = "other_assigned", _("Las demás que se le asignen")

    party = models.ForeignKey(
        AgreementParty, on_delete=models.PROTECT, related_name="officers", verbose_name=_("parte")
    )
    role = models.CharField(_("tipo de enlace"), max_length=20, choices=Role.choices, default=Role.GENERAL)
    full_name = models.CharField(_("nombre completo"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200)
    phone = models.CharField(_("teléfono"), max_length=40)
    email = models.EmailField(_("correo electrónico"))
    address = models.TextField(_("domicilio"))
    function_codes = models.JSONField(_("funciones asignadas"), default=list, blank=True)
    functions = models.TextField(_("otras funciones o precisiones"), blank=True)
    designation_letter = models.ForeignKey(
        "Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oficio de designación"),
    )
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
    # The commission's officer signs in to sign the letter for the data received (000 NOVENA).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officer_roles",
        verbose_name=_("cuenta en el portal"),
        help_text=_("Sólo para enlaces de la Comisión: la cuenta con que firma la carta de confidencialidad."),
    )

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

    def get_absolute_url(self):
        """An officer is shown on the agreement's page, with its party."""
        return self.party.agreement.get_absolute_url()

    @property
    def is_commission_officer(self) -> bool:
        from .institutions import Institution

        return self.party.institution.kind == Institution.Kind.COMMISSION

    def owes_data_letter(self, today=None) -> bool:
        """A commission officer not yet replaced who has not signed the letter for the data received."""
        from django.utils import timezone

        today = today or timezone.localdate()
        ended = self.effective_until is not None and self.effective_until < today
        return self.is_commission_officer and not ended and not OfficerLetter.objects.filter(officer=self).exists()

    def function_labels(self):
        """The assigned functions in the sources' order, as text."""
        return [label for code, label in self.Function.choices if code in (self.function_codes or [])]

    def acting_deputy(self, on=None):
        """The deputy acting for the officer on ``on`` (the officer is absent), or None."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return (
            self.deputies.filter(acting_from__lte=on)
            .filter(Q(acting_until__isnull=True) | Q(acting_until__gte=on))
            .order_by("-acting_from")
            .first()
        )

    def report_due_on(self):
        """When the next periodic report is due, if the agreement sets a frequency (else None):
        the frequency after the end of the last period reported, or after taking office."""
        months = self.party.agreement.officer_report_months
        if not months:
            return None
        last = self.reports.order_by("-period_end").first()
        return (last.period_end if last else self.effective_from) + relativedelta(months=months)

    def report_overdue(self, today=None):
        from django.utils import timezone

        today = today or timezone.localdate()
        due = self.report_due_on()
        in_office = self.effective_until is None or self.effective_until >= today
        return bool(due and in_office and due < today)


class OfficerDeputy(models.Model):
    """A public servant of lower rank who acts for the officer while absent (003 QUINTA)."""

    officer = models.ForeignKey(
        LinkOfficer, on_delete=models.PROTECT, related_name="deputies", verbose_name=_("enlace")
    )
    full_name = models.CharField(_("nombre completo"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200, help_text=_("De nivel jerárquico inferior al del enlace."))
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    acting_from = models.DateField(_("suple desde"), null=True, blank=True)
    acting_until = models.DateField(_("suple hasta"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suplente del enlace")
        verbose_name_plural = _("suplentes del enlace")
        ordering = ["officer", "id"]

    def __str__(self):
        return f"{self.full_name} ({self.position})"


class OfficerReport(models.Model):
    """A periodic report an officer files with the period it covers (000 DÉCIMA SEXTA IV)."""

    officer = models.ForeignKey(LinkOfficer, on_delete=models.PROTECT, related_name="reports", verbose_name=_("enlace"))
    period_start = models.DateField(_("inicio del periodo"))
    period_end = models.DateField(_("fin del periodo"))
    document = models.ForeignKey("Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("informe"))
    filed_on = models.DateField(_("fecha de entrega"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("informe del enlace")
        verbose_name_plural = _("informes del enlace")
        ordering = ["officer", "-period_end"]

    def __str__(self):
        return f"{self.officer} — {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class OfficerLetter(models.Model):
    """The confidentiality letter the commission's link officer signs for the personal data the
    member institutions provide (000 NOVENA, last sentence of its first paragraph).

    One per officer designation: a substitute owes their own. Stored only once signed; until then
    the letter is pending (``LinkOfficer.owes_data_letter``). The PDF is signed by the portal and
    registered as evidence (``folio``, verifiable at /verificar/<folio>/), and kept as one of the
    agreement's documents.
    """

    officer = models.OneToOneField(
        LinkOfficer, on_delete=models.PROTECT, related_name="data_letter", verbose_name=_("enlace")
    )
    agreement = models.ForeignKey(
        "Agreement", on_delete=models.PROTECT, related_name="officer_letters", verbose_name=_("convenio")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("firmada por")
    )
    signed_at = models.DateTimeField(_("firmada"))
    signed_ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    folio = models.CharField(_("folio de verificación"), max_length=32, unique=True)
    # The signed PDF, kept with the agreement's documents (its SHA-256 is recorded there).
    document = models.OneToOneField(
        "Document", on_delete=models.PROTECT, related_name="officer_letter", verbose_name=_("PDF firmado")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("carta de confidencialidad del enlace de la Comisión")
        verbose_name_plural = _("cartas de confidencialidad de los enlaces de la Comisión")
        ordering = ["-signed_at"]

    def __str__(self):
        return self.folio
