"""Second factor (TOTP, RFC 6238, with django-otp) for the profiles that see the most.

- Who: commission profiles (platform scope) and any profile holding the history log
  (``requires_second_factor``), while ``PORTAL_REQUIRE_SECOND_FACTOR`` is on.
- Enrolment: an unconfirmed TOTP device is created on the first visit; a right code from the
  authenticator app confirms it, and ten single-use backup codes are created and shown once.
- Each sign-in: after the password, a code from the app (or one backup code, used up) marks the
  session as verified (``django_otp.login``). A wrong code is a failed sign-in for the lockout
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
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import services as audit

from . import lockout
from .models import User
from .sessions import end_user_sessions

BACKUP_CODES = 10
DEVICE_NAME = "portal"


def requires_second_factor(user) -> bool:
    """Commission profiles (platform scope) and whoever reads the history log need a second factor."""
    if not settings.PORTAL_REQUIRE_SECOND_FACTOR or user is None or not user.is_authenticated:
        return False
    return is_privileged(user)


def is_privileged(user) -> bool:
    """The profiles that see the most: platform scope (the commission) or the history log."""
    return bool(user.has_platform_scope or user.has_perm("audit.view_history_log"))


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


def _check_code(*, request, user, code_ok: bool) -> None:
    """The lockout decides; the error's code is the refusal's kind (the view signs a locked or
    suspended account out)."""
    try:
        lockout.attempt_second_factor(request=request, user=user, code_ok=code_ok)
    except lockout.LoginRefused as refusal:
        message = refusal.message()
        if refusal.kind == lockout.LoginRefused.INVALID:
            message = _("El código no es correcto. Revise su aplicación de autenticación e inténtelo de nuevo.")
        raise ValidationError(message, code=refusal.kind) from refusal


def _clean(token: str) -> str:
    return "".join((token or "").split())


def second_factor_enrol(*, request, user, token: str) -> list[str]:
    """Confirm the enrolment with a code from the app; return the ten backup codes (shown once)."""
    if confirmed_device(user) is not None:
        raise ValidationError(_("Ya tiene un segundo factor dado de alta."), code="already_enrolled")
    device = enrolment_device(user)
    token = _clean(token)
    _check_code(request=request, user=user, code_ok=bool(token) and device.verify_token(token))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        backup = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _index in range(BACKUP_CODES)]
        for code in codes:
            backup.token_set.create(token=code)
        _event("second_factor_enrolled", user=user, request=request, detail={"backup_codes": BACKUP_CODES})
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
            for backup in StaticDevice.objects.filter(user=user, confirmed=True):
                if backup.verify_token(token):  # deletes the code: a backup code works once
                    matched, method = backup, "backup_code"
                    break
    _check_code(request=request, user=user, code_ok=matched is not None)
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


def second_factor_reset(*, user: User, actor, reason: str) -> int:
    """Remove the person's TOTP device and backup codes; their sessions end. Return how many ended."""
    if not can_reset_second_factor(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indique el motivo del restablecimiento."), code="reason_required")
    if not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists():
        raise ValidationError(_("Esta persona no tiene segundo factor dado de alta."), code="nothing_to_reset")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ended = end_user_sessions(user=user)
        _event(
            "second_factor_reset",
            user=user,
            actor=actor,
            request=None,
            detail={"reason": reason, "sessions_ended": ended},
        )
    return ended


def has_second_factor(user) -> bool:
    return confirmed_device(user) is not None
