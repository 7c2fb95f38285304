"""Accounts follow their institution's basis of access (issue 15; 000 OCTAVA-DÉCIMA; 001 Cap. III).

Every way a basis ends, the renewal and the amendment that keep it, the reinstatement after a new
agreement, and the commission's immediate suspension of a member and its lifting.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services_basis as basis
from accounts.models import AccountRequest, User
from accounts.services_onboarding import account_request_create
from accounts.sessions import session_register
from accounts.tests.factories import PASSWORD, UserFactory, profile, valid_curp
from accounts.tests.lockout_helpers import attempt
from agreements import services as agreement_services
from agreements.models import Agreement, InstitutionSuspension, Membership, TerminationNotice
from agreements.standing import Standing, institution_standing
from agreements.tests.factories import make_agreement, pdf_upload
from kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def ends_yesterday(member, commission):
    """An agreement still marked in force whose last day was yesterday (the daily job has not run)."""
    return make_agreement(
        members=[member], commission=commission, term_kind="until_date", term_until=TODAY - timedelta(days=1)
    )


@pytest.fixture
def in_force(member, commission):
    return make_agreement(
        members=[member], commission=commission, term_kind="until_date", term_until=TODAY + timedelta(days=200)
    )


def _people(member):
    admin = UserFactory(institution=member, profile=profile("institution_admin"), username="admin.inst")
    analyst = UserFactory(institution=member, username="analista.inst")
    return admin, analyst


def _open_request(member, admin):
    return account_request_create(
        institution=member,
        actor=admin,
        data={"curp": valid_curp(9001), "given_names": "Ana", "paternal_surname": "Gómez"},
    )


def _request_membership(member, actor):
    return agreement_services.membership_request(
        institution=member,
        actor=actor,
        responsible_name="Responsable",
        agreement_proof=pdf_upload("a.pdf"),
        responsible_letter=pdf_upload("b.pdf"),
        security_statement=pdf_upload("c.pdf"),
    )


def _status(user):
    user.refresh_from_db()
    return user.status, user.suspended_for


# --- Every way a basis ends -------------------------------------------------------------------


def test_expiry_refuses_sign_in_before_the_daily_job_then_the_job_suspends(client, member, in_force, commission_admin):
    admin, analyst = _people(member)
    request = _open_request(member, admin)
    session_register(user=analyst, session_key="sesion-analista")
    # The agreement's last day was yesterday; the daily job has not moved its status yet.
    Agreement.objects.filter(pk=in_force.pk).update(term_until=TODAY - timedelta(days=1))
    in_force.refresh_from_db()
    in_force.save()  # recomputes end_date
    standing = institution_standing(institution=member)
    assert not standing.ok and standing.code == Standing.NO_AGREEMENT

    response = attempt(client, "analista.inst", PASSWORD)
    assert response.status_code == 200
    assert "sin convenio vigente" in response.content.decode()
    assert "_auth_user_id" not in client.session

    result = basis.accounts_basis_enforce()
    assert result == {"institutions": 1, "suspended": 2, "requests_closed": 1}
    assert _status(analyst) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)
    assert _status(admin) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)
    assert analyst.history.first().history_change_reason == "sin convenio vigente"
    assert not analyst.tracked_sessions.exists()
    request.refresh_from_db()
    assert request.status == AccountRequest.Status.REJECTED and request.decision_reason == "sin convenio vigente"
    told = set(Notification.objects.filter(template="institution_basis_ended").values_list("recipient", flat=True))
    assert {admin.pk, commission_admin.pk} <= told
    # The second run finds nothing to do and tells nobody again.
    assert basis.accounts_basis_enforce() == {"institutions": 0, "suspended": 0, "requests_closed": 0}
    # The account, right password or not, reads why.
    assert "sin convenio vigente" in attempt(client, "analista.inst", PASSWORD).content.decode()


def test_no_new_account_requests_without_a_basis(member, ends_yesterday):
    admin = UserFactory(institution=member, profile=profile("institution_admin"))
    with pytest.raises(ValidationError, match="no puede solicitar cuentas"):
        _open_request(member, admin)


def test_early_termination_ends_the_basis_on_its_effective_date(member, in_force, commission_admin):
    _, analyst = _people(member)
    party = in_force.parties.get(institution=member)
    notice = agreement_services.termination_notice_create(
        agreement=in_force,
        actor=commission_admin,
        kind=TerminationNotice.Kind.EARLY_TERMINATION,
        notifying_party=party,
        notified_on=TODAY - timedelta(days=10),
        reason="Ya no se requiere",
        notice_file=pdf_upload(),
    )
    effective = notice.effective_on
    before = institution_standing(institution=member, today=effective - timedelta(days=1))
    assert before.ok and before.ends_on == effective and before.at_risk(effective - timedelta(days=1))
    assert not institution_standing(institution=member, today=effective).ok  # before any job
    assert basis.accounts_basis_enforce(today=effective - timedelta(days=1))["suspended"] == 0
    assert basis.accounts_basis_enforce(today=effective)["suspended"] == 2  # the analyst and the admin
    assert _status(analyst) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)


def test_rescission_ends_the_basis_when_it_becomes_final(member, in_force, commission_admin):
    _, analyst = _people(member)
    notice = agreement_services.termination_notice_create(
        agreement=in_force,
        actor=commission_admin,
        kind=TerminationNotice.Kind.RESCISSION,
        notifying_party=in_force.parties.get(institution__kind="commission"),
        notified_on=TODAY - timedelta(days=30),
        reason="Incumplimiento",
        notice_file=pdf_upload(),
    )
    assert institution_standing(institution=member).ok  # still pending: the other party may answer
    agreement_services.termination_finalize(notice=notice, actor=commission_admin)
    assert institution_standing(institution=member).code == Standing.NO_AGREEMENT
    basis.accounts_basis_enforce()
    assert _status(analyst) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)


def test_member_exit_ends_the_basis_on_its_date(member, in_force, commission_admin):
    admin, analyst = _people(member)
    membership = _request_membership(member, admin)
    agreement_services.membership_accept(membership=membership, actor=commission_admin)
    agreement_services.membership_exit(
        membership=membership, actor=admin, requested_on=TODAY, ends_on=TODAY + timedelta(days=3)
    )
    standing = institution_standing(institution=member)
    assert standing.ok and standing.ends_on == TODAY + timedelta(days=3)
    ended = institution_standing(institution=member, today=TODAY + timedelta(days=3))
    assert ended.code == Standing.MEMBERSHIP_ENDED  # the agreement alone is not enough
    basis.accounts_basis_enforce(today=TODAY + timedelta(days=3))
    assert _status(analyst) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)


def test_member_termination_by_the_commission_ends_the_basis(member, in_force, commission_admin):
    admin, analyst = _people(member)
    membership = _request_membership(member, admin)
    agreement_services.membership_accept(membership=membership, actor=commission_admin)
    agreement_services.membership_terminate(membership=membership, actor=commission_admin, reason="Incumplimiento")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.TERMINATING
    assert institution_standing(institution=member).at_risk(TODAY)
    agreement_services.memberships_close_due(today=membership.ends_on)
    basis.accounts_basis_enforce(today=membership.ends_on)
    assert _status(analyst) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)
    # The agreement signed before the termination does not restore it; a new agreement does.
    assert not institution_standing(institution=member, today=membership.ends_on).ok
    commission = commission_admin.institution
    make_agreement(members=[member], commission=commission, folio="NUEVO-2", signed_on=membership.ends_on)
    assert institution_standing(institution=member, today=membership.ends_on).ok


def test_a_renewal_in_force_keeps_access_uninterrupted(member, commission, commission_admin):
    ending = make_agreement(
        members=[member], commission=commission, term_kind="until_date", term_until=TODAY + timedelta(days=2)
    )
    _, analyst = _people(member)
    renewal = agreement_services.agreement_renew(
        agreement=ending,
        actor=commission_admin,
        folio="REN-1",
        signed_on=TODAY,
        term_kind=Agreement.TermKind.UNTIL_DATE,
        term_until=TODAY + timedelta(days=400),
        renewal_file=pdf_upload(),
    )
    agreement_services.agreement_activate(agreement=renewal, actor=commission_admin)
    after = TODAY + timedelta(days=3)
    agreement_services.agreements_expire_due(today=after)
    ending.refresh_from_db()
    assert ending.status == Agreement.Status.EXPIRED
    assert institution_standing(institution=member, today=after).ok
    assert basis.accounts_basis_enforce(today=after)["suspended"] == 0
    assert _status(analyst) == (User.Status.ACTIVE, "")


def test_an_amendment_that_extends_the_end_date_suspends_nobody(member, commission, commission_admin):
    agreement = make_agreement(
        members=[member], commission=commission, term_kind="until_date", term_until=TODAY + timedelta(days=2)
    )
    _, analyst = _people(member)
    assert institution_standing(institution=member).at_risk(TODAY)
    document = agreement_services.document_upload(
        agreement=agreement,
        actor=commission_admin,
        institution=commission,
        kind="amendment",
        title="Adenda",
        file=pdf_upload(),
    )
    agreement_services.amendment_register(
        agreement=agreement,
        actor=commission_admin,
        signed_on=TODAY,
        summary="Amplía la vigencia",
        document=document,
        new_terms={"term_until": TODAY + timedelta(days=365)},
    )
    later = TODAY + timedelta(days=10)
    standing = institution_standing(institution=member, today=later)
    assert standing.ok and not standing.at_risk(later)
    assert basis.accounts_basis_enforce(today=later)["suspended"] == 0
    assert _status(analyst) == (User.Status.ACTIVE, "")


# --- Reinstatement ----------------------------------------------------------------------------


def test_reinstatement_after_a_new_agreement_brings_back_only_those_suspended_for_it(
    member, commission, ends_yesterday, commission_admin
):
    admin, analyst = _people(member)
    locked_out = UserFactory(institution=member, username="bloqueada")
    locked_out.suspend()  # suspended by the lockout before the basis ended
    locked_out.save()
    basis.accounts_basis_enforce()
    assert _status(locked_out) == (User.Status.SUSPENDED, "")
    candidates = list(basis.reinstatement_candidates(institution=member))
    assert candidates == [analyst, admin] or set(candidates) == {analyst, admin}

    with pytest.raises(ValidationError, match="No se pueden reinstalar"):
        basis.accounts_reinstate(institution=member, actor=commission_admin, user_ids=[analyst.pk])
    make_agreement(members=[member], commission=commission, folio="NUEVO-1")  # a new agreement in force
    with pytest.raises(PermissionDenied):
        basis.accounts_reinstate(institution=member, actor=admin, user_ids=[analyst.pk])
    restored = basis.accounts_reinstate(
        institution=member, actor=commission_admin, user_ids=[analyst.pk, admin.pk, locked_out.pk]
    )
    assert {u.pk for u in restored} == {analyst.pk, admin.pk}
    assert _status(analyst) == (User.Status.PENDING_LETTER, "")  # it never accepted its letter
    assert _status(locked_out) == (User.Status.SUSPENDED, "")  # only the commission's request process lifts it
    assert analyst.history.first().history_user == commission_admin


# --- Immediate suspension of a member (001, Cap. III.4 III) -----------------------------------


def test_immediate_suspension_blocks_every_account_at_once_and_lifting_restores_exactly_those(
    client, member, in_force, commission_admin
):
    admin, analyst = _people(member)
    locked_out = UserFactory(institution=member, username="bloqueada")
    locked_out.suspend()
    locked_out.save()
    session_register(user=analyst, session_key="sesion-analista")
    with pytest.raises(PermissionDenied):
        basis.member_suspend(
            institution=member, actor=admin, reason=InstitutionSuspension.Reason.RULES_BREACHED, text="x"
        )
    with pytest.raises(ValidationError):
        basis.member_suspend(institution=member, actor=commission_admin, reason="otra", text="x")
    suspension, effect = basis.member_suspend(
        institution=member,
        actor=commission_admin,
        reason=InstitutionSuspension.Reason.WRONG_INFORMATION,
        text="Envió datos incompletos en la carga de octubre.",
    )
    assert {u.pk for u in effect.suspended} == {admin.pk, analyst.pk}
    assert _status(analyst) == (User.Status.SUSPENDED, User.SuspendedFor.MEMBER_SUSPENDED)
    assert not analyst.tracked_sessions.exists()
    assert institution_standing(institution=member).code == Standing.SUSPENDED
    page = attempt(client, "analista.inst", PASSWORD).content.decode()
    assert "la Comisión suspendió a su institución" in page
    with pytest.raises(ValidationError, match="ya está suspendida"):
        basis.member_suspend(
            institution=member, actor=commission_admin, reason=InstitutionSuspension.Reason.RULES_BREACHED, text="x"
        )

    with pytest.raises(ValidationError):
        basis.member_suspension_lift(suspension=suspension, actor=commission_admin, note="")
    result = basis.member_suspension_lift(suspension=suspension, actor=commission_admin, note="Corrigió la carga.")
    assert {u.pk for u in result["restored"]} == {admin.pk, analyst.pk}
    assert _status(analyst) == (User.Status.PENDING_LETTER, "")
    assert _status(locked_out) == (User.Status.SUSPENDED, "")
    suspension.refresh_from_db()
    assert suspension.status == InstitutionSuspension.Status.LIFTED and suspension.lifted_by == commission_admin


def test_lifting_after_the_agreement_ended_leaves_them_suspended_without_basis(member, in_force, commission_admin):
    admin, analyst = _people(member)
    suspension, _effect = basis.member_suspend(
        institution=member, actor=commission_admin, reason=InstitutionSuspension.Reason.PLATFORM_AT_RISK, text="x"
    )
    in_force.status = Agreement.Status.EXPIRED
    in_force.save()
    result = basis.member_suspension_lift(suspension=suspension, actor=commission_admin, note="Resuelto")
    assert result["restored"] == []
    assert _status(analyst) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)
    assert set(basis.reinstatement_candidates(institution=member)) == {admin, analyst}
