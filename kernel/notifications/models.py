"""The outbox: one row per recipient and channel, written in the transaction of the causing event.

E-mail rows move ``pending -> sending -> sent``; a failed attempt sends them back to ``pending``
with a later ``next_attempt_at`` (exponential backoff) until the attempt limit, then ``failed``.
In-app rows are born ``sent``: committing them is delivering them; ``read_at`` marks them read.

Not tracked by simple-history on purpose: rows may hold one-time links (password reset) that the
history log must never keep, and status changes are claims made with conditional UPDATEs. Who
resends a failed row is recorded with ``audit.services.record_event``.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Correo electrónico")
        INAPP = "inapp", _("En el portal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        SENDING = "sending", _("En envío")
        SENT = "sent", _("Enviada")
        FAILED = "failed", _("Fallida")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("destinatario"),
    )
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("plantilla"), max_length=100)
    to_address = models.EmailField(_("dirección de correo"), blank=True)
    subject = models.CharField(_("asunto"), max_length=255)
    body = models.TextField(_("texto"))
    # One-time links (password reset): the text is erased once the message has left.
    erase_body_when_sent = models.BooleanField(default=False, editable=False)

    related_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tipo de objeto relacionado")
    )
    related_id = models.CharField(_("objeto relacionado"), max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("próximo intento"), default=timezone.now)
    claimed_at = models.DateTimeField(_("tomada para envío"), null=True, blank=True)
    sent_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_outbox", "Consultar y reenviar notificaciones fallidas")]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending", channel="email"),
                name="notification_due_idx",
            ),
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(channel="inapp"),
                name="notification_inbox_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="email") | Q(status="sent"),
                name="notification_inapp_is_sent",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.subject}"

    @property
    def is_read(self):
        return self.read_at is not None
