"""Account requests (000, DÉCIMA): the required-documents catalog, the request with its CURU data
and documents, the commission's review, and the one-time activation link of an approved account."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.identifiers import validate_curp, validate_rfc
from kernel.scoping import scope_queryset


def private_upload_path(instance, filename):
    """Random name under a folder per model; the original name is kept in the row, never on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"accounts/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


class OnboardingSettings(models.Model):
    """The commission's onboarding settings (one row, pk=1)."""

    sla_business_days = models.PositiveSmallIntegerField(
        _("plazo de atención (días hábiles)"),
        default=3,
        help_text=_("Días hábiles que tiene la Comisión para resolver cada solicitud (000, NOVENA)."),
    )
    activation_hours = models.PositiveSmallIntegerField(_("vigencia del enlace de activación (horas)"), default=72)
    require_signed_letter_scan = models.BooleanField(
        _("exigir la carta de confidencialidad firmada a mano"),
        default=False,
        help_text=_(
            "Si se activa, la cuenta queda inactiva hasta que la Comisión valide el escaneo de la carta firmada."
        ),
    )
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("configuración de altas")
        verbose_name_plural = _("configuración de altas")

    def __str__(self):
        return str(_("Configuración de altas"))

    @classmethod
    def load(cls):
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class RequiredDocument(models.Model):
    """An entry of the required-documents catalog the commission keeps (000, DÉCIMA)."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    # Codes the portal knows by name (the request letter shows the signatory's specimen beside it).
    REQUEST_LETTER = "oficio_solicitud"
    CURU = "curu"
    CRIMINAL_RECORD = "antecedentes_no_penales"

    code = models.SlugField(_("clave"), max_length=50, unique=True)
    name = models.CharField(_("nombre"), max_length=150)
    description = models.TextField(_("descripción"), blank=True)
    mandatory = models.BooleanField(_("obligatorio"), default=True)
    accepted_types = models.CharField(
        _("tipos aceptados"),
        max_length=60,
        default="pdf",
        help_text=_("Separados por comas: pdf, jpeg, png."),
    )
    max_size_mb = models.PositiveSmallIntegerField(_("tamaño máximo (MB)"), default=5)
    max_age_days = models.PositiveSmallIntegerField(
        _("antigüedad máxima (días)"),
        null=True,
        blank=True,
        help_text=_("Sólo para documentos con fecha de expedición; vacío si no caduca."),
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    active = models.BooleanField(_("activo"), default=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("documento requerido")
        verbose_name_plural = _("documentos requeridos")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def notification_path(self, reader):
        """The commission edits the catalog; an institution administrator sees its requests."""
        if reader is not None and reader.has_perm("accounts.change_requireddocument"):
            return reverse("onboarding:required_document_list")
        return reverse("onboarding:account_request_list")

    @property
    def is_dated(self):
        return self.max_age_days is not None

    @property
    def accepted_type_list(self):
        return [t.strip().lower() for t in self.accepted_types.split(",") if t.strip()]


class AccountRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Holders of ``accounts.view_accountrequest``, within their scope. Nobody else any."""
        return scope_queryset(self, user, institution_lookup="institution", requires="accounts.view_accountrequest")

    def open(self):
        return self.filter(status__in=AccountRequest.OPEN_STATUSES)


