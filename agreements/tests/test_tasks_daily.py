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
    assert sent == {"ending": 1, "due_soon": 1, "overdue": 1, "officer_overdue": 1}
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {commission_admin.email, institution_admin.email}
    assert any("termina en 30 días" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.agreements_daily(today=today)
    assert again == {"ending": 0, "due_soon": 0, "overdue": 0, "officer_overdue": 0}
    # Seven days before the end is a new event.
    with django_capture_on_commit_callbacks(execute=True):
        later = services.agreements_daily(today=ending.end_date - timedelta(days=7))
    assert later["ending"] == 1


def test_the_celery_task_runs_the_service(db):
    assert agreements_daily.delay().get() == {"ending": 0, "due_soon": 0, "overdue": 0, "officer_overdue": 0}
