"""The Ed25519 key that signs the history log's checkpoints, and the public keys that verify them.

The private key never touches the database. It comes from ``AUDIT_CHECKPOINT_KEY`` (the base64
32-byte seed) or from the file named by ``AUDIT_CHECKPOINT_KEY_FILE`` (the same text). With
``DEBUG`` on at start-up and neither set (``make run``), a key is generated on first use in
``AUDIT_CHECKPOINT_DEMO_KEY_FILE`` (under var/). Old public keys stay published through
``AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS`` (verifier keys), so checkpoints signed before a rotation
keep verifying.
"""

import base64
import binascii
import os
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .signednote import NoteError, Signer, Verifier


def origin() -> str:
    """The checkpoints' origin line: ``<site host>/bitacora`` unless configured."""
    configured = getattr(settings, "AUDIT_CHECKPOINT_ORIGIN", "")
    if configured:
        return configured
    host = urlsplit(getattr(settings, "PORTAL_SITE_URL", "")).netloc or "localhost"
    return f"{host}/bitacora"


def key_name() -> str:
    return getattr(settings, "AUDIT_CHECKPOINT_KEY_NAME", "") or origin()


def mail_permission() -> str:
    """Holders of this permission receive the daily checkpoint e-mail."""
    from .access import HISTORY_LOG

    return HISTORY_LOG


def _seed_from_text(text: str, where: str) -> bytes:
    try:
        seed = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured(f"{where} must hold an Ed25519 private key: 32 bytes in base64.")
    return seed


def new_seed_text() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def _demo_seed(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made earlier, or by a concurrent process: read it
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(new_seed_text() + "\n")
    return _seed_from_text(path.read_text(), str(path))


def _seed() -> bytes:
    value = getattr(settings, "AUDIT_CHECKPOINT_KEY", "")
    if value:
        return _seed_from_text(value, "AUDIT_CHECKPOINT_KEY")
    path = getattr(settings, "AUDIT_CHECKPOINT_KEY_FILE", "")
    if path:
        try:
            text = Path(path).read_text()
        except OSError as error:
            raise ImproperlyConfigured(f"AUDIT_CHECKPOINT_KEY_FILE cannot be read: {error}") from error
        return _seed_from_text(text, "AUDIT_CHECKPOINT_KEY_FILE")
    demo = getattr(settings, "AUDIT_CHECKPOINT_DEMO_KEY_FILE", None)  # set only when settings load with DEBUG
    if demo:
        return _demo_seed(Path(demo))
    raise ImproperlyConfigured(
        "Set AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE: the history log's checkpoints cannot be signed."
    )


def signer() -> Signer:
    return Signer(key_name(), Ed25519PrivateKey.from_private_bytes(_seed()))


def old_verifiers() -> list[Verifier]:
    keys = getattr(settings, "AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS", ()) or ()
    try:
        return [Verifier.parse(vkey) for vkey in keys if vkey.strip()]
    except NoteError as error:
        raise ImproperlyConfigured(f"AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS: {error}") from error


def verifiers() -> list[Verifier]:
    """The current key's verifier first, then the old ones still published."""
    current = signer().verifier
    return [current, *(v for v in old_verifiers() if v != current)]
