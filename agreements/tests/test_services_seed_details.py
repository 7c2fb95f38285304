"""The source documents' remaining details (issue 22), each test naming its clause."""

from datetime import date, timedelta

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


# --- Link officers ----------------------------------------------------------------------------------


def _officer(party, actor, **extra):
    data = {
        "role": "general",
        "full_name": "Ana Enlace",
        "position": "Directora de Tecnología",
        "phone": "8181818181",
        "email": "ana@example.mx",
        "address": "Av. Reforma 1, Monterrey",
        "notified_on": date(2026, 1, 20),
    }
    data.update(extra)
    return services.officer_designate(party=party, actor=actor, **data)


def test_000_decima_sexta_functions_chosen_among_the_seven_plus_free_text(agreement, commission_admin):
    from django.core.exceptions import ValidationError

    party = agreement.parties.get(role="member")
    officer = _officer(
        party,
        commission_admin,
        function_codes=["periodic_reports", "follow_up"],
        functions="Coordinar la mesa de trabajo",
        designation_letter_file=pdf_upload("oficio.pdf"),
    )
    assert officer.function_codes == ["follow_up", "periodic_reports"]  # the sources' order
    assert len(officer.function_labels()) == 2
    assert officer.designation_letter.kind == "designation"
    assert officer.designation_letter.agreement == agreement
    with pytest.raises(ValidationError):
        _officer(party, commission_admin, role="technical", function_codes=["invented"])
    with pytest.raises(ValidationError, match="al menos una función"):
        _officer(party, commission_admin, role="technical")


def test_003_quinta_a_deputy_acts_while_the_officer_is_absent(agreement, commission_admin):
    from django.core.exceptions import ValidationError

    officer = _officer(agreement.parties.get(role="member"), commission_admin, function_codes=["follow_up"])
    deputy = services.officer_deputy_add(
        officer=officer,
        actor=commission_admin,
        full_name="Luis Suplente",
        position="Subdirector de Tecnología",
        acting_from=date(2026, 7, 1),
        acting_until=date(2026, 7, 15),
    )
    assert officer.acting_deputy(on=date(2026, 7, 10)) == deputy
    assert officer.acting_deputy(on=date(2026, 7, 16)) is None
    with pytest.raises(ValidationError, match="dentro del periodo"):
        services.officer_deputy_add(
            officer=officer, actor=commission_admin, full_name="X", position="Y", acting_from=date(2026, 1, 1)
        )


def test_000_decima_sexta_iv_periodic_reports_and_their_overdue_flag(agreement, commission_admin):
    from django.core.exceptions import ValidationError

    officer = _officer(agreement.parties.get(role="member"), commission_admin, function_codes=["periodic_reports"])
    assert officer.report_due_on() is None  # the agreement sets no frequency: never overdue
    assert not officer.report_overdue(today=date(2030, 1, 1))
    agreement.officer_report_months = 3
    agreement.save()
    officer.refresh_from_db()
    assert officer.report_due_on() == date(2026, 4, 21)  # took office 21 Jan 2026
    assert officer.report_overdue(today=date(2026, 4, 22))
    services.officer_report_file(
        officer=officer,
        actor=commission_admin,
        period_start=date(2026, 1, 21),
        period_end=date(2026, 3, 31),
        filed_on=date(2026, 4, 10),
        report_file=pdf_upload("informe.pdf"),
    )
    assert officer.report_due_on() == date(2026, 6, 30)
    assert not officer.report_overdue(today=date(2026, 4, 22))
    with pytest.raises(ValidationError, match="ese periodo"):
        services.officer_report_file(
            officer=officer,
            actor=commission_admin,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 5, 31),
            filed_on=date(2026, 6, 1),
            report_file=pdf_upload(),
        )


# --- Addresses for notices --------------------------------------------------------------------------


def test_000_vigesima_primera_address_change_takes_effect_15_natural_days_later_across_a_month_end(
    agreement, commission_admin
):
    from django.core.exceptions import ValidationError

    party = agreement.parties.get(role="member")
    old = party.notice_address(on=date(2027, 1, 20))
    change = services.party_address_change(
        party=party, actor=commission_admin, address="Calle Nueva 10, Monterrey", notified_on=date(2027, 1, 20)
    )
    assert change.effective_on == date(2027, 2, 4)  # 20 Jan + 15 natural days, across the month end
    assert party.notice_address(on=date(2027, 2, 3)) == old
    assert party.pending_address(on=date(2027, 2, 3)) == change
    assert party.notice_address(on=date(2027, 2, 4)) == "Calle Nueva 10, Monterrey"
    # Refused use: a notice to the new address before its 15 days.
    with pytest.raises(ValidationError, match="surte efectos el 04/02/2027"):
        services.notice_address_check(party=party, address="Calle Nueva 10, Monterrey", on=date(2027, 2, 3))
    services.notice_address_check(party=party, address=old, on=date(2027, 2, 3))
    services.notice_address_check(party=party, address="Calle Nueva 10, Monterrey", on=date(2027, 2, 4))
    assert party.addresses.count() == 1 and party.addresses.first().history.count() == 1


