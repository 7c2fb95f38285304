"""Obligations of an agreement's parties and the compliance recorded against them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreements import Agreement, AgreementParty
from .documents import Document


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

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()

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
