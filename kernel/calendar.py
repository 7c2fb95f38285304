"""Business-day calendar (kernel): Mexican federal holidays plus extra non-working days.

Holidays come from the ``holidays`` package (country MX, Spanish names). Extra non-working days
(the commission's own table) reach the calendar through a registry of providers, so the kernel
imports no app: ``agreements`` registers its ``NonWorkingDay`` table at start-up, and any call may
also pass ``extra=`` dates of its own.

    add_business_days(date(2027, 1, 29), 1)  # -> 2027-02-02 (1 Feb 2027 is Constitution Day)
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# Dates a person may type into any form: wide enough for every agreement and log search, narrow
# enough that the day after, a term of years or a deadline in business days is still a date
# Python can hold (9999-12-31 is its last: "until 9999-12-31" was a server error).
FIRST_TYPED_DATE, LAST_TYPED_DATE = date(1900, 1, 1), date(2200, 12, 31)
MAX_TERM_YEARS = 100


def typed_date_validators() -> list:
    message = _("Escriba una fecha entre 1900 y 2200.")
    return [
        MinValueValidator(FIRST_TYPED_DATE, message=message),
        MaxValueValidator(LAST_TYPED_DATE, message=message),
    ]


# Each provider takes (start, end) and returns the extra non-working dates in that range.
_providers: list[Callable[[date, date], Iterable[date]]] = []


def register_non_working_days(provider: Callable[[date, date], Iterable[date]]) -> None:
    """Add a source of extra non-working days (called once per app at start-up)."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_non_working_days(provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


@lru_cache(maxsize=64)
def _mexican_holidays(year: int) -> dict:
    return dict(holidays.country_holidays("MX", language="es", years=year))


def holiday_name(day: date) -> str | None:
    """The federal holiday's Spanish name, or None."""
    return _mexican_holidays(day.year).get(day)


class BusinessCalendar:
    """A calendar over a date range with the providers' extra days loaded once."""

    def __init__(self, *, extra: Iterable[date] = (), start: date | None = None, end: date | None = None):
        self.extra = set(extra)
        if _providers and start is not None and end is not None:
            for provider in _providers:
                self.extra.update(provider(start, end))

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.extra and holiday_name(day) is None

    def add_business_days(self, start: date, n: int) -> date:
        """The date n business days after ``start`` (start itself not counted); n may be 0 or negative."""
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += timedelta(days=step)
            if self.is_business_day(day):
                left -= 1
        return day

    def next_business_day(self, day: date, *, inclusive: bool = False) -> date:
        if inclusive and self.is_business_day(day):
            return day
        return self.add_business_days(day, 1)

    def nth_business_day_from(self, start: date, n: int) -> date:
        """The n-th business day counting ``start`` itself when it is one (n >= 1)."""
        day = start if self.is_business_day(start) else self.add_business_days(start, 1)
        return self.add_business_days(day, n - 1) if n > 1 else day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count


def _calendar(start: date, span_days: int, extra) -> BusinessCalendar:
    lo, hi = sorted((start - timedelta(days=abs(span_days) + 31), start + timedelta(days=abs(span_days) + 31)))
    return BusinessCalendar(extra=extra or (), start=lo, end=hi)


def is_business_day(day: date, *, extra: Iterable[date] = ()) -> bool:
    return _calendar(day, 0, extra).is_business_day(day)


def add_business_days(start: date, n: int, *, extra: Iterable[date] = ()) -> date:
    # Range wide enough for weekends and holidays: 2n natural days plus a margin.
    return _calendar(start, 2 * n + 14, extra).add_business_days(start, n)


def next_business_day(day: date, *, inclusive: bool = False, extra: Iterable[date] = ()) -> date:
    return _calendar(day, 14, extra).next_business_day(day, inclusive=inclusive)


def nth_business_day_from(start: date, n: int, *, extra: Iterable[date] = ()) -> date:
    return _calendar(start, 2 * n + 14, extra).nth_business_day_from(start, n)


def business_days_between(start: date, end: date, *, extra: Iterable[date] = ()) -> int:
    lo, hi = sorted((start, end))
    cal = BusinessCalendar(extra=extra or (), start=lo, end=hi)
    return cal.business_days_between(start, end)
