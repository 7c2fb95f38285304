"""Memberships of institutions and the notices sent to members."""

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


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution")


class Membership(models.Model):
    """An institution's registration as a member (001, Cap. III). Its transitions::

        requested --accept--> accepted --leave--> leaving ------\
        requested --deny--> denied     accepted --terminate--> terminating --close--> ended
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        ACCEPTED = "accepted", _("Aceptada")
        DENIED = "denied", _("Negada")
        LEAVING = "leaving", _("Baja voluntaria programada")
        TERMINATING = "terminating", _("Terminación notificada")
        ENDED = "ended", _("Concluida")

    class DenyReason(models.TextChoices):
        NO_REPRESENTATION = "no_representation", _("No acreditó la representación")
        OUTDATED = "outdated", _("Información faltante o desactualizada")
        REQUIREMENTS = "requirements", _("No cumple los requisitos")

    TERMINATION_NOTICE_DAYS = 5
    FOLLOW_UP_BUSINESS_DAYS = 10  # the source sets no term: the portal's default
    # A membership in these states keeps the institution from asking for another one.
    CURRENT_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.LEAVING, Status.TERMINATING)
    ENDING_STATUSES = (Status.LEAVING, Status.TERMINATING)

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("institución")
    )
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.REQUESTED, protected=False)
    agreement_proof = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("constancia del convenio firmado")
    )
    responsible_letter = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("oficio que designa al responsable")
    )
    security_statement = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="+", verbose_name=_("manifiesto de medidas de seguridad")
    )
    responsible_name = models.CharField(_("persona responsable"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    requested_at = models.DateTimeField(_("solicitada"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    deny_reason = models.CharField(_("causa de la negativa"), max_length=30, choices=DenyReason.choices, blank=True)
    decision_note = models.TextField(_("observaciones"), blank=True)
    # After registration (001 Cap. III.1 II): the list of people entitled to use the platform and
    # the commitment letter, due by ``follow_up_due``; notices also reach ``responsible_user``
    # (001 Cap. III.3 VI), the person the member names to receive them.
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cuenta de la persona responsable"),
    )
    follow_up_due = models.DateField(_("plazo para enviar usuarios y carta compromiso"), null=True, blank=True)
    entitled_users_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relación de personas con derecho a usar la plataforma"),
    )
    commitment_letter = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("carta compromiso")
    )
    follow_up_sent_on = models.DateField(_("documentos posteriores enviados"), null=True, blank=True)
    ends_on = models.DateField(_("fecha de baja"), null=True, blank=True)
    end_reason = models.TextField(_("motivo de la baja"), blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        ordering = ["-requested_at"]
        permissions = [("decide_membership", "Resolver y terminar membresías")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(deny_reason=""), name="membership_denied_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.institution.acronym} — {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("agreements:membership_detail", args=[self.pk])

    def follow_up_overdue(self, today=None):
        """Accepted, its post-registration documents not sent and their deadline passed."""
        today = today or timezone.localdate()
        return bool(
            self.status == self.Status.ACCEPTED
            and self.follow_up_sent_on is None
            and self.follow_up_due
            and self.follow_up_due < today
        )

    # --- State machine ---------------------------------------------------------------------

    @property
    def awaits_decision(self):
        """Requested: the commission may accept or deny it."""
        return can_proceed(self.accept)

    @property
    def can_leave(self):
        return can_proceed(self.leave)

    @property
    def can_terminate(self):
        return can_proceed(self.terminate)

    def _decide(self, *, by, note):
        self.decided_by, self.decided_at, self.decision_note = by, timezone.now(), note

    @transition(field=status, source=Status.REQUESTED, target=Status.ACCEPTED)
    def accept(self, *, by, note=""):
        self._decide(by=by, note=note)

    @transition(field=status, source=Status.REQUESTED, target=Status.DENIED)
    def deny(self, *, by, reason, note=""):
        self.deny_reason = reason
        self._decide(by=by, note=note)

    @transition(field=status, source=Status.ACCEPTED, target=Status.LEAVING)
    def leave(self, *, ends_on, reason):
        """The member leaves of its own accord on ``ends_on``."""
        self.ends_on, self.end_reason = ends_on, reason

    @transition(field=status, source=Status.ACCEPTED, target=Status.TERMINATING)
    def terminate(self, *, ends_on, reason):
        """The commission ends it on ``ends_on`` (after the notice period)."""
        self.ends_on, self.end_reason = ends_on, reason

    @transition(field=status, source=ENDING_STATUSES, target=Status.ENDED)
    def close(self):
        pass


# --- Notices to members ----------------------------------------------------------------------


class MemberNotice(models.Model):
    """A notice from the commission to member institutions, with the source's lead times (001)."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Cambio programado (15 días hábiles)")
        UNPLANNED = "unplanned", _("Cambio no programado (5 días hábiles)")
        PROTOCOL = "protocol", _("Cambio al protocolo (un mes)")

    kind = models.CharField(_("tipo de aviso"), max_length=20, choices=Kind.choices)
    subject = models.CharField(_("asunto"), max_length=200)
    body = models.TextField(_("contenido"))
    sent_on = models.DateField(_("fecha de envío"))
    change_on = models.DateField(_("fecha del cambio"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aviso a integrantes")
        verbose_name_plural = _("avisos a integrantes")
        ordering = ["-sent_on", "-id"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        """Member notices have no page of their own: the list where they are read."""
        return reverse("agreements:member_notice_list")
