"""Date rules of agreements, pure functions over the business calendar (no database writes).

Sources: 000 VIGÉSIMA SEGUNDA–SEXTA, 003 QUINTA and OCTAVA, 004 VIGÉSIMA–VIGÉSIMA SEGUNDA,
001 Cap. III (members and notices), 000 DÉCIMA PRIMERA (supply in the first business days).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from kernel import calendar


def agreement_end_date(*, term_kind, signed_on, term_years=None, term_until=None) -> date | None:
    """Last day of validity; None for an indefinite term or an unsigned agreement of N years."""
    if term_kind in ("until_date", "administration"):
        return term_until
    if term_kind == "years":
        if signed_on is None or not term_years:
            return None
        # N years from signing: the day before the N-th anniversary (29 Feb falls back to 28 Feb).
        return signed_on + relativedelta(years=term_years) - timedelta(days=1)
    return None


def add_days(start: date, n: int, kind: str) -> date:
    """n natural or business days after ``start``."""
    if kind == "business":
        return calendar.add_business_days(start, n)
    return start + timedelta(days=n)


# Early-termination notice by kind of agreement, when the agreement does not say otherwise:
# coordination agreements 30 natural days (000 VIGÉSIMA SEXTA), support and collaboration
# agreements 30 business days (004 VIGÉSIMA PRIMERA); other kinds follow coordination.
TERMINATION_NOTICE_DEFAULTS = {"coordination": (30, "natural"), "support": (30, "business")}


def termination_notice_default(kind: str) -> tuple[int, str]:
    """(days, "natural" | "business") of the early-termination notice for a kind of agreement."""
    return TERMINATION_NOTICE_DEFAULTS.get(kind, TERMINATION_NOTICE_DEFAULTS["coordination"])


def termination_effective_date(*, notified_on: date, notice_days: int, day_kind: str) -> date:
    """Early termination takes effect once the notice period has run from the notice date."""
    return add_days(notified_on, notice_days, day_kind)


def rescission_answer_deadline(*, notified_on: date, answer_days: int) -> date:
    """The other party has N business days (default 10, 004) to answer a rescission notice."""
    return calendar.add_business_days(notified_on, answer_days)


def officer_effective_from(*, notified_on: date, requested: date | None = None) -> date:
    """A designation or substitution takes effect the next calendar day, unless a later date is given."""
    next_day = notified_on + timedelta(days=1)
    if requested is not None and requested > next_day:
        return requested
    return next_day


ADDRESS_CHANGE_DAYS = 15


def address_effective_on(*, notified_on: date) -> date:
    """An address change takes effect 15 natural days after it is notified (000 VIGÉSIMA PRIMERA)."""
    return notified_on + timedelta(days=ADDRESS_CHANGE_DAYS)


def member_exit_date(*, requested_on: date, given: date | None = None) -> date:
    """A member leaves on the date it gives, or else the next business day (001)."""
    if given is not None and given >= requested_on:
        return given
    return calendar.next_business_day(requested_on)


def membership_termination_date(*, notified_on: date, days: int = 5) -> date:
    """The commission ends a membership with 5 calendar days' notice (001)."""
    return notified_on + timedelta(days=days)


NOTICE_LEAD = {"planned": ("business", 15), "unplanned": ("business", 5), "protocol": ("months", 1)}


def notice_earliest_change(*, kind: str, sent_on: date) -> date:
    """The earliest date a change may take place for a notice sent on ``sent_on``."""
    unit, n = NOTICE_LEAD[kind]
    if unit == "months":
        return sent_on + relativedelta(months=n)
    return calendar.add_business_days(sent_on, n)


# --- Obligation schedules --------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _period_starts(schedule: str, starts_on: date, due_on: date | None):
    """Yield the start of each period from the obligation's start, forever (callers stop)."""
    if schedule == "once":
        yield due_on
        return
    if schedule == "yearly":
        anniversary = due_on
        while anniversary < starts_on:
            anniversary += relativedelta(years=1)
        k = 0
        while True:
            yield due_on + relativedelta(years=(anniversary.year - due_on.year) + k)
            k += 1
    if schedule == "monthly":
        period = _month_start(starts_on)
        while True:
            yield period
            period += relativedelta(months=1)
    if schedule == "fortnightly":
        period = starts_on.replace(day=1 if starts_on.day < 16 else 16)
        while True:
            yield period
            period = period.replace(day=16) if period.day == 1 else _month_start(period) + relativedelta(months=1)


def period_due_date(*, schedule: str, period_start: date, business_days: int | None, cal=None) -> date:
    """The due date of one period: the N-th business day of a month or fortnight; a yearly one keeps
    its date, moved to the next business day when it falls on a non-working day. A one-off deadline
    ("a más tardar" a date) is that date even on a non-working day: it never slides.

    ``cal`` is a ``calendar.BusinessCalendar`` already loaded for the range (one query for many
    periods); without it the module functions load what they need."""
    cal = cal or calendar
    if schedule in ("monthly", "fortnightly"):
        return cal.nth_business_day_from(period_start, business_days)
    if schedule == "once":
        return period_start
    return cal.next_business_day(period_start, inclusive=True)


def obligation_periods(*, schedule, starts_on, due_on, business_days, ends_on=None, until: date, cal=None):
    """(period_start, due_date) of each period whose due date is on or before ``until``.

    A period is skipped when its due date is before the obligation starts; ``ends_on`` caps them.
    ``cal`` may be a ``calendar.BusinessCalendar`` loaded once for many obligations; it must span
    from a month before the first period to 400 days after ``until``.
    """
    first = min(starts_on, due_on or starts_on)
    if cal is None:
        cal = calendar_for(first=first, until=until)
    for period in _period_starts(schedule, starts_on, due_on):
        due = period_due_date(schedule=schedule, period_start=period, business_days=business_days, cal=cal)
        if ends_on is not None and period > ends_on:
            return
        if due > until:
            yield period, due
            return
        if due >= starts_on or schedule == "once":
            yield period, due


def calendar_for(*, first: date, until: date):
    """A business calendar wide enough for the periods of obligations starting on ``first``."""
    return calendar.BusinessCalendar(start=first - timedelta(days=31), end=max(until, first) + timedelta(days=400))


def next_due(*, schedule, starts_on, due_on, business_days, ends_on=None, done: set, today: date, cal=None):
    """The earliest period not yet fulfilled: (period_start, due_date), or None when none is left.

    A past due date means the obligation is overdue.
    """
    for period, due in obligation_periods(
        schedule=schedule,
        starts_on=starts_on,
        due_on=due_on,
        business_days=business_days,
        ends_on=ends_on,
        until=today,
        cal=cal,
    ):
        if period not in done:
            return period, due
    return None


def obligation_next_due(obligation, *, done: set, today: date, cal=None):
    """``next_due`` for an ``Obligation`` with the periods ``done`` already delivered."""
    return next_due(
        schedule=obligation.schedule,
        starts_on=obligation.starts_on,
        due_on=obligation.due_on,
        business_days=obligation.business_days,
        ends_on=obligation.ends_on,
        done=done,
        today=today,
        cal=cal,
    )
