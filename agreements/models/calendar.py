"""The commission's non-working days and the alerts the daily job has sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
