"""The source documents' remaining details (issue 22), each test naming its clause."""

from datetime import date

import pytest

from agreements import rules, services
from agreements.models import Agreement, TerminationNotice
from agreements.tests.factories import make_agreement, pdf_upload

pytestmark = pytest.mark.django_db


# --- Defaults by kind of agreement ----------------------------------------------------------------


def test_000_vigesima_sexta_coordination_agreement_defaults_to_30_natural_days(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member], commission=commission, actor=commission_admin, kind=Agreement.Kind.COORDINATION
    )
    assert (agreement.notice_days, agreement.notice_day_kind) == (30, Agreement.DayKind.NATURAL)
    notice = services.termination_notice_create(
        agreement=agreement,
        actor=commission_admin,
        kind=TerminationNotice.Kind.EARLY_TERMINATION,
        notifying_party=agreement.parties.get(role="member"),
        notified_on=date(2027, 3, 1),
        reason="Fin anticipado",
        notice_file=pdf_upload(),
    )
    # 30 natural days from Mon 1 Mar 2027, the 15 Mar holiday counts: Wed 31 Mar.
    assert notice.effective_on == date(2027, 3, 31)


def test_004_vigesima_primera_support_agreement_defaults_to_30_business_days(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member], commission=commission, actor=commission_admin, kind=Agreement.Kind.SUPPORT
    )
    assert (agreement.notice_days, agreement.notice_day_kind) == (30, Agreement.DayKind.BUSINESS)
    notice = services.termination_notice_create(
        agreement=agreement,
        actor=commission_admin,
        kind=TerminationNotice.Kind.EARLY_TERMINATION,
        notifying_party=agreement.parties.get(role="member"),
        notified_on=date(2027, 3, 1),
        reason="Fin anticipado",
        notice_file=pdf_upload(),
    )
    # 30 business days from Mon 1 Mar 2027 skip weekends and Mon 15 Mar (Benito Juárez): Tue 13 Apr.
    assert notice.effective_on == date(2027, 4, 13)


def test_the_kind_default_is_overridable_on_the_agreement(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        kind=Agreement.Kind.SUPPORT,
        notice_days=45,
        notice_day_kind=Agreement.DayKind.NATURAL,
    )
    assert (agreement.notice_days, agreement.notice_day_kind) == (45, Agreement.DayKind.NATURAL)
    assert rules.termination_notice_default(Agreement.Kind.SPECIFIC) == (30, "natural")


def test_a_mas_tardar_one_off_deadline_on_a_holiday_stays_put():
    """A one-off obligation due "a más tardar" on 25 Dec 2026 (a holiday) is due that day, not on
    the next business day; a yearly one keeps the business-day rule."""
    assert rules.period_due_date(schedule="once", period_start=date(2026, 12, 25), business_days=None) == date(
        2026, 12, 25
    )
    assert rules.period_due_date(schedule="yearly", period_start=date(2026, 12, 25), business_days=None) == date(
        2026, 12, 28
    )


def test_a_one_off_obligation_past_its_holiday_deadline_is_overdue_the_next_day(agreement, commission_admin):
    obligation = services.obligation_create(
        agreement=agreement,
        actor=commission_admin,
        party=agreement.parties.get(role="member"),
        description="Entregar el informe final a más tardar el 25 de diciembre",
        schedule="once",
        starts_on=date(2026, 12, 1),
        due_on=date(2026, 12, 25),
    )
    period, due = services.obligation_next_due(obligation, today=date(2026, 12, 26))
    assert due == date(2026, 12, 25)
    assert due < date(2026, 12, 26)  # overdue on Saturday 26 Dec, not due on Monday 28


# --- Notices in writing, with their documents ---------------------------------------------------


def test_004_vigesima_primera_a_termination_notice_without_its_signed_copy_is_refused(agreement, commission_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="aviso por escrito firmado"):
        services.termination_notice_create(
            agreement=agreement,
            actor=commission_admin,
            kind=TerminationNotice.Kind.EARLY_TERMINATION,
            notifying_party=agreement.parties.get(role="member"),
            notified_on=date(2027, 3, 1),
            reason="Fin anticipado",
        )
    assert not agreement.termination_notices.exists()


def test_004_vigesima_segunda_a_rescission_keeps_its_signed_notice(agreement, commission_admin):
    notice = services.termination_notice_create(
        agreement=agreement,
        actor=commission_admin,
        kind=TerminationNotice.Kind.RESCISSION,
        notifying_party=agreement.parties.get(role="commission"),
        notified_on=date(2026, 11, 6),
        reason="Uso distinto al convenido",
        notice_file=pdf_upload("rescision.pdf"),
    )
    assert notice.document.kind == "notice"
    assert notice.document.agreement == agreement
    assert notice.answer_due_on == date(2026, 11, 23)


def test_004_vigesima_segunda_unanswered_rescission_alerts_the_commission_once(agreement, commission_admin):
    from kernel.notifications.models import Notification

    notice = services.termination_notice_create(
        agreement=agreement,
        actor=commission_admin,
        kind=TerminationNotice.Kind.RESCISSION,
        notifying_party=agreement.parties.get(role="commission"),
        notified_on=date(2026, 11, 6),
        reason="Uso distinto al convenido",
        notice_file=pdf_upload(),
    )
    # The window closes on 23 Nov 2026: the last day to answer raises nothing.
    assert services.agreements_daily(today=date(2026, 11, 23))["rescission_unanswered"] == 0
    assert services.agreements_daily(today=date(2026, 11, 24))["rescission_unanswered"] == 1
    assert services.agreements_daily(today=date(2026, 11, 25))["rescission_unanswered"] == 0
    alerts = Notification.objects.filter(template="agreement_rescission_unanswered")
    assert {n.recipient for n in alerts} == {commission_admin}
    notice.refresh_from_db()
    assert notice.status == TerminationNotice.Status.PENDING  # the commission makes it final


def test_004_vigesima_an_answered_rescission_raises_no_alert(agreement, commission_admin):
    notice = services.termination_notice_create(
        agreement=agreement,
        actor=commission_admin,
        kind=TerminationNotice.Kind.RESCISSION,
        notifying_party=agreement.parties.get(role="commission"),
        notified_on=date(2026, 11, 6),
        reason="Uso distinto al convenido",
        notice_file=pdf_upload(),
    )
    services.rescission_answer(
        notice=notice, actor=commission_admin, answer="Se subsanó", answered_on=date(2026, 11, 9)
    )
    assert services.agreements_daily(today=date(2026, 11, 24))["rescission_unanswered"] == 0


def test_004_vigesima_a_renewal_without_its_signed_document_is_refused(agreement, commission_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="documento de renovación"):
        services.agreement_renew(
            agreement=agreement, actor=commission_admin, folio="REN-X", signed_on=date(2031, 1, 15)
        )
    assert not Agreement.objects.filter(folio="REN-X").exists()
    renewal = services.agreement_renew(
        agreement=agreement,
        actor=commission_admin,
        folio="REN-X",
        signed_on=date(2031, 1, 15),
        renewal_file=pdf_upload("renovacion.pdf"),
    )
    assert list(renewal.documents.values_list("kind", flat=True)) == ["renewal"]
