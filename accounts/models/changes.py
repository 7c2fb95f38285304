"""Account changes requested by an institution (000, OCTAVA): profile change, suspension,
reactivation and cancellation, reviewed in the same queue and business-day SLA as new accounts."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset

# A cancellation must be requested within this time after the person left or changed area.
CANCELLATION_GRACE = timedelta(hours=24)


class AccountChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Holders of ``accounts.view_accountchangerequest``, within their scope. Nobody else any."""
        return scope_queryset(
            self, user, institution_lookup="institution", requires="accounts.view_accountchangerequest"
        )


class AccountChangeRequest(models.Model):
    """A change to one account, asked by its institution. States and transitions, declared below::

    submitted --approve--> approved (applied)    submitted --reject--> rejected
    submitted --return_for_correction--> returned --resubmit--> submitted
    """

    class Kind(models.TextChoices):
        PROFILE_CHANGE = "profile_change", _("Cambio de perfil")
        SUSPENSION = "suspension", _("Suspensión")
        REACTIVATION = "reactivation", _("Reactivación")
        CANCELLATION = "cancellation", _("Cancelación")
        SYSTEM_GRANT = "system_grant", _("Acceso a un sistema")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("En revisión")
        RETURNED = "returned", _("Devuelta para corrección")
        APPROVED = "approved", _("Aprobada y aplicada")
        REJECTED = "rejected", _("Rechazada")

    OPEN_STATUSES = (Status.SUBMITTED, Status.RETURNED)

    folio = models.CharField(_("folio"), max_length=30, unique=True, editable=False)
    institution = models.ForeignKey(
        "agreements.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institución")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="change_requests", verbose_name=_("cuenta")
    )
    kind = models.CharField(_("tipo de cambio"), max_length=20, choices=Kind.choices)
    new_profile = models.ForeignKey(
        "accounts.Profile",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("perfil nuevo"),
    )
    system = models.ForeignKey(
        "accounts.System",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("sistema"),
    )
    reason = models.TextField(_("motivo"))
    left_at = models.DateTimeField(
        _("fecha y hora en que dejó el cargo o cambió de área"),
        null=True,
        blank=True,
        help_text=_("Sólo para cancelaciones."),
    )
    is_late = models.BooleanField(_("extemporánea"), default=False, editable=False)
    signatory = models.ForeignKey(
        "agreements.Signatory",
        on_delete=models.PROTECT,
        related_name="account_change_requests",
        null=True,
        blank=True,
        verbose_name=_("firmante del oficio"),
        help_text=_("Firma autorizada, registrada y vigente de su institución que suscribe el oficio."),
    )
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, protected=False)
    submitted_at = models.DateTimeField(_("enviada"), default=timezone.now)
    due_date = models.DateField(_("fecha límite de atención"), null=True, blank=True)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("solicitada por")
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AccountChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("solicitud de cambio de cuenta")
        verbose_name_plural = _("solicitudes de cambio de cuenta")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["submitted", "returned"]),
                name="accountchange_one_open_per_user",
                violation_error_message=_("Esa cuenta ya tiene una solicitud de cambio abierta."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="profile_change") | Q(new_profile__isnull=False),
                name="accountchange_profile_change_has_profile",
            ),
            models.CheckConstraint(
                condition=~Q(kind="system_grant") | Q(system__isnull=False),
                name="accountchange_system_grant_has_system",
            ),
        ]

    def __str__(self):
        return f"{self.folio} · {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if not self.folio:
            self.folio = f"CC-{timezone.localdate():%Y}-{uuid.uuid4().hex[:8].upper()}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("onboarding:account_change_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.awaits_decision and self.due_date and self.due_date < timezone.localdate()

    # --- State machine ---------------------------------------------------------------------

    @property
    def awaits_decision(self):
        """In review: the commission may approve, reject or return it."""
        return can_proceed(self.approve)

    @property
    def can_resubmit(self):
        return can_proceed(self.resubmit)

    @transition(field=status, source=Status.RETURNED, target=Status.SUBMITTED)
    def resubmit(self, *, now, due_date):
        self.submitted_at = now
        self.due_date = due_date

    def _decide(self, *, by, reason):
        self.decided_at = timezone.now()
        self.decided_by = by
        self.decision_reason = reason

    @transition(field=status, source=Status.SUBMITTED, target=Status.APPROVED)
    def approve(self, *, by, reason):
        self._decide(by=by, reason=reason)

    @transition(field=status, source=Status.SUBMITTED, target=Status.REJECTED)
    def reject(self, *, by, reason):
        self._decide(by=by, reason=reason)

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED)
    def return_for_correction(self, *, by, reason):
        self._decide(by=by, reason=reason)


class ChangeDocument(models.Model):
    """A document attached to a change request (000, NOVENA), with the reviewer's check: the
    profile catalog form and the official letter. One of each per request; a replacement needs a
    new check."""

    class Kind(models.TextChoices):
        CATALOG_FORM = "catalog_form", _("Formato de catálogo de perfil")
        LETTER = "letter", _("Oficio de solicitud firmado")

    class Check(models.TextChoices):
        PENDING = "pending", _("Sin revisar")
        VALID = "valid", _("Válido")
        INVALID = "invalid", _("No válido")

    change = models.ForeignKey(
        AccountChangeRequest, on_delete=models.CASCADE, related_name="documents", verbose_name=_("solicitud de cambio")
    )
    kind = models.CharField(_("documento"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("archivo"), max_length=200)
    original_name = models.CharField(_("nombre original"), max_length=255)
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
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
        verbose_name = _("documento de solicitud de cambio")
        verbose_name_plural = _("documentos de solicitudes de cambio")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["change", "kind"], name="changedocument_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"
