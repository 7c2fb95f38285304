"""Writes on agreements, officers, signatories, memberships and notices.

Every function takes keyword-only arguments and an explicit ``actor`` (None for the system),
runs in one transaction, asks the model whether a transition may happen (the state machines are
declared on the models), performs it through the model's transition method, saves through models
that keep history, records a business event and notifies inside the same transaction.

One module per concern; every service (and the helpers other modules use) is importable from here.
"""

from .addresses import (
    notice_address_check,
    party_address_change,
)
from .agreements import (
    AMENDABLE_FIELDS,
    agreement_activate,
    agreement_create,
    agreement_renew,
    agreements_expire_due,
    amendment_create,
    amendment_register,
    rescission_answer,
    termination_finalize,
    termination_notice_create,
    termination_withdraw,
    terminations_apply_due,
)
from .calendar import (
    non_working_day_add,
    non_working_day_remove,
)
from .common import (
    _check_actor,
    _each_committed,
    _event,
    _files_removed_on_failure,
    _party_institutions,
    _recipients,
    _save,
)
from .daily import (
    DUE_SOON_BUSINESS_DAYS,
    ENDING_WINDOWS,
    _alert_once,
    agreements_daily,
)
from .documents import (
    _document_save,
    _document_upload,
    document_upload,
)
from .drafts import DRAFT_FIELDS, agreement_draft_update
from .memberships import (
    _membership_locked,
    member_notice_send,
    membership_accept,
    membership_deny,
    membership_exit,
    membership_follow_up_submit,
    membership_request,
    membership_set_responsible,
    membership_terminate,
    memberships_close_due,
)
from .obligations import (
    compliance_create,
    compliance_record,
    obligation_create,
    obligation_next_due,
)
from .officer_letters import (
    officer_account_set,
    officer_accounts,
    officer_letter_sign,
)
from .officers import (
    officer_deputy_add,
    officer_designate,
    officer_report_file,
    party_set_designation_deadline,
)
from .signatories import (
    _signatory_decide,
    signatory_can_sign,
    signatory_register,
    signatory_reject,
    signatory_revoke,
    signatory_submit,
)
from .suspensions import (
    institution_suspension_lift,
    institution_suspension_start,
)

__all__ = [
    "DRAFT_FIELDS",
    "agreement_draft_update",
    "institution_suspension_start",
    "institution_suspension_lift",
    "_save",
    "_event",
    "_check_actor",
    "_recipients",
    "_party_institutions",
    "_files_removed_on_failure",
    "_each_committed",
    "document_upload",
    "_document_upload",
    "_document_save",
    "agreement_create",
    "agreement_activate",
    "agreement_renew",
    "agreements_expire_due",
    "AMENDABLE_FIELDS",
    "amendment_create",
    "amendment_register",
    "termination_notice_create",
    "rescission_answer",
    "termination_finalize",
    "termination_withdraw",
    "terminations_apply_due",
    "obligation_create",
    "obligation_next_due",
    "compliance_create",
    "compliance_record",
    "officer_designate",
    "officer_deputy_add",
    "officer_report_file",
    "officer_account_set",
    "officer_accounts",
    "officer_letter_sign",
    "party_address_change",
    "notice_address_check",
    "party_set_designation_deadline",
    "signatory_submit",
    "_signatory_decide",
    "signatory_register",
    "signatory_reject",
    "signatory_revoke",
    "signatory_can_sign",
    "membership_request",
    "_membership_locked",
    "membership_accept",
    "membership_deny",
    "membership_exit",
    "membership_follow_up_submit",
    "membership_set_responsible",
    "membership_terminate",
    "memberships_close_due",
    "member_notice_send",
    "ENDING_WINDOWS",
    "DUE_SOON_BUSINESS_DAYS",
    "_alert_once",
    "agreements_daily",
    "non_working_day_add",
    "non_working_day_remove",
]
