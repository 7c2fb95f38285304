"""Notifications (kernel): the one way any app tells people something.

``notify(...)`` is called inside the caller's transaction: it writes one outbox row per recipient
and channel, so a rolled-back event leaves no message. After commit a Celery task sends each
e-mail row; a failure is retried with exponential backoff up to ``NOTIFICATION_MAX_ATTEMPTS``,
then the row stays ``failed`` for commission administrators to resend. A beat job sweeps due
rows, so a broker outage delays messages but loses none.

A row is never sent twice: a sender first *claims* it (``pending -> sending``, a transition of the
model) while holding its row lock, skipping a row another worker holds; only the one that
committed the claim sends it. A row left in ``sending`` by a crashed worker may or may not have
left: the sweep marks it failed (for a person to decide) instead of sending it again.
"""

import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Model
from django.dispatch import receiver
from django.template import Context, Engine, engines
from django.template.backends.django import DjangoTemplates
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from audit.services import record_event
from kernel.site import absolute_url

from .models import Notification, related_path

logger = logging.getLogger(__name__)

# Templates whose text carries a one-time secret: the body is erased once the e-mail has left.
ERASE_AFTER_SENDING = {"password_reset", "account_activation"}
ERASED_BODY = "(Texto eliminado tras el envío: contenía un enlace de un solo uso.)"
INTERRUPTED = "Envío interrumpido: el mensaje pudo haber salido. Revise antes de reenviarlo."


@receiver(setting_changed)
def _forget_engine(*, setting: str, **kwargs: Any) -> None:
    if setting == "TEMPLATES":
        _text_engine.cache_clear()


@functools.cache
def _text_engine() -> Engine:
    """The project's template engine without HTML escaping: notifications are plain text."""
    default = cast(DjangoTemplates, engines["django"]).engine
    return Engine(
        dirs=default.dirs,
        app_dirs=default.app_dirs,
        libraries=default.libraries,
        autoescape=False,
        debug=default.debug,
    )


def render(template: str, context: dict) -> tuple[str, str]:
    """Subject (one line) and body of ``templates/notifications/<template>/``, in Spanish."""
    engine = _text_engine()
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = (
            engine.get_template(f"notifications/{template}/{part}.txt").render(Context(context, autoescape=False))
            for part in ("subject", "body")
        )
    return " ".join(subject.split())[:255], body.strip() + "\n"


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    template: str,
    context: dict[str, Any],
    related: Model | None = None,
    link: str | Callable[[Any], str] | None = None,
    channels: Sequence[str] = ("email", "inapp"),
) -> list[Notification]:
    """Tell ``recipients`` (users) something, rendered from ``templates/notifications/<template>/``
    (``subject.txt`` and ``body.txt``, in Spanish). ``related`` is the object it concerns.

    Each recipient gets a link to the page about it that they may open: ``link`` (a portal path, or
    a function of the recipient giving one) or else ``related``'s page for that recipient
    (``notification_path(recipient)`` or ``get_absolute_url()``). The inbox shows it; the e-mail
    ends with it as an absolute address built from PORTAL_SITE_URL.

    Writes the outbox rows in the caller's transaction and queues the e-mails for after commit.
    Returns the rows written.
    """
    unknown = set(channels) - set(Notification.Channel.values)
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    related_fields: dict[str, Any] = {}
    if related is not None:
        related_fields = {
            "related_type": ContentType.objects.get_for_model(related),
            "related_id": str(related.pk),
        }
    now = timezone.now()
    rows = []
    for user in recipients:
        subject, body = render(template, {**context, "recipient": user})
        path = (link(user) if callable(link) else link) or related_path(related, user)
        common = {
            "recipient": user,
            "template": template,
            "subject": subject,
            "body": body,
            "created_at": now,
            "link": path,
            **related_fields,
        }
        if Notification.Channel.EMAIL in channels and user.email:
            email_fields = common
            if path:
                with translation.override(settings.LANGUAGE_CODE):  # like the body it closes
                    see = str(_("Véalo en el portal: %(link)s")) % {"link": absolute_url(path)}
                email_fields = {**common, "body": f"{body.rstrip()}\n\n{see}\n"}
            rows.append(
                Notification(
                    channel=Notification.Channel.EMAIL,
                    to_address=user.email,
                    status=Notification.Status.PENDING,
                    next_attempt_at=now,
                    erase_body_when_sent=template in ERASE_AFTER_SENDING,
                    **email_fields,
                )
            )
        # A one-time link is mailed only: it never stays readable in the portal.
        if Notification.Channel.INAPP in channels and template not in ERASE_AFTER_SENDING:
            rows.append(
                Notification(channel=Notification.Channel.INAPP, status=Notification.Status.SENT, sent_at=now, **common)
            )
    for row in rows:  # one INSERT each: the outbox is small per event and not history-tracked
        row.save(force_insert=True)
        if row.channel == Notification.Channel.EMAIL:
            transaction.on_commit(functools.partial(enqueue, row.pk))
    return rows


