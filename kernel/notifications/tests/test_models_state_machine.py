"""The outbox's state machine, declared once on ``Notification`` (django-fsm-2): each state allows
exactly the transitions of the table, in-app rows never enter the e-mail cycle, an illegal
transition raises, and ``can_resend`` says what the resend service and the outbox page do."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from kernel.notifications import services
from kernel.notifications.models import Notification
from kernel.notifications.tests.factories import InAppNotificationFactory, NotificationFactory

pytestmark = pytest.mark.django_db

S = Notification.Status
EMAIL_TABLE = {
    S.PENDING: {"claim"},
    S.SENDING: {"delivered", "retry_later", "give_up"},
    S.SENT: set(),
    S.FAILED: {"resend"},
}


def allowed(row):
    return {t.name for t in row.get_available_status_transitions()}


@pytest.mark.parametrize("state", list(EMAIL_TABLE))
def test_email_row_transitions_per_state(state):
    row = Notification(channel=Notification.Channel.EMAIL, status=state)
    assert allowed(row) == EMAIL_TABLE[state]
    assert row.can_resend == (state == S.FAILED)


def test_in_app_rows_never_enter_the_email_cycle():
    row = Notification(channel=Notification.Channel.INAPP, status=S.FAILED)
    assert not row.can_resend
    with pytest.raises(TransitionNotAllowed):
        row.resend(now=timezone.now())
    with pytest.raises(TransitionNotAllowed):
        Notification(channel=Notification.Channel.INAPP, status=S.PENDING).claim(now=timezone.now())


def test_illegal_transition_raises():
    with pytest.raises(TransitionNotAllowed):
        Notification(channel=Notification.Channel.EMAIL, status=S.SENT).retry_later(error="x", at=timezone.now())


def test_resend_follows_can_resend_on_the_service_and_the_page(client, login, commission_admin):
    failed = NotificationFactory(status=S.FAILED, attempts=5, last_error="SMTPException: caído")
    pending = NotificationFactory()
    in_app = InAppNotificationFactory()
    for row in (pending, in_app):
        assert not row.can_resend
        with pytest.raises(ValidationError):
            services.notification_resend(notification=row, actor=commission_admin)
    login(commission_admin)
    page = client.get(reverse("notifications:outbox"), {"estado": S.FAILED}).content.decode()
    assert f'value="{failed.pk}"' in page  # the resend button, because it can be resent
    services.notification_resend(notification=failed, actor=commission_admin)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.claimed_at) == (S.PENDING, 0, None)
