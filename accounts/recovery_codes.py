"""Single-use recovery codes, stored as a keyed hash.

Why a keyed hash (HMAC-SHA256 with a key derived from ``SECRET_KEY``) and not Django's password
hashers: each code is drawn at random with ~50 bits of entropy, so a slow, salted hash adds
nothing against guessing, while it would cost up to ten slow hash checks per attempt (no salt
means one indexed lookup instead). The key is not in the database: a copy of the database alone
does not let anyone test guesses offline. Codes made under a key listed in
``SECRET_KEY_FALLBACKS`` keep working after the key is rotated.
"""

import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

COUNT = 10
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to copy by hand
LENGTH = 10
KEY_SALT = "accounts.recovery_codes"


def normalize(token: str) -> str:
    return "".join(ch for ch in (token or "").lower() if ch.isalnum())


def code_hash(code: str, *, secret: str | None = None) -> str:
    return salted_hmac(KEY_SALT, normalize(code), secret=secret, algorithm="sha256").hexdigest()


def _hashes(code: str) -> list[str]:
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [code_hash(code, secret=key) for key in secrets_in_use]


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _index in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def issue(user, *, name: str) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them (shown once, never stored)."""
    from .models import RecoveryCodeDevice

    codes = [new_code() for _index in range(COUNT)]
    with transaction.atomic():
        RecoveryCodeDevice.objects.filter(user=user).delete()
        device = RecoveryCodeDevice.objects.create(user=user, name=name, confirmed=True)
        for code in codes:
            device.codes.create(code_hash=code_hash(code))
    return codes


def matches(device, token: str) -> bool:
    """Whether ``token`` is one of the device's unused codes, without using it: the lockout
    decides first, so a code typed while the account is locked stays valid."""
    from .models import RecoveryCode

    if not normalize(token):
        return False
    return RecoveryCode.objects.filter(device=device, code_hash__in=_hashes(token), used_at__isnull=True).exists()


def use_code(device, token: str) -> bool:
    """True once per code: the row is marked used by a conditional update, so two concurrent
    sign-ins with the same code cannot both pass."""
    from .models import RecoveryCode

    if not normalize(token):
        return False
    # RecoveryCode is not history-tracked (its use is a history-log event of the sign-in).
    used = RecoveryCode.objects.filter(device=device, code_hash__in=_hashes(token), used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return used == 1


def remaining(user) -> int:
    from .models import RecoveryCode

    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()