class AccountRequest(models.Model):
    """A request for a new account, filed by an institution administrator (000, DÉCIMA).

    Its states and transitions are declared once, below (django-fsm-2)::

        draft --submit--> submitted --approve--> approved (account created, pending_letter)
                          submitted --reject---> rejected
                          submitted --return_for_correction--> returned --submit--> submitted
        draft/returned --withdraw--> withdrawn

    Services call the transition methods and then ``save()`` (so the history log records each
    step); views and templates ask the ``can_*`` predicates.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("En revisión")
        RETURNED = "returned", _("Devuelta para corrección")
        APPROVED = "approved", _("Aprobada")
        REJECTED = "rejected", _("Rechazada")
        WITHDRAWN = "withdrawn", _("Retirada")

    class Sex(models.TextChoices):
        MALE = "H", _("Hombre")
        FEMALE = "M", _("Mujer")

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    folio = models.CharField(_("folio"), max_length=30, unique=True, editable=False)
    institution = models.ForeignKey(
        "agreements.Institution",
        on_delete=models.PROTECT,
        related_name="account_requests",
        verbose_name=_("institución"),
    )
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=False)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        related_name="account_requests",
        null=True,
        blank=True,
        verbose_name=_("convenio"),
        help_text=_("Convenio vigente, del que su institución es parte, bajo el cual se pide el acceso."),
    )
    signatory = models.ForeignKey(
        "agreements.Signatory",
        on_delete=models.PROTECT,
        related_name="account_requests",
        null=True,
        blank=True,
        verbose_name=_("firmante del oficio"),
        help_text=_("Firma autorizada y registrada de su institución que suscribe el oficio de solicitud."),
    )

    # CURU data (Cédula Única de Registro de Usuarios).
    given_names = models.CharField(_("nombre(s)"), max_length=120)
    paternal_surname = models.CharField(_("primer apellido"), max_length=80)
    maternal_surname = models.CharField(_("segundo apellido"), max_length=80, blank=True)
    curp = models.CharField(_("CURP"), max_length=18, validators=[validate_curp])
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True, editable=False)
    sex = models.CharField(_("sexo"), max_length=1, choices=Sex.choices, blank=True, editable=False)
    rfc = models.CharField(_("RFC"), max_length=13, blank=True, validators=[validate_rfc])
    email = models.EmailField(_("correo institucional"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    extension = models.CharField(_("extensión"), max_length=10, blank=True)
    public_servant_number = models.CharField(_("número de servidor público"), max_length=40, blank=True)
    position = models.CharField(_("cargo"), max_length=150, blank=True)
    area = models.CharField(_("área de adscripción"), max_length=150, blank=True)
    requested_profile = models.ForeignKey(
        "accounts.Profile",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("perfil solicitado"),
    )
    justification = models.TextField(_("justificación"), blank=True)
    # The platforms the person needs (accounts.identity); granted with the account on approval.
    systems = models.ManyToManyField(
        "accounts.System", related_name="+", blank=True, verbose_name=_("sistemas solicitados")
    )

    # Review.
    submitted_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    due_date = models.DateField(_("fecha límite de atención"), null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField(_("envíos"), default=0)
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("resuelta por"),
    )
    decision_reason = models.TextField(_("motivo de la resolución"), blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="account_request",
        null=True,
        blank=True,
        verbose_name=_("cuenta creada"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("capturada por")
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    history = HistoricalRecords(m2m_fields=["systems"])
    objects = AccountRequestQuerySet.as_manager()
    # What the request list's search reads, in this order (trigram index of migration 0012).
    SEARCH_FIELDS = ("folio", "given_names", "paternal_surname", "maternal_surname", "curp", "email")

    class Meta:
        verbose_name = _("solicitud de cuenta")
        verbose_name_plural = _("solicitudes de cuenta")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["curp"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="accountrequest_curp_unique_open",
                violation_error_message=_("Ya hay una solicitud abierta con esa CURP."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.folio} · {self.full_name}"

    def save(self, *args, **kwargs):
        if not self.folio:
            self.folio = f"SC-{timezone.localdate():%Y}-{uuid.uuid4().hex[:8].upper()}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("onboarding:account_request_detail", args=[self.pk])

    @property
    def full_name(self):
        return " ".join(p for p in (self.given_names, self.paternal_surname, self.maternal_surname) if p)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self):
        """Its data and documents may be changed (a draft, or returned for correction)."""
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_overdue(self):
        return self.awaits_decision and self.due_date and self.due_date < timezone.localdate()

    @property
    def is_returned(self):
        return self.status == self.Status.RETURNED

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    # --- State machine ---------------------------------------------------------------------

    @property
    def can_submit(self):
        return can_proceed(self.submit)

    @property
    def can_withdraw(self):
        return can_proceed(self.withdraw)

    @property
    def awaits_decision(self):
        """In review: the commission may check its documents, approve, reject or return it."""
        return can_proceed(self.approve)

    @transition(field=status, source=EDITABLE_STATUSES, target=Status.SUBMITTED)
    def submit(self, *, now, due_date):
        """Send it (again) to the commission; a first submission starts with no earlier reason."""
        if self.status == self.Status.DRAFT:
            self.decision_reason = ""
        self.submitted_at = now
        self.due_date = due_date
        self.submission_count += 1

    @transition(field=status, source=EDITABLE_STATUSES, target=Status.WITHDRAWN)
    def withdraw(self):
        pass

    def _decide(self, *, by, reason):
        self.decided_at = timezone.now()
        self.decided_by = by
        self.decision_reason = reason

    @transition(field=status, source=Status.SUBMITTED, target=Status.APPROVED)
    def approve(self, *, by, reason, account):
        self.account = account
        self._decide(by=by, reason=reason)

    @transition(field=status, source=Status.SUBMITTED, target=Status.REJECTED)
    def reject(self, *, by, reason):
        self._decide(by=by, reason=reason)

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED)
    def return_for_correction(self, *, by, reason):
        self._decide(by=by, reason=reason)

    @transition(field=status, source=OPEN_STATUSES, target=Status.REJECTED)
    def close_without_basis(self, *, reason):
        """Closed by the system: the institution lost its basis of access (issue 15)."""
        self._decide(by=None, reason=reason)


class RequestDocument(models.Model):
    """A document uploaded for an account request, with the reviewer's check."""

    class Check(models.TextChoices):
        PENDING = "pending", _("Sin revisar")
        VALID = "valid", _("Válido")
        INVALID = "invalid", _("No válido")

    request = models.ForeignKey(
        AccountRequest, on_delete=models.CASCADE, related_name="documents", verbose_name=_("solicitud")
    )
    requirement = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("documento requerido")
    )
    file = models.FileField(_("archivo"), upload_to=private_upload_path, max_length=200)
    original_name = models.CharField(_("nombre original"), max_length=255)
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issue_date = models.DateField(_("fecha de expedición"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("cargado"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cargado por")
    )
    check_status = models.CharField(_("revisión"), max_length=10, choices=Check.choices, default=Check.PENDING)
    check_note = models.TextField(_("observación"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("revisado por"),
    )
    checked_at = models.DateTimeField(_("revisado"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("documento de solicitud")
        verbose_name_plural = _("documentos de solicitud")
        ordering = ["requirement__position", "requirement__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "requirement"], name="requestdocument_one_per_requirement"),
        ]

    def __str__(self):
        return f"{self.requirement} · {self.original_name}"


class ActivationToken(models.Model):
    """A one-time link for a new account to set its password; only the SHA-256 of the token is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_tokens", verbose_name=_("cuenta")
    )
    token_hash = models.CharField(_("huella del token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("emitido"), default=timezone.now)
    expires_at = models.DateTimeField(_("vence"))
    used_at = models.DateTimeField(_("usado"), null=True, blank=True)

    class Meta:
        verbose_name = _("enlace de activación")
        verbose_name_plural = _("enlaces de activación")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_usable(self):
        return self.used_at is None and self.expires_at > timezone.now()
