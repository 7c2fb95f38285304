"""Link officers each party designates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agreements import AgreementParty


class LinkOfficer(models.Model):
    """An enlace of a party; a substitution closes the previous one (000 DÉCIMA QUINTA; 003 QUINTA)."""

    class Role(models.TextChoices):
        GENERAL = "general", _("Enlace general")
        TECHNICAL = "technical", _("Enlace técnico")
        OPERATIONAL = "operational", _("Enlace operativo")

    party = models.ForeignKey(
        AgreementParty, on_delete=models.PROTECT, related_name="officers", verbose_name=_("parte")
    )
    role = models.CharField(_("tipo de enlace"), max_length=20, choices=Role.choices, default=Role.GENERAL)
    full_name = models.CharField(_("nombre completo"), max_length=200)
    position = models.CharField(_("cargo"), max_length=200)
    phone = models.CharField(_("teléfono"), max_length=40)
    email = models.EmailField(_("correo electrónico"))
    address = models.TextField(_("domicilio"))
    functions = models.TextField(_("funciones"))
    notified_on = models.DateField(_("fecha de notificación"))
    effective_from = models.DateField(_("vigente desde"))
    effective_until = models.DateField(_("vigente hasta"), null=True, blank=True)
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

    class Meta:
        verbose_name = _("enlace")
        verbose_name_plural = _("enlaces")
        ordering = ["party", "role", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "role"],
                condition=Q(effective_until__isnull=True),
                name="one_open_officer_per_party_role",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"
