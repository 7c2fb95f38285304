"""Accounts models, one module per concern; import them from here."""

from .changes import CANCELLATION_GRACE, AccountChangeRequest
from .letters import ConfidentialityLetter, LetterKind, LetterTemplate
from .onboarding import (
    AccountRequest,
    ActivationToken,
    OnboardingSettings,
    RequestDocument,
    RequiredDocument,
    private_upload_path,
)
from .users import Profile, User, UserManager

__all__ = [
    "CANCELLATION_GRACE",
    "AccountChangeRequest",
    "AccountRequest",
    "ActivationToken",
    "ConfidentialityLetter",
    "LetterKind",
    "LetterTemplate",
    "OnboardingSettings",
    "Profile",
    "RequestDocument",
    "RequiredDocument",
    "User",
    "UserManager",
    "private_upload_path",
]
