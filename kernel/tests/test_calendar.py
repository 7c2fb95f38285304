"""The business-day calendar: Mexican holidays in Spanish plus extra non-working days."""

from datetime import date

import pytest

from kernel import calendar

# The agreements app registers its NonWorkingDay table, so the calendar reads the database.
pytestmark = pytest.mark.django_db


def test_holidays_are_mexican_and_named_in_spanish():
    assert calendar.holiday_name(date(2026, 9, 16)) == "Día de la Independencia"
    assert calendar.holiday_name(date(2027, 2, 1)) == "Día de la Constitución"  # first Monday of February
    assert calendar.holiday_name(date(2027, 2, 2)) is None


def test_add_business_days_skips_weekends_and_holidays():
    # Friday 29 Jan 2027 + 1 business day: Mon 1 Feb is Constitution Day, so Tue 2 Feb.
    assert calendar.add_business_days(date(2027, 1, 29), 1) == date(2027, 2, 2)
    assert calendar.add_business_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon
    # Revolution Day 2026 is Monday 16 Nov.
    assert calendar.add_business_days(date(2026, 11, 13), 1) == date(2026, 11, 17)
    assert calendar.add_business_days(date(2026, 11, 17), 0) == date(2026, 11, 17)
    assert calendar.add_business_days(date(2026, 11, 17), -1) == date(2026, 11, 13)


def test_extra_days_by_argument():
    assert calendar.add_business_days(date(2026, 11, 23), 1, extra=[date(2026, 11, 24)]) == date(2026, 11, 25)
    assert not calendar.is_business_day(date(2026, 11, 24), extra=[date(2026, 11, 24)])
    assert calendar.is_business_day(date(2026, 11, 24))


def test_extra_days_by_registered_provider():
    def provider(start, end):
        return [d for d in (date(2026, 12, 24),) if start <= d <= end]

    calendar.register_non_working_days(provider)
    try:
        assert calendar.next_business_day(date(2026, 12, 23)) == date(2026, 12, 28)  # 24 extra, 25 holiday
    finally:
        calendar.unregister_non_working_days(provider)
    assert calendar.next_business_day(date(2026, 12, 23)) == date(2026, 12, 24)


def test_the_commission_table_of_non_working_days_reaches_the_calendar():
    from agreements.models import NonWorkingDay

    assert calendar.add_business_days(date(2026, 12, 7), 1) == date(2026, 12, 8)
    NonWorkingDay.objects.create(date=date(2026, 12, 8), description="Suspensión de labores")
    assert calendar.add_business_days(date(2026, 12, 7), 1) == date(2026, 12, 9)


def test_nth_business_day_counts_the_start_when_it_is_one():
    assert calendar.nth_business_day_from(date(2026, 12, 1), 1) == date(2026, 12, 1)
    assert calendar.nth_business_day_from(date(2027, 2, 1), 1) == date(2027, 2, 2)  # holiday start
    assert calendar.business_days_between(date(2026, 11, 13), date(2026, 11, 20)) == 4
