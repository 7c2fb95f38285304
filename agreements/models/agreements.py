"""Agreements, their parties, amendments and termination notices."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset

from .institutions import Institution


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place of the agreement scope rule.

        Commission (platform) profiles see every agreement; institution profiles see the
        agreements their institution is party to; 'assigned' profiles see the ones granted to them
        one by one (django-guardian, ``accounts.services.assignment_grant``).
        """
        return scope_queryset(self, user, institution_lookup="parties__institution")

    def not_reference(self):
        """Agreements the commission is bound by: every agreement but those kept for reference."""
        return self.filter(is_reference=False)

    def granting_access(self):
        """The agreements that may ground accounts and an institution's standing: in force and not
        kept for reference (003: an agreement between two other parties grants nothing here).
        Anything that derives access from agreements starts from this."""
        return self.not_reference().filter(status=Agreement.Status.IN_FORCE)


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
    is_reference = models.BooleanField(
        _("convenio de referencia"),
        default=False,
        help_text=_(
            "Convenio entre otras partes que la Comisión conserva como antecedente; no otorga cuentas ni acceso."
        ),
    )
    officer_report_months = models.PositiveSmallIntegerField(
        _("periodicidad de los informes de enlace (meses)"),
        null=True,
        blank=True,
        help_text=_("Vacío si el convenio no fija una periodicidad para los informes de los enlaces."),
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
    # What the list's search reads, in this order (the trigram index of migration 0004 holds the same).
    SEARCH_FIELDS = ("folio", "title")

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
        from ..rules import agreement_end_date

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
    def grants_access(self):
        """In force and not a reference agreement (``AgreementQuerySet.granting_access``)."""
        return self.is_in_force and not self.is_reference

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

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()

    def current_officers(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.officers.filter(effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=on)
        )

    def notice_address(self, on=None):
        """Where notices to this party go on ``on``: the last address change already in effect
        (15 natural days after it was notified, 000 VIGÉSIMA PRIMERA), else the institution's."""
        from django.utils import timezone

        on = on or timezone.localdate()
        current = self.addresses.filter(effective_on__lte=on).order_by("-effective_on", "-pk").first()
        return current.address if current else self.institution.address

    def pending_address(self, on=None):
        """An address change notified but not in effect yet on ``on`` (or None)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.addresses.filter(effective_on__gt=on).order_by("effective_on", "pk").first()

    def designation_overdue(self, today=None):
        from django.utils import timezone

        today = today or timezone.localdate()
        return bool(
            self.officer_designation_due and self.officer_designation_due < today and not self.officers.exists()
        )


class AgreementWitness(models.Model):
    """A person who signs as witness ("testigo", 004); a witness is not a party and gains nothing."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="witnesses", verbose_name=_("convenio")
    )
    full_name = models.CharField(_("nombre completo"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200, blank=True)
    organization = models.CharField(_("dependencia"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("testigo")
        verbose_name_plural = _("testigos")
        ordering = ["agreement", "id"]

    def __str__(self):
        return self.full_name


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
        "Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("documento")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aviso de terminación o rescisión")
        verbose_name_plural = _("avisos de terminación o rescisión")
        ordering = ["-notified_on"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.agreement.folio} ({self.notified_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()

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
        "Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("documento firmado")
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
