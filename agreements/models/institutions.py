"""Institutions: the commission and the member institutions."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.identifiers import validate_rfc
from kernel.scoping import scope_queryset


class InstitutionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Institutions a user may see: all for platform-wide profiles, else their own (the one
        they belong to, whatever their scope) and any granted to them."""
        return scope_queryset(self, user, institution_lookup="pk", own_lookup="users")


class Institution(models.Model):
    """A tenant: the commission (platform operator, exactly one) or a member institution."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("Comisión")
        MEMBER = "member", _("Institución integrante")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Activa")
        SUSPENDED = "suspended", _("Suspendida")
        TERMINATED = "terminated", _("Baja")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    legal_name = models.CharField(_("razón social"), max_length=255, unique=True)
    acronym = models.CharField(_("siglas"), max_length=30, unique=True)
    rfc = models.CharField(_("RFC"), max_length=13, unique=True, validators=[validate_rfc])
    address = models.TextField(_("domicilio"), blank=True)
    state = models.CharField(_("entidad federativa"), max_length=60, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    history = HistoricalRecords()
    objects = InstitutionQuerySet.as_manager()
    # What a search of institutions reads, in this order (trigram index of migration 0004).
    SEARCH_FIELDS = ("acronym", "legal_name")

    class Meta:
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="commission"), name="institution_single_commission"
            ),
        ]

    def __str__(self):
        return f"{self.acronym} — {self.legal_name}"

    @property
    def is_commission(self):
        return self.kind == self.Kind.COMMISSION
