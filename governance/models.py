"""Bodies that govern agreements (committees, working tables, conferences), their members,
sessions and the acuerdos they reach; pilot programs; consent-evidence requests.

Sources: 004 DÉCIMA PRIMERA–DÉCIMA TERCERA (pilot programs, technical committee) and its consent
clauses; 003 TERCERA–CUARTA (working tables of link officers); 002 (a conference's acuerdos with
"a más tardar" deadlines and its transitory clauses). Every status is a django-fsm-2 field whose
transitions are declared here once; services perform them, templates ask ``can_proceed``.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, AgreementParty, Institution, Obligation
from kernel.scoping import ASSIGNED, INSTITUTION, PLATFORM, scope_queryset, user_scope

PILOT_MAX_MONTHS = 6


def pilot_cap(start: date) -> date:
    """The last day a pilot may run without a written justification: six months from its start.

    ``relativedelta`` keeps the day of the month and falls back to the month's last day, so
    31 August runs until the last day of February (28 or 29).
    """
    return start + relativedelta(months=PILOT_MAX_MONTHS)


def _visible_agreements(user):
    return Agreement.objects.visible_to(user).values("pk")


# --- Documents -------------------------------------------------------------------------------


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A document of a body the user sees, or of an agreement the user sees (pilots, consent)."""
        if user_scope(user) is None:
            return self.none()
        return (
            self.filter(
                Q(body__in=Body.objects.visible_to(user).values("pk"))
                | Q(body__isnull=True, agreement__in=_visible_agreements(user))
            )
            .exclude(
                # Consent evidence stays between the two institutions involved (and the commission).
                Q(consent_requests__isnull=False)
                & ~Q(consent_requests__in=ConsentEvidenceRequest.objects.visible_to(user).values("pk"))
            )
            .distinct()
        )


class Document(models.Model):
    """A privately stored file (kernel.documents): minutes, written notices, evidence, requests."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Acta firmada")
        NOTICE = "notice", _("Aviso por escrito")
        EVIDENCE = "evidence", _("Evidencia de cumplimiento")
        PILOT_REQUEST = "pilot_request", _("Solicitud de programa piloto")
        JUSTIFICATION = "justification", _("Justificación por escrito")
        CONSENT = "consent", _("Evidencia de consentimiento")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="governance_documents", verbose_name=_("institución")
    )
    body = models.ForeignKey(
        "Body", on_delete=models.PROTECT, null=True, blank=True, related_name="documents", verbose_name=_("órgano")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_documents",
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
        verbose_name = _("documento de gobernanza")
        verbose_name_plural = _("documentos de gobernanza")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title


# --- Bodies and members ----------------------------------------------------------------------


class BodyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commission: every body; institutions: the bodies they sit on; assigned profiles: the
        bodies of the agreements granted to them."""
        if user_scope(user) == ASSIGNED:
            return self.filter(agreement__in=_visible_agreements(user))
        return scope_queryset(self, user, institution_lookup="parties__institution")


