"""The accounts' state machines, declared once on the models (django-fsm-2): each state allows
exactly the transitions of the table, an illegal transition raises, the ``can_*`` predicates say
what the services then do, and every transition a service performs is kept in the history log."""

import pytest
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed

from accounts import services_changes as changes
from accounts import services_letters as letters
from accounts import services_onboarding as onboarding
from accounts.models import AccountChangeRequest, AccountRequest, ConfidentialityLetter, User
from accounts.tests.factories import UserFactory, approve_change, pdf_upload, profile, request_change
from accounts.tests.test_services_account_requests import request_data, upload_all

pytestmark = pytest.mark.django_db


def allowed(obj, field="status"):
    return {t.name for t in getattr(obj, f"get_available_{field}_transitions")()}


# --- Account requests ---------------------------------------------------------------------------

R = AccountRequest.Status
REQUEST_TABLE = {
    # close_without_basis: the system closes every open request when the institution loses its
    # basis of access (issue 15).
    R.DRAFT: {"submit", "withdraw", "close_without_basis"},
    R.SUBMITTED: {"approve", "reject", "return_for_correction", "close_without_basis"},
    R.RETURNED: {"submit", "withdraw", "close_without_basis"},
    R.APPROVED: set(),
    R.REJECTED: set(),
    R.WITHDRAWN: set(),
}


@pytest.mark.parametrize("state", list(REQUEST_TABLE))
def test_account_request_transitions_per_state(state):
    req = AccountRequest(status=state)
    assert allowed(req) == REQUEST_TABLE[state]
    assert req.can_submit == req.can_withdraw == ("submit" in REQUEST_TABLE[state])
    assert req.awaits_decision == ("approve" in REQUEST_TABLE[state])


def test_account_request_illegal_transition_raises():
    with pytest.raises(TransitionNotAllowed):
        AccountRequest(status=R.APPROVED).withdraw()
    with pytest.raises(TransitionNotAllowed):
        AccountRequest(status=R.DRAFT).approve(by=None, reason="", account=None)


@pytest.fixture
def draft(inst_admin, agreement, signatory):
    return onboarding.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory)
    )


def test_withdraw_service_follows_the_predicate_and_is_kept_in_history(draft, inst_admin, reviewer):
    upload_all(draft, inst_admin)
    submitted = onboarding.account_request_submit(request=draft, actor=inst_admin)
    assert not submitted.can_withdraw
    with pytest.raises(ValidationError) as refused:
        onboarding.account_request_withdraw(request=submitted, actor=inst_admin)
    assert refused.value.code == "wrong_state"

    returned = onboarding.account_request_return(request=submitted, actor=reviewer, reason="Corrija el oficio")
    assert returned.can_withdraw
    withdrawn = onboarding.account_request_withdraw(request=returned, actor=inst_admin)
    assert withdrawn.status == R.WITHDRAWN
    steps = list(withdrawn.history.order_by("history_id").values_list("status", "history_user_id"))
    assert [s for s, _u in steps] == [R.DRAFT] * (len(steps) - 3) + [R.SUBMITTED, R.RETURNED, R.WITHDRAWN]
    assert steps[-1] == (R.WITHDRAWN, inst_admin.pk) and steps[-2] == (R.RETURNED, reviewer.pk)


def test_decisions_refused_unless_the_request_awaits_one(draft, reviewer):
    assert not draft.awaits_decision
    for decide in (onboarding.account_request_reject, onboarding.account_request_return):
        with pytest.raises(ValidationError) as refused:
            decide(request=draft, actor=reviewer, reason="No")
        assert refused.value.code == "wrong_state"
    draft.refresh_from_db()
    assert draft.status == R.DRAFT


# --- Account changes ---------------------------------------------------------------------------

C = AccountChangeRequest.Status
CHANGE_TABLE = {
    C.SUBMITTED: {"approve", "reject", "return_for_correction"},
    C.RETURNED: {"resubmit"},
    C.APPROVED: set(),
    C.REJECTED: set(),
}


@pytest.mark.parametrize("state", list(CHANGE_TABLE))
def test_account_change_transitions_per_state(state):
    change = AccountChangeRequest(status=state)
    assert allowed(change) == CHANGE_TABLE[state]
    assert change.can_resubmit == ("resubmit" in CHANGE_TABLE[state])
    assert change.awaits_decision == ("approve" in CHANGE_TABLE[state])
    with pytest.raises(TransitionNotAllowed):
        AccountChangeRequest(status=C.APPROVED).reject(by=None, reason="x")


