"""Passkeys and security keys (WebAuthn) as a second factor, with py_webauthn (``webauthn``).

- The relying party is the portal's own address: its ID is ``PORTAL_WEBAUTHN_RP_ID`` or, by
  default, the host of ``PORTAL_SITE_URL``; the expected origin is that URL's scheme, host and
  port. Both come from settings, never from the request's Host header. A browser that opens the
  portal under another host name (``localhost`` instead of ``127.0.0.1``) cannot use the key.
- Each ceremony's challenge is kept in the session (one per ceremony, used once) and the
  browser's answer is checked by the library: challenge, origin, RP ID hash, user presence and
  verification, signature with the stored public key, and the signature counter (an assertion
  whose counter does not grow is refused: a cloned key).
- A refused assertion counts as a failed sign-in for the lockout, exactly as a wrong code.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from kernel.site import site_url

from . import services_second_factor as second_factor
from .models import PasskeyDevice

REGISTRATION_KEY = "passkey_registration_challenge"
AUTHENTICATION_KEY = "passkey_authentication_challenge"
RP_NAME = "Portal de Convenios"


def rp_id() -> str:
    return settings.PORTAL_WEBAUTHN_RP_ID or (urlsplit(site_url()).hostname or "")


def expected_origin() -> str:
    parts = urlsplit(site_url())
    return f"{parts.scheme}://{parts.netloc}"


def _descriptors(user) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=bytes(device.credential_id))
        for device in PasskeyDevice.objects.filter(user=user, confirmed=True)
    ]


def registration_options(*, request, user) -> str:
    """The options for ``navigator.credentials.create()`` (JSON); the challenge stays in the session."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=RP_NAME,
        user_id=str(user.pk).encode(),
        user_name=user.username,
        user_display_name=user.full_name or user.username,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    request.session[REGISTRATION_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def authentication_options(*, request, user) -> str:
    """The options for ``navigator.credentials.get()`` (JSON), limited to the user's own keys."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    request.session[AUTHENTICATION_KEY] = bytes_to_base64url(options.challenge)
    return options_to_json(options)


def _challenge(request, key: str) -> bytes | None:
    from webauthn.helpers import base64url_to_bytes

    value = request.session.pop(key, None)  # a challenge serves one answer only
    return base64url_to_bytes(value) if value else None


def _parse(payload: str) -> dict | None:
    try:
        data = json.loads(payload or "")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def passkey_enrol(*, request, user, credential: str, name: str = "") -> list[str]:
    """Register a passkey as the person's first second factor; return the ten recovery codes."""
    if second_factor.has_second_factor(user):
        raise ValidationError(_("Ya tiene un segundo factor dado de alta."), code="already_enrolled")
    with transaction.atomic():
        device = _register(request=request, user=user, credential=credential, name=name)
        return second_factor.issue_first_recovery_codes(request=request, user=user, device=device, method="passkey")


def passkey_add(*, request, user, credential: str, name: str = "") -> PasskeyDevice:
    """Add a passkey for a person who already has a factor and proved it in this session (a
    TOTP user moving to a security key). Their recovery codes stay as they are."""
    if not second_factor.has_second_factor(user) or not user.is_verified():
        raise PermissionDenied
    with transaction.atomic():
        device = _register(request=request, user=user, credential=credential, name=name)
        second_factor._event("passkey_added", user=user, request=request, detail={"name": device.name})
    return device


def _register(*, request, user, credential: str, name: str) -> PasskeyDevice:
    challenge = _challenge(request, REGISTRATION_KEY)
    data = _parse(credential)
    if challenge is None or data is None:
        raise ValidationError(_("La llave no respondió. Inténtelo de nuevo."), code="no_answer")
    try:
        verified = verify_registration_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
            require_user_verification=True,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            _("No se pudo registrar la llave de seguridad. Inténtelo de nuevo o use la aplicación de autenticación."),
            code="invalid",
        ) from error
    transports = data.get("response", {}).get("transports") or []
    return PasskeyDevice.objects.create(
        user=user,
        name=(name or _("Llave de seguridad"))[:64],
        confirmed=True,
        credential_id=verified.credential_id,
        credential_key=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[str(t) for t in transports][:10],
    )


def passkey_verify(*, request, user, assertion: str) -> None:
    """Check an assertion of one of the user's keys; mark the session verified. A refused one is a
    failed sign-in for the lockout (raises ValidationError with the refusal's kind as code)."""
    challenge = _challenge(request, AUTHENTICATION_KEY)
    data = _parse(assertion)
    device = None
    ok, new_count = False, 0
    if challenge is not None and data is not None and isinstance(data.get("id"), str):
        device = PasskeyDevice.objects.filter(user=user, confirmed=True, credential_key=data["id"]).first()
        if device is not None:
            try:
                verified = verify_authentication_response(
                    credential=data,
                    expected_challenge=challenge,
                    expected_rp_id=rp_id(),
                    expected_origin=expected_origin(),
                    credential_public_key=bytes(device.public_key),
                    credential_current_sign_count=device.sign_count,
                    require_user_verification=True,
                )
            except (WebAuthnException, ValueError, KeyError, TypeError):
                ok = False
            else:
                ok, new_count = True, verified.new_sign_count
    second_factor.check_attempt(request=request, user=user, ok=ok, wrong_message=_wrong_key_message())
    if device is None:  # not reached: check_attempt refused the attempt
        raise ValidationError(_wrong_key_message(), code="invalid")
    with transaction.atomic():
        # The counter only grows: a concurrent use of the same assertion finds it already moved.
        updated = PasskeyDevice.objects.filter(pk=device.pk, sign_count=device.sign_count).update(
            sign_count=new_count, last_used_at=timezone.now()
        )
    if not updated:
        raise ValidationError(_wrong_key_message(), code="invalid")
    otp_login(request, device)
    second_factor.record_verified(request=request, user=user, method="passkey")


def _wrong_key_message() -> str:
    return _("La llave de seguridad no fue aceptada. Inténtelo de nuevo o escriba un código.")
