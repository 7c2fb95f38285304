"""Each party's address for notices, with its history (000 I.5, II.4, VIGÉSIMA PRIMERA)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreements import AgreementParty


class PartyAddress(models.Model):
    """An address a party gave for notices. A change takes effect 15 natural days after it was
    notified; until then notices stay valid at the previous address (000 VIGÉSIMA PRIMERA)."""

    party = models.ForeignKey(
        AgreementParty, on_delete=models.PROTECT, related_name="addresses", verbose_name=_("parte")
    )
    address = models.TextField(_("domicilio para notificaciones"))
    notified_on = models.DateField(_("fecha en que se notificó el cambio"))
    effective_on = models.DateField(_("surte efectos"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("domicilio para notificaciones")
        verbose_name_plural = _("domicilios para notificaciones")
        ordering = ["party", "-effective_on", "-pk"]

    def __str__(self):
        return f"{self.party} — {self.effective_on:%d/%m/%Y}"