def test_change_services_follow_the_predicates(member, inst_admin, reviewer):
    target = UserFactory(institution=member, profile=profile("analyst"))
    change = request_change(user=target, actor=inst_admin, kind=AccountChangeRequest.Kind.SUSPENSION, reason="Licencia")
    assert not change.can_resubmit
    with pytest.raises(ValidationError):
        changes.account_change_resubmit(change=change, actor=inst_admin, reason="Otra vez")
    change = changes.account_change_return(change=change, actor=reviewer, reason="Falta el oficio")
    assert change.can_resubmit and not change.awaits_decision
    with pytest.raises(ValidationError):
        approve_change(change=change, actor=reviewer)
    change = changes.account_change_resubmit(change=change, actor=inst_admin, reason="Con oficio")
    assert change.status == C.SUBMITTED
    assert change.history.filter(status=C.RETURNED, history_user=reviewer).exists()


# --- Account status ----------------------------------------------------------------------------

U = User.Status
USER_TABLE = {
    U.PENDING_LETTER: {"activate", "suspend", "cancel"},
    U.ACTIVE: {"suspend", "cancel"},
    U.SUSPENDED: {"reactivate", "cancel"},
    U.CANCELLED: set(),
}


@pytest.mark.parametrize("state", list(USER_TABLE))
def test_user_status_transitions_per_state(state):
    user = User(status=state)
    assert allowed(user) == USER_TABLE[state]
    assert user.awaits_letter == ("activate" in USER_TABLE[state])
    assert user.can_suspend == ("suspend" in USER_TABLE[state])
    assert user.can_be_reactivated == ("reactivate" in USER_TABLE[state])
    assert user.can_cancel == ("cancel" in USER_TABLE[state])


def test_user_illegal_transitions_raise():
    with pytest.raises(TransitionNotAllowed):
        User(status=U.CANCELLED).reactivate()
    with pytest.raises(TransitionNotAllowed):
        User(status=U.ACTIVE).activate()


def test_change_requests_refused_where_the_account_cannot_move(member, inst_admin):
    cancelled = UserFactory(institution=member, profile=profile("analyst"), status=U.CANCELLED)
    live = UserFactory(institution=member, profile=profile("analyst"))
    cases = (
        (cancelled, AccountChangeRequest.Kind.SUSPENSION, "not_live"),
        (live, AccountChangeRequest.Kind.REACTIVATION, "not_suspended"),
    )
    for user, kind, code in cases:
        with pytest.raises(ValidationError) as refused:
            request_change(user=user, actor=inst_admin, kind=kind, reason="Motivo")
        assert refused.value.code == code
    assert not cancelled.can_suspend and not live.can_be_reactivated


# --- Confidentiality letters (the hand-signed scan) ---------------------------------------------

L = ConfidentialityLetter.ScanStatus
SCAN_TABLE = {
    L.NOT_REQUIRED: set(),
    L.PENDING_UPLOAD: {"upload_scan"},
    L.PENDING_REVIEW: {"validate_scan", "invalidate_scan"},
    L.VALID: set(),
    L.INVALID: {"upload_scan"},
}


@pytest.mark.parametrize("state", list(SCAN_TABLE))
def test_scan_transitions_per_state(state):
    letter = ConfidentialityLetter(scan_status=state)
    assert allowed(letter, "scan_status") == SCAN_TABLE[state]
    assert letter.can_upload_scan == ("upload_scan" in SCAN_TABLE[state])
    assert letter.awaits_scan_review == ("validate_scan" in SCAN_TABLE[state])
    with pytest.raises(TransitionNotAllowed):
        ConfidentialityLetter(scan_status=L.VALID).validate_scan(by=None)


def test_scan_upload_refused_when_no_scan_is_expected(member):
    user = UserFactory(institution=member, status=U.PENDING_LETTER)
    letter = letters.letter_accept(
        user=user, address="Calle 1", phone="81 5555 0101", id_document="ine", id_folio="IDMEX1"
    )
    assert letter.scan_status == L.NOT_REQUIRED and not letter.can_upload_scan
    with pytest.raises(ValidationError) as refused:
        letters.letter_scan_upload(letter=letter, actor=user, file=pdf_upload("carta.pdf"))
    assert refused.value.code == "wrong_state"
    user.refresh_from_db()
    assert user.status == U.ACTIVE
    assert user.history.filter(status=U.ACTIVE, history_user=user).exists()
