"""Deadline arithmetic: fixed "a más tardar" dates stay put, relative ones count business days,
pilot programs stop six months after their start (month ends and leap years included)."""

from datetime import date

import pytest

from governance.models import pilot_cap
from governance.tests.factories import acuerdo, held_session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "cap"),
    [
        (date(2026, 1, 15), date(2026, 7, 15)),
        (date(2026, 8, 31), date(2027, 2, 28)),  # no 31 February: the month's last day
        (date(2027, 8, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2025, 12, 31), date(2026, 6, 30)),  # across the year end
        (date(2026, 2, 28), date(2026, 8, 28)),
    ],
)
def test_pilot_cap_is_six_months_from_the_start(start, cap):
    assert pilot_cap(start) == cap


def test_fixed_deadline_on_a_holiday_stays_put(committee, member):
    session = held_session(body=committee)
    # 16 September 2026 is Independence Day (a federal holiday): "a más tardar" stays that day.
    item = acuerdo(session=session, institutions=[member], deadline_kind="fixed", deadline_date=date(2026, 9, 16))
    assert item.due_on == date(2026, 9, 16)


def test_relative_deadline_counts_business_days_from_the_session(committee, member):
    # Session on Friday 13 March 2026; Monday 16 March is a holiday (Juárez's birthday, third Monday).
    session = held_session(body=committee, on=date(2026, 3, 13))
    item = acuerdo(session=session, institutions=[member], deadline_kind="business_days", deadline_business_days=3)
    # 17, 18, 19 March: the weekend and the holiday do not count.
    assert item.due_on == date(2026, 3, 19)


def test_commission_non_working_day_also_skipped(committee, member, commission_admin):
    from agreements import services as agreement_services

    agreement_services.non_working_day_add(actor=commission_admin, day=date(2026, 3, 18), description="Asueto")
    session = held_session(body=committee, on=date(2026, 3, 13))
    item = acuerdo(session=session, institutions=[member], deadline_kind="business_days", deadline_business_days=3)
    assert item.due_on == date(2026, 3, 20)


def test_relative_deadline_is_counted_once_when_reached(committee, member, commission_admin):
    from agreements import services as agreement_services
    from governance import services

    session = held_session(body=committee, on=date(2026, 3, 13))
    item = acuerdo(session=session, institutions=[member], deadline_kind="business_days", deadline_business_days=3)
    agreement_services.non_working_day_add(actor=commission_admin, day=date(2026, 3, 18), description="Asueto")
    services.acuerdo_start(actor=None, acuerdo=item)
    item.refresh_from_db()
    assert item.due_on == date(2026, 3, 19)
