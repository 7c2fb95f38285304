"""The daily beat announces due and overdue acuerdos, ending pilots and overdue consent requests once."""

from datetime import date

import pytest
from django.core import mail

from governance import services
from governance.models import PilotProgram
from governance.tasks import governance_daily
from governance.tests.factories import acuerdo, held_session, pdf

pytestmark = pytest.mark.django_db


def test_each_alert_is_sent_once(
    committee, member, commission, agreement, commission_admin, institution_admin, django_capture_on_commit_callbacks
):
    session = held_session(body=committee, on=date(2026, 11, 2))
    # Friday 20 November 2026; the 16th was a holiday. Due on the 27th: 5 business days ahead.
    today = date(2026, 11, 20)
    acuerdo(session=session, institutions=[member], deadline_kind="fixed", deadline_date=date(2026, 11, 27))
    acuerdo(session=session, institutions=[member], deadline_kind="fixed", deadline_date=date(2026, 11, 20))
    acuerdo(session=session, institutions=[member], deadline_kind="fixed", deadline_date=date(2026, 12, 31))
    pilot = services.pilot_request(
        actor=None,
        agreement=agreement,
        requested_by=member,
        title="Piloto",
        requested_on=date(2026, 5, 1),
        request_file=pdf(),
    )
    services.pilot_start(actor=None, pilot=pilot, starts_on=date(2026, 6, 20))  # ends 20 December: 30 days
    services.consent_processing_mark(actor=None, agreement=agreement, responsible=member)
    services.consent_request_create(
        actor=None,
        agreement=agreement,
        requested_by=commission,
        folios="C-9",
        requested_on=date(2026, 11, 1),
        due_on=date(2026, 11, 10),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.governance_daily(today=today)
    assert sent == {
        "closed_by_link": 0,
        "acuerdo_due": 1,
        "acuerdo_deadline": 1,
        "pilot_ending": 1,
        "pilot_ended": 0,
        "consent_overdue": 1,
    }
    assert {a for m in mail.outbox for a in m.to} == {commission_admin.email, institution_admin.email}
    assert any("próximo a vencer" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.governance_daily(today=today)
    assert sum(again.values()) == 0
    # Seven days before the pilot's end is a new alert; after its end it concludes.
    assert services.governance_daily(today=date(2026, 12, 13))["pilot_ending"] == 1
    assert services.governance_daily(today=date(2026, 12, 21))["pilot_ended"] == 1
    pilot.refresh_from_db()
    assert pilot.status == PilotProgram.Status.ENDED and pilot.ended_on == date(2026, 12, 20)


def test_task_runs_the_service():
    assert governance_daily.delay().get()["acuerdo_due"] == 0
