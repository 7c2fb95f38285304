"""The daily beat announces each event once, in-app and by e-mail, to the right people."""

from datetime import date, timedelta

import pytest
from django.core import mail

from agreements import services
from agreements.tasks import agreements_daily
from agreements.tests.factories import make_agreement

pytestmark = pytest.mark.django_db


def test_each_event_is_sent_once(
    commission, member, commission_admin, institution_admin, django_capture_on_commit_callbacks
):
    today = date(2026, 11, 23)
    ending = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        term_kind="until_date",
        term_until=today + timedelta(days=30),
    )
    party = ending.parties.get(role="member")
    party.officer_designation_due = today - timedelta(days=1)
    party.save()
    services.obligation_create(
        agreement=ending,
        actor=commission_admin,
        party=party,
        description="Entrega",
        schedule="monthly",
        business_days=12,
        starts_on=date(2026, 10, 1),
    )
    services.obligation_create(
        agreement=ending,
        actor=commission_admin,
        party=party,
        description="Informe",
        schedule="once",
        starts_on=today,
        due_on=date(2026, 11, 27),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.agreements_daily(today=today)
    assert sent == {
        "ending": 1,
        "due_soon": 1,
        "overdue": 1,
        "officer_overdue": 1,
        "rescission_unanswered": 0,
        "membership_follow_up_overdue": 0,
    }
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {commission_admin.email, institution_admin.email}
    assert any("termina en 30 días" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.agreements_daily(today=today)
    assert again == {
        "ending": 0,
        "due_soon": 0,
        "overdue": 0,
        "officer_overdue": 0,
        "rescission_unanswered": 0,
        "membership_follow_up_overdue": 0,
    }
    # Seven days before the end is a new event.
    with django_capture_on_commit_callbacks(execute=True):
        later = services.agreements_daily(today=ending.end_date - timedelta(days=7))
    assert later["ending"] == 1


def test_the_celery_task_runs_the_service(db):
    assert agreements_daily.delay().get() == {
        "ending": 0,
        "due_soon": 0,
        "overdue": 0,
        "officer_overdue": 0,
        "rescission_unanswered": 0,
        "membership_follow_up_overdue": 0,
    }


def test_one_failing_notification_undoes_nothing_else(
    commission, member, other_member, commission_admin, institution_admin, caplog
):
    """Each expiry and each alert commits on its own: the outbox refusing one recipient's rows (a
    real database error, raised by a trigger) loses that alert only, to be retried the next day."""
    from django.db import connection

    from accounts.tests.factories import UserFactory, profile
    from agreements.models import Agreement, SentAlert
    from kernel.notifications.models import Notification

    today = date(2026, 11, 23)
    refused = UserFactory(institution=other_member, profile=profile("institution_admin"))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_outbox() RETURNS trigger AS $$
            BEGIN
                IF NEW.recipient_id = %s THEN RAISE EXCEPTION 'mailbox refused'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_refuse_outbox BEFORE INSERT ON notifications_notification
                FOR EACH ROW EXECUTE FUNCTION test_refuse_outbox();
            """,
            [refused.pk],
        )

    def agreement(institution, ends):
        return make_agreement(
            members=[institution],
            commission=commission,
            actor=commission_admin,
            term_kind="until_date",
            term_until=ends,
        )

    expired = [agreement(member, today - timedelta(days=3)), agreement(member, today - timedelta(days=2))]
    failing = agreement(other_member, today + timedelta(days=30))
    ending = agreement(member, today + timedelta(days=29))

    sent = services.agreements_daily(today=today)

    assert sent["ending"] == 1
    assert all(Agreement.objects.get(pk=a.pk).status == Agreement.Status.EXPIRED for a in expired)
    assert SentAlert.objects.filter(key__startswith=f"ending:30:{ending.pk}:").exists()
    assert not SentAlert.objects.filter(key__startswith=f"ending:30:{failing.pk}:").exists()
    # The refused alert's other rows (the commission's) went back with it: nothing half-sent.
    assert not Notification.objects.filter(template="agreement_ending", related_id=str(failing.pk)).exists()
    assert Notification.objects.filter(template="agreement_ending", related_id=str(ending.pk)).exists()
    assert "mailbox refused" in caplog.text
