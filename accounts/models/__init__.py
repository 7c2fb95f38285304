"""Accounts models, one module per concern; import them from here."""

from .changes import CANCELLATION_GRACE, AccountChangeRequest, ChangeDocument
from .identity import System, SystemGrant
from .letters import ConfidentialityLetter, LetterKind, LetterTemplate
from .onboarding import (
    AccountRequest,
    ActivationToken,
    OnboardingSettings,
    RequestDocument,
    RequiredDocument,
    private_upload_path,
)
from .second_factor import PasskeyDevice, RecoveryCode, RecoveryCodeDevice
from .users import LoginThrottle, Profile, User, UserManager, UserQuerySet, UserSession

__all__ = [
    "CANCELLATION_GRACE",
    "AccountChangeRequest",
    "AccountRequest",
    "ChangeDocument",
    "ActivationToken",
    "ConfidentialityLetter",
    "LetterKind",
    "LetterTemplate",
    "LoginThrottle",
    "OnboardingSettings",
    "PasskeyDevice",
    "Profile",
    "RecoveryCode",
    "RecoveryCodeDevice",
    "RequestDocument",
    "RequiredDocument",
    "System",
    "SystemGrant",
    "User",
    "UserManager",
    "UserQuerySet",
    "UserSession",
    "private_upload_path",
]
