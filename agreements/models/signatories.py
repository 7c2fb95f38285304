"""The catalog of authorized signatures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset

from .documents import Document
from .institutions import Institution


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

    def get_absolute_url(self):
        return reverse("agreements:signatory_detail", args=[self.pk])

    # --- State machine ---------------------------------------------------------------------

    def cannot_sign_reason(self, on=None):
        """Why it may not sign requests on ``on`` (today by default), in words; "" when it may.
        Mirrors ``SignatoryQuerySet.current``."""
        on = on or timezone.localdate()
        if self.status == self.Status.SUBMITTED:
            return _("pendiente de registro por la Comisión")
        if self.status == self.Status.REJECTED:
            return _("rechazada por la Comisión")
        if self.status == self.Status.REVOKED:
            return _("revocada")
        if self.valid_from > on:
            return _("válida desde %(date)s") % {"date": self.valid_from.strftime("%d/%m/%Y")}
        if self.valid_until is not None and self.valid_until < on:
            return _("vencida el %(date)s") % {"date": self.valid_until.strftime("%d/%m/%Y")}
        return ""

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
