"""Agreements' models, one module per concern; every model is importable from here."""

from .addresses import (
    PartyAddress,
)
from .agreements import (
    Agreement,
    AgreementParty,
    AgreementPartyQuerySet,
    AgreementQuerySet,
    AgreementWitness,
    Amendment,
    TerminationNotice,
)
from .calendar import (
    NonWorkingDay,
    SentAlert,
)
from .documents import (
    Document,
    DocumentQuerySet,
)
from .institutions import (
    Institution,
    InstitutionQuerySet,
)
from .memberships import (
    MemberNotice,
    Membership,
    MembershipQuerySet,
)
from .obligations import (
    ComplianceRecord,
    Obligation,
)
from .officers import (
    LinkOfficer,
    OfficerDeputy,
    OfficerLetter,
    OfficerReport,
)
from .signatories import (
    Signatory,
    SignatoryQuerySet,
)
from .standing import (
    InstitutionSuspension,
    InstitutionSuspensionQuerySet,
)

__all__ = [
    "InstitutionQuerySet",
    "Institution",
    "NonWorkingDay",
    "SentAlert",
    "DocumentQuerySet",
    "Document",
    "AgreementQuerySet",
    "Agreement",
    "AgreementPartyQuerySet",
    "AgreementParty",
    "TerminationNotice",
    "Amendment",
    "Obligation",
    "ComplianceRecord",
    "LinkOfficer",
    "OfficerDeputy",
    "OfficerReport",
    "OfficerLetter",
    "PartyAddress",
    "AgreementWitness",
    "SignatoryQuerySet",
    "Signatory",
    "MembershipQuerySet",
    "Membership",
    "MemberNotice",
    "InstitutionSuspensionQuerySet",
    "InstitutionSuspension",
]
