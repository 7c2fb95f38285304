"""Access reviews (recertification): a campaign asks each institution's administrators to confirm or
revoke every live account of their institution by a due date; the default decision on no answer
is suspension (as Microsoft Entra access reviews apply a default decision, and SailPoint
certifications revoke what nobody certified)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset


class ReviewCampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The commission sees every campaign; an institution sees those that review its accounts."""
        return scope_queryset(
            self, user, institution_lookup="items__institution", requires="access_reviews.view_reviewcampaign"
        )


class ReviewCampaign(models.Model):
    """One review campaign. ``open --close--> closed`` (at the due date, by the daily job)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Abierta")
        CLOSED = "closed", _("Cerrada")

    name = models.CharField(_("nombre"), max_length=150)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("abierta por")
    )
    opened_on = models.DateField(_("abierta el"))
    due_on = models.DateField(_("fecha límite"))
    business_days = models.PositiveSmallIntegerField(_("plazo en días hábiles"))
    reminder_days = models.JSONField(_("recordatorios (días hábiles antes de la fecha límite)"), default=list)
    reminders_sent = models.JSONField(_("recordatorios enviados"), default=list, blank=True)
    all_institutions = models.BooleanField(_("todas las instituciones integrantes"), default=True)
    institutions = models.ManyToManyField(
        "agreements.Institution", related_name="+", blank=True, verbose_name=_("instituciones")
    )
    dormant_days = models.PositiveSmallIntegerField(_("días sin iniciar sesión para considerarla inactiva"))
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.OPEN, protected=False)
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ReviewCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisión de accesos")
        verbose_name_plural = _("revisiones de accesos")
        ordering = ["-opened_on", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("access_reviews:campaign_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    def accepts_answers(self, today) -> bool:
        """Answers count until the end of the due date, while the campaign is open."""
        return self.is_open and today <= self.due_on

    @property
    def can_close(self):
        return can_proceed(self.close)

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
    def close(self):
        self.closed_at = timezone.now()


class ReviewItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution", requires="access_reviews.view_reviewitem")


class ReviewItem(models.Model):
    """One account to confirm or revoke in one campaign.

    ``pending --confirm--> confirmed``, ``pending --revoke--> revoked`` (either may be changed while
    the campaign accepts answers); at the close ``pending --expire--> unconfirmed`` (suspended).
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("Sin respuesta")
        CONFIRMED = "confirmed", _("Ratificada")
        REVOKED = "revoked", _("Revocada")
        UNCONFIRMED = "unconfirmed", _("No ratificada (suspendida)")

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.PROTECT, related_name="items")
    institution = models.ForeignKey(
        "agreements.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institución")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_items", verbose_name=_("cuenta")
    )
    last_login_at = models.DateTimeField(_("último inicio de sesión al abrir"), null=True, blank=True)
    dormant = models.BooleanField(_("inactiva al abrir"), default=False)
    decision = FSMField(
        _("decisión"), max_length=20, choices=Decision.choices, default=Decision.PENDING, protected=False
    )
    reason = models.TextField(_("motivo de la revocación"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decidió"),
    )
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    applied_at = models.DateTimeField(_("aplicada el"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuenta en revisión")
        verbose_name_plural = _("cuentas en revisión")
        ordering = ["user__paternal_surname", "user__maternal_surname", "user__given_names", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="review_item_one_per_account")]

    def __str__(self):
        return f"{self.campaign_id}:{self.user_id}"

    @transition(field=decision, source=[Decision.PENDING, Decision.REVOKED], target=Decision.CONFIRMED)
    def confirm(self, *, by):
        self.decided_by, self.decided_at, self.reason = by, timezone.now(), ""

    @transition(field=decision, source=[Decision.PENDING, Decision.CONFIRMED], target=Decision.REVOKED)
    def revoke(self, *, by, reason):
        self.decided_by, self.decided_at, self.reason = by, timezone.now(), reason

    @transition(field=decision, source=Decision.PENDING, target=Decision.UNCONFIRMED)
    def expire(self):
        self.applied_at = timezone.now()
