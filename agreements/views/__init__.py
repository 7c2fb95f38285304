"""Agreements' views, one module per concern; urls.py reaches them all from here."""

from .agreements import (
    agreement_activate,
    agreement_create,
    agreement_detail,
    agreement_edit,
    agreement_list,
    agreement_renew,
    amendment_create,
    rescission_answer,
    termination_finalize,
    termination_notice_create,
    termination_withdraw,
)
from .calendar import (
    non_working_day_delete,
    non_working_days,
)
from .common import (
    PAGE_SIZE,
)
from .documents import (
    document_download,
    document_upload,
)
from .memberships import (
    member_notice_create,
    member_notice_list,
    membership_decide,
    membership_detail,
    membership_exit,
    membership_follow_up,
    membership_list,
    membership_request,
    membership_terminate,
)
from .obligations import (
    compliance_create,
    compliance_overview,
    obligation_create,
)
from .officers import (
    officer_account,
    officer_deputy,
    officer_designate,
    officer_letters,
    officer_report,
    party_address,
    party_deadline,
)
from .signatories import (
    SIGNATORY_ACTIONS,
    signatory_decide,
    signatory_detail,
    signatory_list,
    signatory_submit,
)

__all__ = [
    "PAGE_SIZE",
    "agreement_list",
    "agreement_detail",
    "agreement_edit",
    "agreement_create",
    "agreement_activate",
    "termination_notice_create",
    "termination_finalize",
    "amendment_create",
    "agreement_renew",
    "rescission_answer",
    "termination_withdraw",
    "document_upload",
    "document_download",
    "officer_designate",
    "officer_deputy",
    "officer_account",
    "officer_letters",
    "officer_report",
    "party_address",
    "party_deadline",
    "obligation_create",
    "compliance_create",
    "compliance_overview",
    "signatory_list",
    "signatory_submit",
    "signatory_detail",
    "SIGNATORY_ACTIONS",
    "signatory_decide",
    "membership_list",
    "membership_request",
    "membership_detail",
    "membership_decide",
    "membership_exit",
    "membership_follow_up",
    "membership_terminate",
    "member_notice_list",
    "member_notice_create",
    "non_working_days",
    "non_working_day_delete",
]
