"""Second factor (TOTP, RFC 6238, with django-otp; passkeys in ``services_passkeys``) for the
profiles that see the most.

- Who (``requires_second_factor``, while ``PORTAL_REQUIRE_SECOND_FACTOR`` is on): commission
  profiles (platform scope), any profile holding the history-log or profile-catalog permissions,
  and any profile marked "exige segundo factor" in the catalog.
- Enrolment: an unconfirmed TOTP device is created on the first visit; a right code from the
  authenticator app confirms it (or a passkey is registered), and ten single-use recovery codes
  are created, shown once and stored as keyed hashes (``accounts.recovery_codes``).
- Each sign-in: after the password, a code from the app, a passkey, or one recovery code (used
  up) marks the session as verified (``django_otp.login``). A wrong code is a failed sign-in for the lockout
  (``accounts.lockout.attempt_second_factor``); a TOTP code is accepted once (django-otp keeps the
  last time step used, so a replay within its window is refused).
- Reset: a commission administrator removes a person's devices, with a reason; the person's
  sessions end and the next sign-in enrols again.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import services as audit

from . import lockout, recovery_codes
from .models import PasskeyDevice, RecoveryCodeDevice, User
from .sessions import end_user_sessions

BACKUP_CODES = recovery_codes.COUNT
DEVICE_NAME = "portal"


def requires_second_factor(user) -> bool:
    """Commission profiles (platform scope) and whoever reads the history log need a second factor."""
    if not settings.PORTAL_REQUIRE_SECOND_FACTOR or user is None or not user.is_authenticated:
        return False
    return is_privileged(user)


# Holding any of these permissions (the history log, the profile catalog) requires a second factor.
PRIVILEGED_PERMISSIONS = (
    "audit.view_history_log",
    "accounts.add_profile",
    "accounts.change_profile",
)


def is_privileged(user) -> bool:
    """The profiles that see the most: platform scope (the commission), the history log or the
    profile catalog, or a profile the commission marked "exige segundo factor"."""
    if user.has_platform_scope or any(user.has_perm(perm) for perm in PRIVILEGED_PERMISSIONS):
        return True
    profile = getattr(user, "profile", None)
    return bool(profile is not None and profile.requires_second_factor)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (created on first need); its key is what the QR shows."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _event(action, *, user, request, detail=None, actor=None):
    audit.record_event(
        category="auth",
        action=action,
        actor=actor if actor is not None else user,
        username=user.username,
        institution=user.institution,
        target=user,
        detail=detail or {},
        request=request,
    )


def check_attempt(*, request, user, ok: bool, wrong_message: str | None = None) -> None:
    """The lockout decides on a code or key: a wrong one is a failed sign-in. The error's code is
    the refusal's kind (the view signs a locked or suspended account out)."""
    try:
        lockout.attempt_second_factor(request=request, user=user, code_ok=ok)
    except lockout.LoginRefused as refusal:
        message = refusal.message()
        if refusal.kind == lockout.LoginRefused.INVALID:
            message = wrong_message or _(
                "El código no es correcto. Revise su aplicación de autenticación e inténtelo de nuevo."
            )
        raise ValidationError(message, code=refusal.kind) from refusal


def _check_code(*, request, user, code_ok: bool) -> None:
    check_attempt(request=request, user=user, ok=code_ok)


def record_verified(*, request, user, method: str) -> None:
    _event("second_factor_verified", user=user, request=request, detail={"method": method})


def _clean(token: str) -> str:
    return "".join((token or "").split())


def second_factor_enrol(*, request, user, token: str) -> list[str]:
    """Confirm the enrolment with a code from the app; return the ten backup codes (shown once)."""
    if has_second_factor(user):
        raise ValidationError(_("Ya tiene un segundo factor dado de alta."), code="already_enrolled")
    device = enrolment_device(user)
    token = _clean(token)
    _check_code(request=request, user=user, code_ok=bool(token) and device.verify_token(token))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes.issue(user, name=DEVICE_NAME)
        _event(
            "second_factor_enrolled",
            user=user,
            request=request,
            detail={"backup_codes": BACKUP_CODES, "method": "totp"},
        )
    otp_login(request, device)
    return codes


def issue_first_recovery_codes(*, request, user, device, method: str) -> list[str]:
    """After a first factor is enrolled another way (a passkey): the ten recovery codes."""
    codes = recovery_codes.issue(user, name=DEVICE_NAME)
    _event(
        "second_factor_enrolled", user=user, request=request, detail={"backup_codes": BACKUP_CODES, "method": method}
    )
    otp_login(request, device)
    return codes


def second_factor_verify(*, request, user, token: str) -> None:
    """Check a code from the app or a backup code (used up); mark the session verified."""
    token = _clean(token)
    matched, method = None, ""
    if token:
        device = confirmed_device(user)
        if device is not None and device.verify_token(token):
            matched, method = device, "totp"
        else:
            for backup in RecoveryCodeDevice.objects.filter(user=user, confirmed=True):
                if recovery_codes.matches(backup, token):  # not used yet: the lockout decides first
                    matched, method = backup, "backup_code"
                    break
    _check_code(request=request, user=user, code_ok=matched is not None)
    if method == "backup_code" and not recovery_codes.use_code(matched, token):
        # Another sign-in used the same code in the meantime: a recovery code works once.
        _check_code(request=request, user=user, code_ok=False)
    otp_login(request, matched)
    _event("second_factor_verified", user=user, request=request, detail={"method": method})


def can_reset_second_factor(actor) -> bool:
    """Only a commission administrator (platform scope, may change accounts)."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.has_platform_scope
        and actor.has_perm("accounts.change_user")
    )


def _devices(user):
    return (
        TOTPDevice.objects.filter(user=user),
        PasskeyDevice.objects.filter(user=user),
        RecoveryCodeDevice.objects.filter(user=user),
        StaticDevice.objects.filter(user=user),
    )


def second_factor_reset(*, user: User, actor, reason: str) -> int:
    """Remove the person's factors (app, passkeys, recovery codes); their sessions end. Return
    how many sessions ended."""
    if not can_reset_second_factor(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indique el motivo del restablecimiento."), code="reason_required")
    if not any(devices.exists() for devices in _devices(user)):
        raise ValidationError(_("Esta persona no tiene segundo factor dado de alta."), code="nothing_to_reset")
    with transaction.atomic():
        for devices in _devices(user):
            devices.delete()
        ended = end_user_sessions(user=user)
        _event(
            "second_factor_reset",
            user=user,
            actor=actor,
            request=None,
            detail={"reason": reason, "sessions_ended": ended},
        )
    return ended


def has_passkey(user) -> bool:
    return PasskeyDevice.objects.filter(user=user, confirmed=True).exists()


def has_second_factor(user) -> bool:
    return confirmed_device(user) is not None or PasskeyDevice.objects.filter(user=user, confirmed=True).exists()