class Body(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Comité técnico")
        WORKING_TABLE = "working_table", _("Mesa de trabajo")
        CONFERENCE = "conference", _("Conferencia")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nombre"), max_length=200)
    code = models.CharField(
        _("clave"),
        max_length=12,
        unique=True,
        help_text=_("Prefijo de la numeración de sesiones y acuerdos, por ejemplo CT."),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("convenio"),
        help_text=_("Vacío para un órgano independiente, como una conferencia de varias instituciones."),
    )
    purpose = models.TextField(_("atribuciones"), blank=True)
    decides_by_consensus = models.BooleanField(_("decide por consenso"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("órgano")
        verbose_name_plural = _("órganos")
        ordering = ["name"]
        permissions = [("follow_up_body", "Consultar el seguimiento de acuerdos")]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:body_detail", kwargs={"body_pk": self.pk})


class BodyPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows of the bodies the user sees."""
        return self.filter(body__in=Body.objects.visible_to(user).values("pk"))


class BodyParty(models.Model):
    """An institution that sits on a body (its representatives are ``Member`` rows)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="parties", verbose_name=_("órgano"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="body_parties", verbose_name=_("institución")
    )

    history = HistoricalRecords()
    objects = BodyPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("institución del órgano")
        verbose_name_plural = _("instituciones del órgano")
        ordering = ["body", "institution__acronym"]
        constraints = [models.UniqueConstraint(fields=["body", "institution"], name="body_party_once")]

    def __str__(self):
        return f"{self.body.code}: {self.institution.acronym}"


class Member(models.Model):
    """A representative of an institution on a body. A substitution, made by written notice, closes
    the previous member the day before it takes effect; both rows stay."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members", verbose_name=_("órgano"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="body_members", verbose_name=_("institución")
    )
    full_name = models.CharField(_("nombre completo"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200)
    email = models.EmailField(_("correo electrónico"), blank=True)
    notified_on = models.DateField(_("fecha del aviso por escrito"))
    effective_from = models.DateField(_("vigente desde"))
    effective_until = models.DateField(_("vigente hasta"), null=True, blank=True)
    notice = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("aviso por escrito")
    )
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
    objects = BodyPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrante")
        verbose_name_plural = _("integrantes")
        ordering = ["body", "institution__acronym", "-effective_from"]

    def __str__(self):
        return f"{self.full_name} ({self.institution.acronym})"

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.effective_from <= on and (self.effective_until is None or self.effective_until >= on)


# --- Sessions --------------------------------------------------------------------------------


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(body__in=Body.objects.visible_to(user).values("pk"))


class Session(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinaria")
        EXTRAORDINARY = "extraordinary", _("Extraordinaria")

    class Status(models.TextChoices):
        CONVENED = "convened", _("Convocada")
        HELD = "held", _("Celebrada")
        MINUTES_SIGNED = "minutes_signed", _("Acta firmada")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("órgano"))
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveSmallIntegerField(_("número"))
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    starts_at = models.DateTimeField(_("fecha y hora"))
    place = models.CharField(_("lugar"), max_length=200, blank=True)
    is_virtual = models.BooleanField(_("virtual"), default=False)
    agenda = models.TextField(_("orden del día"))
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.CONVENED, protected=False)
    held_on = models.DateField(_("celebrada el"), null=True, blank=True)
    minutes = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("acta firmada")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()
    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["-starts_at"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "number"], name="session_number_per_body_year")]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:session_detail", kwargs={"session_pk": self.pk})

    @property
    def code(self):
        return f"{self.body.code}-{self.year}-{self.number:02d}"

    @property
    def date(self):
        return timezone.localtime(self.starts_at).date()

    def has_started(self):
        return self.starts_at <= timezone.now()

    @transition(field=status, source=Status.CONVENED, target=Status.HELD, conditions=[has_started])
    def hold(self, *, held_on):
        self.held_on = held_on

    def has_minutes(self):
        return self.minutes_id is not None

    @transition(field=status, source=Status.HELD, target=Status.MINUTES_SIGNED, conditions=[has_minutes])
    def sign_minutes(self):
        pass


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Presente")
        ABSENT = "absent", _("Ausente")
        REPRESENTED = "represented", _("Representado")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("sesión"))
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("integrante")
    )
    status = models.CharField(_("asistencia"), max_length=20, choices=Status.choices)
    represented_by = models.CharField(_("representado por"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencias")
        ordering = ["session", "member__institution__acronym", "member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once_per_member"),
            models.CheckConstraint(
                condition=~Q(status="represented") | ~Q(represented_by=""), name="attendance_represented_has_name"
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.get_status_display()}"


# --- Acuerdos --------------------------------------------------------------------------------


class AcuerdoQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(session__body__in=Body.objects.visible_to(user).values("pk"))

    def open(self):
        return self.filter(status__in=Acuerdo.OPEN_STATUSES)

    def overdue(self, today=None):
        """Derived, never stored: still open and past its deadline."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def due_soon(self, today=None):
        from kernel import calendar

        today = today or timezone.localdate()
        horizon = calendar.add_business_days(today, Acuerdo.DUE_SOON_BUSINESS_DAYS)
        return self.open().filter(due_on__gte=today, due_on__lte=horizon)


class Acuerdo(models.Model):
    """An agreement reached in a session ("acuerdo"), numbered within it: ``CT-2026-02/03``."""

    class DeadlineKind(models.TextChoices):
        FIXED = "fixed", _("A más tardar en una fecha")
        BUSINESS_DAYS = "business_days", _("Días hábiles desde la sesión")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        IN_PROGRESS = "in_progress", _("En proceso")
        DONE = "done", _("Cumplido")
        CANCELLED = "cancelled", _("Cancelado")

    OPEN_STATUSES = (Status.PENDING, Status.IN_PROGRESS)
    DUE_SOON_BUSINESS_DAYS = 5

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="acuerdos", verbose_name=_("sesión"))
    number = models.PositiveSmallIntegerField(_("número"))
    text = models.TextField(_("acuerdo"))
    responsible_institutions = models.ManyToManyField(
        Institution, through="AcuerdoResponsible", related_name="+", verbose_name=_("instituciones responsables")
    )
    responsible_people = models.CharField(_("personas responsables"), max_length=300, blank=True)
    deadline_kind = models.CharField(_("tipo de plazo"), max_length=20, choices=DeadlineKind.choices)
    deadline_date = models.DateField(_("a más tardar"), null=True, blank=True)
    deadline_business_days = models.PositiveSmallIntegerField(_("días hábiles"), null=True, blank=True)
    due_on = models.DateField(_("fecha límite"), editable=False)
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.PENDING, protected=False)
    evidence = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("evidencia")
    )
    closed_on = models.DateField(_("cerrado el"), null=True, blank=True)
    cancel_reason = models.TextField(_("motivo de cancelación"), blank=True)
    linked_party = models.ForeignKey(
        AgreementParty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("designación de enlace que pide"),
    )
    linked_obligation = models.ForeignKey(
        Obligation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("obligación que pide"),
    )
    closed_by_link = models.BooleanField(_("cerrado por lo que pedía"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()
    objects = AcuerdoQuerySet.as_manager()

    class Meta:
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        ordering = ["session__starts_at", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="acuerdo_number_per_session"),
            models.CheckConstraint(
                condition=~Q(deadline_kind="fixed") | Q(deadline_date__isnull=False), name="acuerdo_fixed_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind="business_days") | Q(deadline_business_days__gte=1),
                name="acuerdo_relative_has_days",
            ),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        # A relative deadline is counted once, when the acuerdo is reached: a non-working day the
        # commission adds later does not move a deadline the parties already know.
        if self.deadline_kind == self.DeadlineKind.FIXED or self._state.adding or self.due_on is None:
            self.due_on = self.compute_due_on()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:acuerdo_detail", kwargs={"acuerdo_pk": self.pk})

    @property
    def code(self):
        return f"{self.session.code}/{self.number:02d}"

    def compute_due_on(self) -> date:
        """A fixed "a más tardar" date stays put even on a holiday; a relative one counts business
        days from the session's date."""
        if self.deadline_kind == self.DeadlineKind.FIXED:
            return self.deadline_date
        from kernel import calendar

        return calendar.add_business_days(self.session.date, self.deadline_business_days)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def overdue(self):
        return self.is_overdue()

    def has_evidence(self):
        return self.evidence_id is not None or self.closed_by_link

    def has_reason(self):
        return bool(self.cancel_reason.strip())

    @transition(field=status, source=Status.PENDING, target=Status.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=status, source=list(OPEN_STATUSES), target=Status.DONE, conditions=[has_evidence])
    def complete(self, *, on):
        self.closed_on = on

    @transition(field=status, source=list(OPEN_STATUSES), target=Status.CANCELLED, conditions=[has_reason])
    def cancel(self, *, on):
        self.closed_on = on


class AcuerdoResponsibleQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(acuerdo__in=Acuerdo.objects.visible_to(user).values("pk"))


class AcuerdoResponsible(models.Model):
    acuerdo = models.ForeignKey(Acuerdo, on_delete=models.CASCADE, related_name="responsibles")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = AcuerdoResponsibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("institución responsable")
        verbose_name_plural = _("instituciones responsables")
        constraints = [models.UniqueConstraint(fields=["acuerdo", "institution"], name="acuerdo_responsible_once")]

    def __str__(self):
        return f"{self.acuerdo_id}: {self.institution_id}"


class FollowUpNote(models.Model):
    acuerdo = models.ForeignKey(Acuerdo, on_delete=models.CASCADE, related_name="notes", verbose_name=_("acuerdo"))
    text = models.TextField(_("nota de seguimiento"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("autor")
    )
    created_at = models.DateTimeField(_("registrada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nota de seguimiento")
        verbose_name_plural = _("notas de seguimiento")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:80]


# --- Pilot programs --------------------------------------------------------------------------


class PilotProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user_scope(user) is None:
            return self.none()
        return self.filter(agreement__in=_visible_agreements(user))


class PilotProgram(models.Model):
    """004 DÉCIMA PRIMERA: starts in writing at a party's request; never longer than six months
    from its start unless written circumstances justify it (an extension with document and reason)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitado")
        STARTED = "started", _("En curso")
        ENDED = "ended", _("Concluido")

    ENDING_WINDOWS = (30, 7)

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="pilot_programs", verbose_name=_("convenio")
    )
    requested_by = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institución solicitante")
    )
    title = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    request_document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("solicitud por escrito")
    )
    requested_on = models.DateField(_("fecha de solicitud"))
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.REQUESTED, protected=False)
    starts_on = models.DateField(_("inicio"), null=True, blank=True)
    ends_on = models.DateField(_("término"), null=True, blank=True)
    extension_reason = models.TextField(_("circunstancias que justifican la ampliación"), blank=True)
    extension_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justificación por escrito"),
    )
    ended_on = models.DateField(_("concluido el"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PilotProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("programa piloto")
        verbose_name_plural = _("programas piloto")
        ordering = ["-requested_on", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:pilot_detail", kwargs={"pilot_pk": self.pk})

    @property
    def cap(self):
        return pilot_cap(self.starts_on) if self.starts_on else None

    @property
    def is_extended(self):
        return bool(self.ends_on and self.starts_on and self.ends_on > pilot_cap(self.starts_on))

    def has_justification(self):
        return bool(self.extension_reason.strip()) and self.extension_document_id is not None

    def within_cap_or_justified(self):
        return self.ends_on is not None and (self.ends_on <= pilot_cap(self.starts_on) or self.has_justification())

    @transition(field=status, source=Status.REQUESTED, target=Status.STARTED, conditions=[within_cap_or_justified])
    def start(self):
        pass

    @transition(field=status, source=Status.STARTED, target=Status.STARTED, conditions=[within_cap_or_justified])
    def extend(self):
        pass

    @transition(field=status, source=Status.STARTED, target=Status.ENDED)
    def end(self, *, on):
        self.ended_on = on

    def days_left(self, today=None):
        if self.status != self.Status.STARTED or not self.ends_on:
            return None
        return (self.ends_on - (today or timezone.localdate())).days


# --- Consent evidence ------------------------------------------------------------------------


class ConsentProcessingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user_scope(user) is None:
            return self.none()
        return self.filter(agreement__in=_visible_agreements(user))


class ConsentProcessing(models.Model):
    """Marks an agreement as one under which personal data are processed with the holders' consent
    (004: consent records traceable, verifiable, handed over on request)."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.PROTECT, related_name="consent_processing", verbose_name=_("convenio")
    )
    responsible = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institución que recaba y resguarda los consentimientos"),
    )
    notes = models.TextField(_("observaciones"), blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    marked_at = models.DateTimeField(_("registrado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ConsentProcessingQuerySet.as_manager()

    class Meta:
        verbose_name = _("tratamiento con consentimiento")
        verbose_name_plural = _("tratamientos con consentimiento")

    def __str__(self):
        return str(self.agreement)


class ConsentEvidenceRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the two institutions involved (and the commission) see a request."""
        scope = user_scope(user)
        if scope == PLATFORM:
            return self
        if scope == INSTITUTION and user.institution_id:
            return self.filter(Q(requested_by=user.institution_id) | Q(requested_from=user.institution_id))
        if scope == ASSIGNED:
            return self.filter(agreement__in=_visible_agreements(user))
        return self.none()

    def overdue(self, today=None):
        return self.filter(status=ConsentEvidenceRequest.Status.REQUESTED, due_on__lt=today or timezone.localdate())


class ConsentEvidenceRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        ANSWERED = "answered", _("Atendida")
        WITHDRAWN = "withdrawn", _("Retirada")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="consent_requests", verbose_name=_("convenio")
    )
    requested_by = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institución que solicita")
    )
    requested_from = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institución requerida")
    )
    folios = models.TextField(_("folios de los consentimientos"), help_text=_("Un folio por renglón."))
    requested_on = models.DateField(_("fecha de solicitud"))
    due_on = models.DateField(_("fecha límite"))
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.REQUESTED, protected=False)
    documents = models.ManyToManyField(
        Document, blank=True, related_name="consent_requests", verbose_name=_("evidencias entregadas")
    )
    answer = models.TextField(_("respuesta"), blank=True)
    answered_on = models.DateField(_("atendida el"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords(m2m_fields=[documents])
    objects = ConsentEvidenceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("solicitud de evidencia de consentimiento")
        verbose_name_plural = _("solicitudes de evidencia de consentimiento")
        ordering = ["-requested_on", "-pk"]

    def __str__(self):
        return f"{self.agreement.folio} — {self.requested_on:%d/%m/%Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:consent_detail", kwargs={"consent_pk": self.pk})

    @property
    def folio_list(self):
        return [line.strip() for line in self.folios.splitlines() if line.strip()]

    def is_overdue(self, today=None):
        return self.status == self.Status.REQUESTED and self.due_on < (today or timezone.localdate())

    @property
    def overdue(self):
        return self.is_overdue()

    def has_documents(self):
        return self.pk is not None and self.documents.exists()

    @transition(field=status, source=Status.REQUESTED, target=Status.ANSWERED, conditions=[has_documents])
    def mark_answered(self, *, on):
        self.answered_on = on

    @transition(field=status, source=Status.REQUESTED, target=Status.WITHDRAWN)
    def withdraw(self):
        pass


class SentAlert(models.Model):
    """One row per governance alert the daily job has sent, so each is announced once."""

    key = models.CharField(_("clave"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("enviado"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alerta de gobernanza enviada")
        verbose_name_plural = _("alertas de gobernanza enviadas")

    def __str__(self):
        return self.key


# --- Incidents members report (001 Cap. IV.1 VII–VIII) -----------------------------------------


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reporting institution and the commission see an incident (the scope rule)."""
        return scope_queryset(self, user, institution_lookup="institution")

    def open(self):
        return self.exclude(status=Incident.Status.CLOSED)


class Incident(models.Model):
    """A problem or security incident a member reports to the commission (001 Cap. IV.1 VII–VIII)::

    reported --acknowledge--> acknowledged --close--> closed
    reported --close--> closed
    """

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reportado")
        ACKNOWLEDGED = "acknowledged", _("Recibido por la Comisión")
        CLOSED = "closed", _("Cerrado")

    class Severity(models.TextChoices):
        LOW = "low", _("Baja")
        MEDIUM = "medium", _("Media")
        HIGH = "high", _("Alta")
        CRITICAL = "critical", _("Crítica")

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Problema de operación")
        SECURITY = "security", _("Incidente de seguridad")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("institución que reporta")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.PROBLEM)
    description = models.TextField(_("qué ocurrió"))
    occurred_at = models.DateTimeField(_("cuándo ocurrió"))
    severity = models.CharField(_("gravedad"), max_length=20, choices=Severity.choices)
    affected_systems = models.CharField(_("sistemas afectados"), max_length=300)
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.REPORTED, protected=False)
    acknowledged_at = models.DateTimeField(_("recibido"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cerrado"), null=True, blank=True)
    closing_note = models.TextField(_("nota de cierre"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reported_at = models.DateTimeField(_("reportado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incidente")
        verbose_name_plural = _("incidentes")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.institution.acronym} ({self.occurred_at:%d/%m/%Y})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("governance:incident_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status != self.Status.CLOSED

    @transition(field=status, source=Status.REPORTED, target=Status.ACKNOWLEDGED)
    def acknowledge(self, *, at):
        self.acknowledged_at = at

    @transition(field=status, source=[Status.REPORTED, Status.ACKNOWLEDGED], target=Status.CLOSED)
    def close(self, *, at, note):
        self.closed_at, self.closing_note = at, note