def enqueue(notification_id: int, *, countdown: float | None = None) -> bool:
    """Hand one e-mail row to Celery. A broker outage is logged, not raised: the sweep sends it."""
    from celery import current_app

    from .tasks import send_notification

    try:
        send_notification.apply_async(args=[notification_id], countdown=countdown)
    except Exception:  # noqa: BLE001 - the row is safe in the outbox; the beat sweep will queue it
        if current_app.conf.task_always_eager:
            raise
        logger.warning("notification %s not queued (broker unavailable); the sweep will send it", notification_id)
        return False
    return True


def backoff_seconds(attempts: int) -> float:
    """Wait before attempt ``attempts + 1``: base, 2×base, 4×base... capped."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX_SECONDS)


def notification_deliver(*, notification_id: int) -> tuple[str, float | None]:
    """Send one e-mail row if this caller wins the claim. Idempotent: safe to call any number of
    times, from any number of workers at once.

    Returns ``(outcome, retry_in)``: outcome is ``"sent"``, ``"retry"`` (with the seconds to wait),
    ``"failed"`` (attempt limit reached) or ``"skipped"`` (not due, already taken or done).
    """
    now = timezone.now()
    with transaction.atomic():
        row = Notification.objects.select_for_update(skip_locked=True).filter(pk=notification_id).first()
        if row is None or not row.is_due(now):
            return "skipped", None
        row.claim(now=now)
        row.save(update_fields=["status", "claimed_at", "attempts"])
    try:
        EmailMessage(row.subject, row.body, None, [row.to_address]).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server is retried or reported
        return _record_failure(row, exc)
    _move(row.pk, "delivered", erased_body=ERASED_BODY if row.erase_body_when_sent else None)
    return "sent", None


def _move(notification_id: int, transition_name: str, **kwargs: Any) -> bool:
    """Perform one of the row's transitions under its row lock, if it may still happen (the sweep
    may have marked it failed meanwhile). Returns whether it moved."""
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(pk=notification_id)
        move = getattr(row, transition_name)
        if not can_proceed(move):
            return False
        move(**kwargs)
        row.save()
    return True


def _record_failure(row: Notification, exc: Exception) -> tuple[str, float | None]:
    error = f"{type(exc).__name__}: {exc}"[:1000]
    logger.warning("notification %s attempt %s failed: %s", row.pk, row.attempts, error)
    if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _move(row.pk, "give_up", error=error)
        record_event(
            category="business",
            action="notification_failed",
            actor=None,
            target=row,
            detail={"template": row.template, "attempts": row.attempts},
        )
        return "failed", None
    wait = backoff_seconds(row.attempts)
    _move(row.pk, "retry_later", error=error, at=timezone.now() + timedelta(seconds=wait))
    return "retry", wait


def notification_sweep(*, now: datetime | None = None) -> list[int]:
    """The beat job's work: report rows a crashed sender left behind, and list the due rows.

    Idempotent. Rows stuck in ``sending`` longer than ``NOTIFICATION_CLAIM_TIMEOUT_SECONDS`` are
    marked failed (never resent automatically: they may have left). Returns the ids to queue.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
    for pk in list(
        Notification.objects.filter(status=Notification.Status.SENDING, claimed_at__lt=stale).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            row = Notification.objects.select_for_update(skip_locked=True).filter(pk=pk, claimed_at__lt=stale).first()
            if row is not None and can_proceed(row.give_up):
                row.give_up(error=INTERRUPTED)
                row.save(update_fields=["status", "last_error"])
    return list(
        Notification.objects.filter(
            channel=Notification.Channel.EMAIL, status=Notification.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.NOTIFICATION_SWEEP_BATCH]
    )


@transaction.atomic
def notification_resend(*, notification: Notification, actor: Any) -> Notification:
    """A commission administrator sends a failed e-mail row again (a fresh round of attempts)."""
    row = Notification.objects.select_for_update().get(pk=notification.pk)
    if not row.can_resend:
        raise ValidationError(_("Solo se pueden reenviar correos cuyo envío falló."))
    row.resend(now=timezone.now())
    row.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_at"])
    record_event(
        category="business",
        action="notification_resent",
        actor=actor,
        target=row,
        detail={"template": row.template, "previous_error": row.last_error[:200]},
    )
    transaction.on_commit(functools.partial(enqueue, row.pk))
    return row


def notification_mark_read(*, notification: Notification, actor: Any) -> None:
    """Mark one of ``actor``'s own in-app notifications as read (idempotent)."""
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("Solo puede marcar sus propias notificaciones."))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread in-app notification of ``actor`` as read; returns how many."""
    return Notification.objects.filter(
        recipient=actor, channel=Notification.Channel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())
