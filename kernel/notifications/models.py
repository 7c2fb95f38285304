"""The outbox: one row per recipient and channel, written in the transaction of the causing event.

E-mail rows move through the transitions declared on ``Notification``::

    pending --claim--> sending --delivered--> sent
                       sending --retry_later--> pending   (a failed attempt, with backoff)
                       sending --give_up--> failed        (attempt limit, or an interrupted send)
    failed --resend--> pending                            (a commission administrator)

In-app rows are born ``sent``: committing them is delivering them; ``read_at`` marks them read.

Not tracked by simple-history on purpose: rows may hold one-time links (password reset) that the
history log must never keep. The services move a row only while they hold its row lock, so two
workers never both claim it. Who resends a failed row is recorded with
``audit.services.record_event``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition


def related_path(obj: object, reader: object = None) -> str:
    """The portal path of ``obj``'s page for ``reader``: the model's ``notification_path(reader)``
    when what a person may open depends on who they are, else its ``get_absolute_url()``; "" when
    its model declares neither."""
    if obj is None:
        return ""
    path_for = getattr(obj, "notification_path", None)
    if path_for is not None:
        return path_for(reader)
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if get_url is not None else ""


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
    # The portal page this recipient opens from the notification (a path; the e-mail carries it as
    # an absolute address). Chosen when it is written: a page the recipient may see.
    link = models.CharField(_("enlace"), max_length=500, blank=True)

    status = FSMField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING, protected=False)
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

    @property
    def related_path(self) -> str:
        """The page of the item it is about, as chosen for its recipient when written (rows older
        than the ``link`` column: the item's own page), or "" if there is none."""
        if self.link:
            return self.link
        return related_path(self.related, self.recipient) if self.related_id else ""

    # --- State machine (e-mail rows) -------------------------------------------------------

    @property
    def is_email(self):
        return self.channel == self.Channel.EMAIL

    @property
    def can_resend(self):
        return can_proceed(self.resend)

    def is_due(self, now):
        """Pending and its next attempt has come (a second's grace for clocks of other workers)."""
        return can_proceed(self.claim) and self.next_attempt_at <= now + timedelta(seconds=1)

    @transition(field=status, source=Status.PENDING, target=Status.SENDING, conditions=[lambda n: n.is_email])
    def claim(self, *, now):
        self.claimed_at = now
        self.attempts += 1

    @transition(field=status, source=Status.SENDING, target=Status.SENT)
    def delivered(self, *, erased_body=None):
        self.sent_at = timezone.now()
        self.last_error = ""
        if erased_body is not None:
            self.body = erased_body

    @transition(field=status, source=Status.SENDING, target=Status.PENDING)
    def retry_later(self, *, error, at):
        self.last_error = error
        self.next_attempt_at = at

    @transition(field=status, source=Status.SENDING, target=Status.FAILED)
    def give_up(self, *, error):
        self.last_error = error

    @transition(field=status, source=Status.FAILED, target=Status.PENDING, conditions=[lambda n: n.is_email])
    def resend(self, *, now):
        """A fresh round of attempts."""
        self.attempts = 0
        self.next_attempt_at = now
        self.claimed_at = None
