"""Every date rule of agreements, on the Mexican business calendar.

Sources: 000 VIGÉSIMA SEGUNDA–SEXTA (terms, 30 natural days' notice), 004 VIGÉSIMA–VIGÉSIMA
SEGUNDA (30 business days' notice, 10 business days to answer a rescission), 003 QUINTA (officer
substitution the next day), 000 DÉCIMA PRIMERA (supply in the first 12 business days), 001 Cap. III.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agreements import rules, services
from agreements.models import Agreement, LinkOfficer, NonWorkingDay, TerminationNotice
from agreements.tests.factories import make_agreement, pdf_upload

pytestmark = pytest.mark.django_db


# --- Term end ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term_kind", "signed_on", "years", "until", "expected"),
    [
        ("years", date(2024, 3, 15), 5, None, date(2029, 3, 14)),
        ("years", date(2024, 2, 29), 1, None, date(2025, 2, 27)),
        ("until_date", date(2024, 3, 15), None, date(2027, 12, 31), date(2027, 12, 31)),
        ("administration", date(2024, 3, 15), None, date(2027, 10, 3), date(2027, 10, 3)),
        ("indefinite", date(2024, 3, 15), None, None, None),
        ("years", None, 5, None, None),
    ],
)
def test_term_end_date(term_kind, signed_on, years, until, expected):
    assert (
        rules.agreement_end_date(term_kind=term_kind, signed_on=signed_on, term_years=years, term_until=until)
        == expected
    )


def test_end_date_is_computed_on_save_and_follows_an_amendment(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member], commission=commission, actor=commission_admin, signed_on=date(2026, 1, 15)
    )
    assert agreement.end_date == date(2031, 1, 14)
    agreement.term_years = 3
    agreement.save(update_fields=["term_years"])
    agreement.refresh_from_db()
    assert agreement.end_date == date(2029, 1, 14)


def test_expiring_soon_is_derived_not_stored(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        term_kind="until_date",
        term_until=date(2027, 3, 1),
    )
    assert agreement.is_expiring_soon(today=date(2026, 12, 1))
    assert not agreement.is_expiring_soon(today=date(2026, 11, 1))
    assert not agreement.is_expiring_soon(today=date(2027, 3, 2))
    assert "expiring" not in {f.name for f in Agreement._meta.get_fields()}


# --- Early termination and rescission ----------------------------------------------------------


def test_termination_in_natural_days_by_default():
    # 30 natural days from 1 Mar 2027: 31 Mar, holidays do not matter.
    assert rules.termination_effective_date(notified_on=date(2027, 3, 1), notice_days=30, day_kind="natural") == date(
        2027, 3, 31
    )


def test_termination_in_business_days_across_a_mexican_holiday():
    # 30 business days from Mon 1 Mar 2027 skip weekends and Mon 15 Mar (Benito Juárez): Tue 13 Apr.
    assert rules.termination_effective_date(notified_on=date(2027, 3, 1), notice_days=30, day_kind="business") == date(
        2027, 4, 13
    )


def test_rescission_answer_deadline_is_ten_business_days_across_a_holiday():
    # From Fri 6 Nov 2026: 9-13 (5), Mon 16 Nov is Revolution Day, 17-20 (4), 23 Nov -> 10th.
    assert rules.rescission_answer_deadline(notified_on=date(2026, 11, 6), answer_days=10) == date(2026, 11, 23)


def test_a_notice_records_the_computed_dates(agreement, commission_admin):
    agreement.notice_day_kind = Agreement.DayKind.BUSINESS
    agreement.save()
    party = agreement.parties.get(role="member")
    notice = services.termination_notice_create(
        agreement=agreement,
        actor=commission_admin,
        kind=TerminationNotice.Kind.EARLY_TERMINATION,
        notifying_party=party,
        notified_on=date(2027, 3, 1),
        reason="Fin anticipado",
        pending_matters="Informe final",
        notice_file=pdf_upload(),
    )
    assert notice.effective_on == date(2027, 4, 13)
    assert notice.answer_due_on is None


def test_commission_non_working_day_moves_a_business_day_deadline():
    NonWorkingDay.objects.create(date=date(2026, 11, 23), description="Día inhábil de la Comisión")
    assert rules.rescission_answer_deadline(notified_on=date(2026, 11, 6), answer_days=10) == date(2026, 11, 24)


# --- Link officers -----------------------------------------------------------------------------


def officer_data(name, notified_on, **extra):
    return {
        "role": "general",
        "full_name": name,
        "position": "Enlace",
        "phone": "81 1111 2222",
        "email": "enlace@prueba.gob.mx",
        "address": "Calle 1",
        "functions": "Seguimiento",
        "notified_on": notified_on,
        **extra,
    }


def test_designation_takes_effect_the_next_calendar_day_even_on_a_holiday(agreement, commission_admin):
    party = agreement.parties.get(role="member")
    officer = services.officer_designate(party=party, actor=commission_admin, **officer_data("Uno", date(2026, 11, 15)))
    assert officer.effective_from == date(2026, 11, 16)  # calendar day, though it is Revolution Day


def test_substitution_next_day_closes_the_previous_officer(agreement, commission_admin):
    party = agreement.parties.get(role="member")
    first = services.officer_designate(party=party, actor=commission_admin, **officer_data("Uno", date(2026, 1, 10)))
    second = services.officer_designate(party=party, actor=commission_admin, **officer_data("Dos", date(2026, 11, 20)))
    first.refresh_from_db()
    assert second.effective_from == date(2026, 11, 21)
    assert first.effective_until == date(2026, 11, 20)
    assert second.replaces == first
    assert list(party.current_officers(on=date(2026, 11, 20))) == [first]
    assert list(party.current_officers(on=date(2026, 11, 21))) == [second]
    assert LinkOfficer.objects.filter(party=party).count() == 2  # history kept
    assert first.history.count() == 2


def test_substitution_with_a_later_date_given(agreement, commission_admin):
    party = agreement.parties.get(role="member")
    services.officer_designate(party=party, actor=commission_admin, **officer_data("Uno", date(2026, 1, 10)))
    later = services.officer_designate(
        party=party, actor=commission_admin, **officer_data("Dos", date(2026, 11, 20), effective_from=date(2026, 12, 1))
    )
    assert later.effective_from == date(2026, 12, 1)
    # An earlier date than the next day is not honoured: the rule is the next day at the soonest.
    assert rules.officer_effective_from(notified_on=date(2026, 11, 20), requested=date(2026, 11, 20)) == date(
        2026, 11, 21
    )


def test_designation_overdue_flag(agreement):
    party = agreement.parties.get(role="member")
    party.officer_designation_due = date(2026, 11, 1)
    party.save()
    assert party.designation_overdue(today=date(2026, 11, 2))
    assert not party.designation_overdue(today=date(2026, 11, 1))


# --- Obligations -------------------------------------------------------------------------------


def test_monthly_due_date_skips_a_holiday_at_the_start_of_the_month():
    # February 2027 starts on Constitution Day (Mon 1): the 5th business day is Mon 8 Feb.
    assert rules.period_due_date(schedule="monthly", period_start=date(2027, 2, 1), business_days=5) == date(2027, 2, 8)


def test_monthly_first_twelve_business_days_over_independence_day():
    # September 2026: 16 Sep is a holiday, so the 12th business day is Thu 17 Sep.
    assert rules.period_due_date(schedule="monthly", period_start=date(2026, 9, 1), business_days=12) == date(
        2026, 9, 17
    )


def test_monthly_periods_cross_the_year_end():
    periods = list(
        rules.obligation_periods(
            schedule="monthly", starts_on=date(2026, 11, 1), due_on=None, business_days=3, until=date(2027, 1, 31)
        )
    )
    # Nov 2026: 2,3,4 -> 4 Nov. Dec: 1,2,3. Jan 2027: 1 Jan holiday, Fri 1?  -> 4,5,6 Jan (Mon-Wed).
    assert periods[:3] == [
        (date(2026, 11, 1), date(2026, 11, 4)),
        (date(2026, 12, 1), date(2026, 12, 3)),
        (date(2027, 1, 1), date(2027, 1, 6)),
    ]


def test_fortnightly_periods_start_on_the_1st_and_16th():
    periods = list(
        rules.obligation_periods(
            schedule="fortnightly", starts_on=date(2026, 9, 1), due_on=None, business_days=3, until=date(2026, 10, 1)
        )
    )
    assert periods[0] == (date(2026, 9, 1), date(2026, 9, 3))
    assert periods[1] == (date(2026, 9, 16), date(2026, 9, 21))  # 16 Sep holiday: 17, 18, 21


def test_yearly_obligations_move_off_non_working_days():
    assert rules.period_due_date(schedule="yearly", period_start=date(2027, 3, 21), business_days=None) == date(
        2027, 3, 22
    )


def test_next_due_is_the_first_unfulfilled_period_and_may_be_overdue(agreement, commission_admin):
    party = agreement.parties.get(role="member")
    obligation = services.obligation_create(
        agreement=agreement,
        actor=commission_admin,
        party=party,
        description="Entregar padrón",
        schedule="monthly",
        business_days=12,
        starts_on=date(2026, 9, 1),
    )
    today = date(2026, 11, 23)
    assert services.obligation_next_due(obligation, today=today) == (date(2026, 9, 1), date(2026, 9, 17))
    services.compliance_record(
        obligation=obligation,
        actor=commission_admin,
        period_start=date(2026, 9, 1),
        delivered_on=date(2026, 9, 18),
        delivered_by="Enlace",
        supply_ok=True,
        quality_ok=False,
    )
    record = obligation.records.get()
    assert record.due_on == date(2026, 9, 17) and record.timeliness_ok is False  # a day late
    nxt = services.obligation_next_due(obligation, today=today)
    assert nxt[0] == date(2026, 10, 1) and nxt[1] < today  # overdue


# --- Members and notices -----------------------------------------------------------------------


def test_member_exit_next_business_day_or_the_date_given():
    assert rules.member_exit_date(requested_on=date(2026, 11, 13)) == date(2026, 11, 17)  # Fri, then Mon holiday
    assert rules.member_exit_date(requested_on=date(2026, 11, 13), given=date(2026, 12, 31)) == date(2026, 12, 31)


def test_commission_termination_five_calendar_days():
    assert rules.membership_termination_date(notified_on=date(2026, 12, 22)) == date(2026, 12, 27)


@pytest.mark.parametrize(
    ("kind", "sent_on", "earliest"),
    [
        ("planned", date(2026, 11, 9), date(2026, 12, 1)),  # 15 business days, 16 Nov holiday
        ("unplanned", date(2026, 11, 13), date(2026, 11, 23)),  # 5 business days, 16 Nov holiday
        ("protocol", date(2026, 1, 31), date(2026, 2, 28)),  # one month
    ],
)
def test_notice_lead_times(kind, sent_on, earliest):
    assert rules.notice_earliest_change(kind=kind, sent_on=sent_on) == earliest


def test_a_notice_with_too_short_a_lead_is_refused(commission_admin):
    with pytest.raises(ValidationError, match="no puede ocurrir antes del 01/12/2026"):
        services.member_notice_send(
            actor=commission_admin,
            kind="planned",
            subject="Mantenimiento",
            body="Ventana",
            sent_on=date(2026, 11, 9),
            change_on=date(2026, 11, 30),
        )
    notice = services.member_notice_send(
        actor=commission_admin,
        kind="planned",
        subject="M",
        body="V",
        sent_on=date(2026, 11, 9),
        change_on=date(2026, 12, 1),
    )
    assert notice.pk
