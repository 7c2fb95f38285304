"""The outbox: written with the event, sent once after commit, retried, failed visibly, resent."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from agreements.tests.factories import InstitutionFactory
from kernel.notifications import services, tasks
from kernel.notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def make_due(row):
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=5))


def test_notify_writes_one_row_per_recipient_and_channel_rendered_in_spanish(test_templates):
    ana, beto = UserFactory(given_names="Ana Sofía"), UserFactory(email="")
    institution = InstitutionFactory()
    rows = services.notify(
        recipients=[ana, beto],
        template="prueba",
        context={"asunto": "Convenio <A&B>", "texto": 'Se firmó el convenio "A&B".'},
        related=institution,
    )
    # beto has no e-mail address: only his in-app row
    assert sorted((r.recipient_id, r.channel) for r in rows) == sorted(
        [(ana.pk, "email"), (ana.pk, "inapp"), (beto.pk, "inapp")]
    )
    email_row = Notification.objects.get(recipient=ana, channel="email")
    assert email_row.status == Notification.Status.PENDING
    assert email_row.subject == "Aviso: Convenio <A&B> (prueba)"  # one line, nothing escaped
    assert email_row.body.startswith("Hola, Ana Sofía Núñez Ibáñez:")
    assert 'Se firmó el convenio "A&B".' in email_row.body
    assert email_row.to_address == ana.email
    assert email_row.related == institution
    inapp = Notification.objects.get(recipient=beto, channel="inapp")
    assert inapp.status == Notification.Status.SENT and inapp.read_at is None


def test_notify_refuses_an_unknown_channel(test_templates):
    with pytest.raises(ValueError, match="sms"):
        services.notify(recipients=[UserFactory()], template="prueba", context={}, channels=("sms",))


def test_rollback_of_the_causing_transaction_leaves_no_notification(test_templates, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(recipients=[user], template="prueba", context={"asunto": "x", "texto": "y"})
            assert Notification.objects.count() == 2  # written inside the transaction...
            raise RuntimeError("the event failed")
    assert Notification.objects.count() == 0  # ...and gone with it
    assert callbacks == []
    assert mail.outbox == []


def test_the_email_leaves_after_commit_and_only_then(test_templates, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[user], template="prueba", context={"asunto": "Alta", "texto": "Bienvenida"})
        assert mail.outbox == []  # still inside the transaction
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "Aviso: Alta (prueba)"
    row = Notification.objects.get(channel="email")
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None


def test_a_send_failure_retries_with_exponential_backoff_then_fails_visibly(settings, failing_mail):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    row = NotificationFactory()
    waits = []
    for _attempt in range(3):
        before = timezone.now()
        outcome, retry_in = services.notification_deliver(notification_id=row.pk)
        row.refresh_from_db()
        assert outcome == "retry"
        assert row.status == Notification.Status.PENDING
        assert "SMTPServerDisconnected" in row.last_error
        assert row.next_attempt_at >= before + timedelta(seconds=retry_in)
        # not due yet: a second call (another worker, the sweep) does nothing
        assert services.notification_deliver(notification_id=row.pk) == ("skipped", None)
        waits.append(retry_in)
        make_due(row)
    assert waits == [60, 120, 240]
    assert services.notification_deliver(notification_id=row.pk) == ("failed", None)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 4)
    assert "el servidor de correo cerró la conexión" in row.last_error
    assert services.notification_deliver(notification_id=row.pk) == ("skipped", None)
    assert row.pk not in services.notification_sweep()
    assert mail.outbox == []


def test_backoff_is_capped(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 600
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4, 5, 6)] == [60, 120, 240, 480, 600, 600]


def test_resend_puts_a_failed_row_back_and_it_is_delivered(
    settings, commission_admin, django_capture_on_commit_callbacks
):
    row = NotificationFactory(status=Notification.Status.FAILED, attempts=5, last_error="SMTPException: caído")
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_resend(notification=row, actor=commission_admin)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == row.subject


@pytest.mark.parametrize("status", ["pending", "sending", "sent"])
def test_only_failed_emails_can_be_resent(commission_admin, status):
    row = NotificationFactory(status=status)
    with pytest.raises(ValidationError):
        services.notification_resend(notification=row, actor=commission_admin)
    row.refresh_from_db()
    assert row.status == status


def test_a_delivered_row_is_never_sent_again():
    row = NotificationFactory()
    assert services.notification_deliver(notification_id=row.pk) == ("sent", None)
    for _ in range(3):
        assert services.notification_deliver(notification_id=row.pk) == ("skipped", None)
        tasks.send_notification.delay(row.pk)
    tasks.sweep.delay()
    assert len(mail.outbox) == 1


def test_sweep_queues_due_rows_and_reports_rows_a_crashed_worker_left(settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 60
    due = NotificationFactory()
    later = NotificationFactory(next_attempt_at=timezone.now() + timedelta(minutes=5))
    stuck = NotificationFactory(status="sending", claimed_at=timezone.now() - timedelta(minutes=2), attempts=1)
    busy = NotificationFactory(status="sending", claimed_at=timezone.now(), attempts=1)
    NotificationFactory(channel="inapp", to_address="", status="sent")
    assert services.notification_sweep() == [due.pk]
    stuck.refresh_from_db()
    busy.refresh_from_db()
    assert stuck.status == "failed" and "pudo haber salido" in stuck.last_error  # a person decides
    assert busy.status == "sending"
    assert tasks.sweep.delay().get() == 1  # eager here: the sweep sends the due row
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("sent", "pending")
    assert [m.subject for m in mail.outbox] == [due.subject]


def test_one_time_links_are_erased_once_sent(django_capture_on_commit_callbacks):
    user = UserFactory()
    context = {"user": user, "link": "https://portal.example/cuenta/contrasena/restablecer/MQ/secreto-123/"}
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[user], template="password_reset", context=context)  # both channels asked
    assert "secreto-123" in mail.outbox[0].body
    row = Notification.objects.get()
    assert row.status == "sent"
    assert "secreto-123" not in row.body
    assert row.body == services.ERASED_BODY


def test_mark_read_only_touches_ones_own_rows():
    from .factories import InAppNotificationFactory

    mine, theirs = InAppNotificationFactory(), InAppNotificationFactory()
    services.notification_mark_read(notification=mine, actor=mine.recipient)
    with pytest.raises(ValidationError):
        services.notification_mark_read(notification=theirs, actor=mine.recipient)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    InAppNotificationFactory.create_batch(2, recipient=mine.recipient)
    assert services.notification_mark_all_read(actor=mine.recipient) == 2
    assert services.notification_mark_all_read(actor=mine.recipient) == 0


@pytest.mark.django_db(transaction=True)
def test_a_row_is_sent_once_even_when_workers_race(settings):
    """Several workers (threads, each with its own database connection) get the same rows at once."""
    settings.EMAIL_BACKEND = "kernel.notifications.tests.backends.SlowBackend"
    rows = NotificationFactory.create_batch(3)
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            for row in rows:
                outcomes.append(services.notification_deliver(notification_id=row.pk)[0])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["sent"] * 3 + ["skipped"] * (3 * workers - 3)
    assert sorted(m.subject for m in mail.outbox) == sorted(r.subject for r in rows)
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
