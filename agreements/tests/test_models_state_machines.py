"""The agreements' state machines, declared once on the models (django-fsm-2): each state allows
exactly the transitions of the table, an illegal transition raises, and the predicates the detail
pages ask say what the services then do."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed

from agreements import services
from agreements.models import Agreement, Membership, Signatory, TerminationNotice
from agreements.tests.factories import make_agreement
from agreements.tests.test_services_transitions import _notice, _request, _submit

pytestmark = pytest.mark.django_db


def allowed(obj):
    return {t.name for t in obj.get_available_status_transitions()}


# --- Agreements --------------------------------------------------------------------------------

A = Agreement.Status
AGREEMENT_TABLE = {
    A.DRAFT: {"activate"},
    A.IN_FORCE: {"expire", "terminate", "rescind"},
    A.EXPIRED: set(),
    A.TERMINATED: set(),
    A.RESCINDED: set(),
}


@pytest.mark.parametrize("state", list(AGREEMENT_TABLE))
def test_agreement_transitions_per_state(state):
    agreement = Agreement(status=state, signed_on=date(2026, 1, 5))
    assert allowed(agreement) == AGREEMENT_TABLE[state]
    assert agreement.is_draft == (state == A.DRAFT)
    assert agreement.is_in_force == (state == A.IN_FORCE)


def test_agreement_illegal_transitions_raise():
    with pytest.raises(TransitionNotAllowed):
        Agreement(status=A.EXPIRED).terminate()
    # The guard: an unsigned draft cannot come into force.
    unsigned = Agreement(status=A.DRAFT, signed_on=None)
    assert unsigned.is_draft and not allowed(unsigned)
    with pytest.raises(TransitionNotAllowed):
        unsigned.activate()


def test_amendment_and_notice_follow_is_in_force(commission, member, commission_admin):
    expired = make_agreement(members=[member], commission=commission, actor=commission_admin)
    expired.expire()
    expired.save()
    assert not expired.is_in_force
    with pytest.raises(ValidationError, match="vigente"):
        services.amendment_register(
            agreement=expired,
            actor=commission_admin,
            signed_on=date(2026, 3, 1),
            summary="x",
            document=None,
            new_terms={"title": "Otro"},
        )
    with pytest.raises(ValidationError, match="vigente"):
        _notice(expired, commission_admin, TerminationNotice.Kind.EARLY_TERMINATION, date(2026, 3, 1))
    assert expired.history.first().status == A.EXPIRED


# --- Termination notices -----------------------------------------------------------------------

N = TerminationNotice.Status
K = TerminationNotice.Kind


@pytest.mark.parametrize(
    ("kind", "state", "expected"),
    [
        (K.RESCISSION, N.PENDING, {"answer_received", "finalize", "withdraw"}),
        (K.EARLY_TERMINATION, N.PENDING, {"finalize", "withdraw"}),
        (K.RESCISSION, N.ANSWERED, {"finalize", "withdraw"}),
        (K.RESCISSION, N.FINAL, set()),
        (K.EARLY_TERMINATION, N.WITHDRAWN, set()),
    ],
)
def test_notice_transitions_per_state(kind, state, expected):
    notice = TerminationNotice(kind=kind, status=state)
    assert allowed(notice) == expected
    assert notice.is_open == ("withdraw" in expected)
    assert notice.awaits_answer == ("answer_received" in expected)


def test_notice_services_follow_the_predicates(agreement, commission_admin):
    notice = _notice(agreement, commission_admin, K.EARLY_TERMINATION, date(2026, 11, 2))
    assert not notice.awaits_answer
    with pytest.raises(TransitionNotAllowed):
        notice.answer_received(answer="No", answered_on=date(2026, 11, 3))
    with pytest.raises(ValidationError, match="rescisión"):
        services.rescission_answer(notice=notice, actor=commission_admin, answer="No", answered_on=date(2026, 11, 3))
    services.termination_withdraw(notice=notice, actor=commission_admin)
    notice.refresh_from_db()
    assert not notice.is_open
    with pytest.raises(ValidationError, match="ya no está en trámite"):
        services.termination_withdraw(notice=notice, actor=commission_admin)
    assert list(notice.history.order_by("history_id").values_list("status", flat=True)) == [N.PENDING, N.WITHDRAWN]


# --- Signatories -------------------------------------------------------------------------------

S = Signatory.Status
SIGNATORY_TABLE = {
    S.SUBMITTED: {"register", "reject"},
    S.REGISTERED: {"revoke"},
    S.REJECTED: set(),
    S.REVOKED: set(),
}


@pytest.mark.parametrize("state", list(SIGNATORY_TABLE))
def test_signatory_transitions_per_state(state):
    signatory = Signatory(status=state)
    assert allowed(signatory) == SIGNATORY_TABLE[state]
    assert signatory.awaits_decision == ("register" in SIGNATORY_TABLE[state])
    assert signatory.can_revoke == ("revoke" in SIGNATORY_TABLE[state])
    with pytest.raises(TransitionNotAllowed):
        Signatory(status=S.REVOKED).register(by=None)


def test_signatory_services_follow_the_predicates(member, institution_admin, commission_admin):
    signatory = _submit(member, institution_admin)
    assert not signatory.can_revoke
    with pytest.raises(ValidationError):
        services.signatory_revoke(signatory=signatory, actor=commission_admin, note="x")
    registered = services.signatory_register(signatory=signatory, actor=commission_admin)
    assert registered.can_revoke and not registered.awaits_decision
    assert registered.history.filter(status=S.REGISTERED, history_user=commission_admin).exists()


# --- Memberships -------------------------------------------------------------------------------

M = Membership.Status
MEMBERSHIP_TABLE = {
    M.REQUESTED: {"accept", "deny"},
    M.ACCEPTED: {"leave", "terminate"},
    M.DENIED: set(),
    M.LEAVING: {"close"},
    M.TERMINATING: {"close"},
    M.ENDED: set(),
}


@pytest.mark.parametrize("state", list(MEMBERSHIP_TABLE))
def test_membership_transitions_per_state(state):
    membership = Membership(status=state)
    assert allowed(membership) == MEMBERSHIP_TABLE[state]
    assert membership.awaits_decision == ("accept" in MEMBERSHIP_TABLE[state])
    assert membership.can_leave == membership.can_terminate == ("leave" in MEMBERSHIP_TABLE[state])
    with pytest.raises(TransitionNotAllowed):
        Membership(status=M.ENDED).close()


def test_membership_services_follow_the_predicates(member, institution_admin, commission_admin):
    membership = _request(member, institution_admin)
    assert membership.awaits_decision and not membership.can_terminate
    with pytest.raises(ValidationError, match="aceptada"):
        services.membership_terminate(membership=membership, actor=commission_admin, reason="Incumplimiento")
    accepted = services.membership_accept(membership=membership, actor=commission_admin)
    assert accepted.can_terminate and not accepted.awaits_decision
    with pytest.raises(ValidationError, match="pendiente"):
        services.membership_accept(membership=accepted, actor=commission_admin)
    assert accepted.history.filter(status=M.ACCEPTED, history_user=commission_admin).exists()


def test_a_notice_on_an_agreement_no_longer_in_force_can_only_be_withdrawn(commission, member, commission_admin):
    agreement = make_agreement(
        members=[member],
        commission=commission,
        actor=commission_admin,
        term_kind="until_date",
        term_until=date(2026, 11, 20),
    )
    notice = _notice(agreement, commission_admin, K.EARLY_TERMINATION, date(2026, 11, 2))
    assert services.agreements_expire_due(today=date(2026, 12, 5)) == 1
    assert services.terminations_apply_due(today=date(2026, 12, 5)) == 0
    with pytest.raises(ValidationError, match="solo puede retirarse"):
        services.termination_finalize(notice=notice, actor=commission_admin, today=date(2026, 12, 5))
    agreement.refresh_from_db()
    assert agreement.status == A.EXPIRED
    services.termination_withdraw(notice=notice, actor=commission_admin)