# --- Parties: witnesses and reference agreements ------------------------------------------------


def test_004_a_witness_is_recorded_and_is_not_a_party(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        kind=Agreement.Kind.SUPPORT,
        witnesses=[("Mtro. Juan Testigo", "Coordinador de Procesos", "Registro de Electores")],
    )
    assert [w.full_name for w in agreement.witnesses.all()] == ["Mtro. Juan Testigo"]
    assert agreement.parties.count() == 2


def test_003_reference_agreement_between_two_other_parties_grants_no_access(commission, commission_admin):
    from django.core.exceptions import ValidationError

    from agreements.models import AgreementParty
    from agreements.tests.factories import InstitutionFactory

    state, municipality = InstitutionFactory(), InstitutionFactory()
    reference = services.agreement_create(
        actor=commission_admin,
        folio="REF-1",
        title="Gobierno digital",
        kind=Agreement.Kind.COORDINATION,
        purpose="Referencia",
        term_kind="indefinite",
        signed_on=date(2026, 1, 15),
        is_reference=True,
        parties=[(state, AgreementParty.Role.MEMBER), (municipality, AgreementParty.Role.MEMBER)],
    )
    reference.activate()
    reference.save()
    assert reference.is_in_force and not reference.grants_access
    assert not Agreement.objects.granting_access().filter(pk=reference.pk).exists()
    assert Agreement.objects.visible_to(commission_admin).filter(pk=reference.pk).exists()
    with pytest.raises(ValidationError, match="la Comisión no es parte"):
        services.agreement_create(
            actor=commission_admin,
            folio="REF-2",
            title="x",
            kind=Agreement.Kind.COORDINATION,
            purpose="x",
            term_kind="indefinite",
            is_reference=True,
            parties=[(commission, AgreementParty.Role.COMMISSION), (state, AgreementParty.Role.MEMBER)],
        )


# --- Members' duties after registration ----------------------------------------------------------


def _accepted_membership(member, institution_admin, commission_admin):
    membership = services.membership_request(
        institution=member,
        actor=institution_admin,
        responsible_name="Responsable",
        agreement_proof=pdf_upload("a.pdf"),
        responsible_letter=pdf_upload("b.pdf"),
        security_statement=pdf_upload("c.pdf"),
    )
    return services.membership_accept(membership=membership, actor=commission_admin)


def test_001_cap_iii_1_ii_after_registration_the_member_sends_users_and_commitment_letter_by_a_deadline(
    member, institution_admin, commission_admin
):
    from django.core.exceptions import ValidationError

    membership = _accepted_membership(member, institution_admin, commission_admin)
    assert membership.follow_up_due is not None
    assert not membership.follow_up_overdue(today=membership.follow_up_due)
    assert membership.follow_up_overdue(today=membership.follow_up_due + timedelta(days=1))
    with pytest.raises(ValidationError, match="carta compromiso"):
        services.membership_follow_up_submit(
            membership=membership,
            actor=institution_admin,
            entitled_users_file=pdf_upload(),
            commitment_letter_file=None,
        )
    membership = services.membership_follow_up_submit(
        membership=membership,
        actor=institution_admin,
        entitled_users_file=pdf_upload("usuarios.pdf"),
        commitment_letter_file=pdf_upload("carta.pdf"),
    )
    assert membership.entitled_users_document and membership.commitment_letter
    assert not membership.follow_up_overdue(today=membership.follow_up_due + timedelta(days=30))


def test_001_cap_iii_3_vi_member_notices_reach_the_responsible_person_as_well_as_admins(
    member, institution_admin, commission_admin, analyst
):
    from kernel.notifications.models import Notification

    membership = _accepted_membership(member, institution_admin, commission_admin)
    services.membership_set_responsible(membership=membership, actor=institution_admin, user=analyst)
    notice = services.member_notice_send(
        actor=commission_admin,
        kind="protocol",
        subject="Cambio de protocolo",
        body="x",
        change_on=date.today() + timedelta(days=40),
    )
    told = set(
        Notification.objects.filter(template="agreement_member_notice", related_id=str(notice.pk)).values_list(
            "recipient", flat=True
        )
    )
    assert {analyst.pk, institution_admin.pk} <= told
