"""Account changes requested by an institution (000, OCTAVA): profile change, suspension,
reactivation and cancellation, reviewed in the same queue and business-day SLA as new accounts."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A cancellation must be requested within this time after the person left or changed area.
CANCELLATION_GRACE = timedelta(hours=24)


class AccountChangeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.has_perm("accounts.view_accountchangerequest"):
            return self.none()
        if user.has_platform_scope:
            return self
        if user.institution_id is None:
            return self.none()
        return self.filter(institution_id=user.institution_id)


class AccountChangeRequest(models.Model):
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
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
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

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.status == self.Status.SUBMITTED and self.due_date and self.due_date < timezone.localdate()
