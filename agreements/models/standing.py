"""Immediate suspensions of a member institution (001, Cap. III.4 III; Cap. II.2 XIV).

An institution's standing itself is derived, never stored (``agreements.standing``): this table
only records the commission's decision to suspend a member at once, and its lifting.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset

from .institutions import Institution


class InstitutionSuspensionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution")

    def in_effect(self):
        return self.filter(status=InstitutionSuspension.Status.IN_EFFECT)


class InstitutionSuspension(models.Model):
    """The commission suspends a member at once; lifting it restores the accounts it blocked::

    in_effect --lift--> lifted
    """

    class Reason(models.TextChoices):
        # 001, Cap. III.4 III, A-C, and Cap. II.2 XIV.
        RULES_BREACHED = (
            "rules_breached",
            _("Violó las reglas, el acuerdo de conexión o el procedimiento del servicio de datos"),
        )
        WRONG_INFORMATION = (
            "wrong_information",
            _("Envió información incorrecta o incompleta, o puso en riesgo la secrecía"),
        )
        PLATFORM_AT_RISK = (
            "platform_at_risk",
            _("Puso en riesgo la integridad, disponibilidad o confidencialidad de la información o la operación"),
        )
        REQUIREMENTS_UNMET = "requirements_unmet", _("Dejó de cumplir los requisitos mínimos de un integrante")

    class Status(models.TextChoices):
        IN_EFFECT = "in_effect", _("Vigente")
        LIFTED = "lifted", _("Levantada")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("institución")
    )
    reason = models.CharField(_("causa"), max_length=30, choices=Reason.choices)
    text = models.TextField(_("motivación"))
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.IN_EFFECT, protected=False)
    started_at = models.DateTimeField(_("suspendida desde"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    lifted_at = models.DateTimeField(_("levantada"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_note = models.TextField(_("motivo del levantamiento"), blank=True)

    history = HistoricalRecords()
    objects = InstitutionSuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspensión inmediata de integrante")
        verbose_name_plural = _("suspensiones inmediatas de integrantes")
        ordering = ["-started_at"]
        permissions = [("suspend_institution", "Suspender de inmediato a una institución integrante")]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(status="in_effect"),
                name="institution_one_suspension_in_effect",
                violation_error_message=_("Esta institución ya está suspendida."),
            ),
        ]

    def __str__(self):
        return f"{self.institution.acronym} — {self.get_reason_display()}"

    @property
    def can_lift(self):
        return can_proceed(self.lift)

    @transition(field=status, source=Status.IN_EFFECT, target=Status.LIFTED)
    def lift(self, *, by, note):
        self.lifted_at, self.lifted_by, self.lift_note = timezone.now(), by, note
