"""The commission answers within 3 business days (000, OCTAVA): weekends, Mexican holidays and the
commission's extra non-working days do not count; overdue requests alert daily."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from accounts import services_onboarding as svc
from accounts.models import AccountChangeRequest, AccountRequest, OnboardingSettings
from accounts.tasks import alert_overdue_requests
from accounts.tests.factories import UserFactory, profile, valid_curp
from agreements.models import NonWorkingDay

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=MX)


def test_three_business_days_on_plain_weekdays():
    # Tuesday 10 Nov 2026 -> Wed 11, Thu 12, Fri 13.
    assert svc.due_date_for(at(2026, 11, 10)) == datetime.date(2026, 11, 13)


def test_weekend_and_revolution_day_do_not_count():
    # Friday 13 Nov 2026: Sat 14, Sun 15 and Mon 16 (Revolution Day, third Monday) are skipped.
    assert svc.due_date_for(at(2026, 11, 13)) == datetime.date(2026, 11, 19)


def test_filed_on_saturday_counts_from_monday():
    assert svc.due_date_for(at(2026, 11, 14)) == datetime.date(2026, 11, 19)


def test_constitution_day_is_skipped():
    # Friday 29 Jan 2027; Monday 1 Feb 2027 is Constitution Day.
    assert svc.due_date_for(at(2027, 1, 29)) == datetime.date(2027, 2, 4)


def test_local_day_decides_not_utc():
    # 23:30 in Mexico City on Friday is already Saturday in UTC: the local Friday counts.
    late_friday = at(2026, 11, 6, 23, 30)
    assert late_friday.astimezone(datetime.UTC).date() == datetime.date(2026, 11, 7)
    assert svc.due_date_for(late_friday) == datetime.date(2026, 11, 11)


def test_commission_extra_non_working_day_is_skipped():
    NonWorkingDay.objects.create(date=datetime.date(2026, 11, 12), description="Día inhábil de prueba")
    # Wed 11, (Thu 12 off), Fri 13, (weekend, Mon 16 holiday), Tue 17.
    assert svc.due_date_for(at(2026, 11, 10)) == datetime.date(2026, 11, 17)


def test_sla_days_come_from_the_commission_settings():
    settings = OnboardingSettings.load()
    settings.sla_business_days = 5
    settings.save()
    # Tue 10 Nov 2026 + 5 business days, skipping the weekend and Mon 16: Wed 18.
    assert svc.due_date_for(at(2026, 11, 10)) == datetime.date(2026, 11, 18)


@pytest.fixture
def overdue_request(member, inst_admin):
    req = AccountRequest.objects.create(
        institution=member,
        created_by=inst_admin,
        given_names="Tomás",
        paternal_surname="Ordóñez",
        curp=valid_curp(8001),
        status=AccountRequest.Status.SUBMITTED,
        submitted_at=at(2026, 11, 13),
        due_date=datetime.date(2026, 11, 19),
    )
    return req


def test_overdue_only_after_the_due_date(overdue_request, commission_admin, django_capture_on_commit_callbacks):
    assert svc.overdue_alert_send(today=datetime.date(2026, 11, 19)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.overdue_alert_send(today=datetime.date(2026, 11, 20)) == 1
    alert = next(m for m in mail.outbox if commission_admin.email in m.to)
    assert overdue_request.folio in alert.body
    assert "vencida" in alert.subject


def test_daily_task_alerts_commission_admins_about_changes_too(
    overdue_request, commission_admin, member, inst_admin, django_capture_on_commit_callbacks
):
    target = UserFactory(institution=member, profile=profile("analyst"))
    change = AccountChangeRequest.objects.create(
        institution=member,
        user=target,
        kind=AccountChangeRequest.Kind.SUSPENSION,
        reason="Licencia",
        submitted_at=at(2026, 11, 2),
        due_date=datetime.date(2026, 11, 5),
        created_by=inst_admin,
    )
    with django_capture_on_commit_callbacks(execute=True):
        count = alert_overdue_requests.delay(today="2026-11-25").get()
    assert count == 2
    alert = next(m for m in mail.outbox if commission_admin.email in m.to)
    assert change.folio in alert.body and overdue_request.folio in alert.body
