"""C2SP signed notes (https://c2sp.org/signed-note) carrying tlog checkpoints
(https://c2sp.org/tlog-checkpoint), with Ed25519 keys. No database, no Django.

A checkpoint's body is three lines: the origin, the tree size in decimal, the root hash in base64.
The note is the body, an empty line, and one line per signature:
``— <key name> <base64(4-byte key id || 64-byte Ed25519 signature over the body)>``.
The key id is the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte public key), and
the verifier key is written ``<name>+<hex key id>+<base64(0x01 || public key)>``.
"""

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # em dash and a space


class NoteError(ValueError):
    pass


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def _check_name(name: str):
    if not name or "+" in name or any(c.isspace() for c in name):
        raise NoteError(f"nombre de llave inválido (sin espacios ni '+'): {name!r}")


@dataclass(frozen=True)
class Verifier:
    name: str
    key_id: bytes
    public: bytes

    @classmethod
    def from_public(cls, name: str, public: bytes) -> "Verifier":
        _check_name(name)
        return cls(name, key_id(name, public), public)

    @classmethod
    def parse(cls, vkey: str) -> "Verifier":
        """Read a ``<name>+<hex id>+<base64 key>`` verifier key, checking its id."""
        try:
            name, hex_id, encoded = vkey.strip().split("+", 2)
            data = base64.b64decode(encoded, validate=True)
            declared = bytes.fromhex(hex_id)
        except ValueError as error:
            raise NoteError(f"llave de verificación mal formada: {vkey.strip()!r}") from error
        if len(data) != 33 or data[:1] != ED25519:
            raise NoteError(f"la llave {name} no es Ed25519")
        verifier = cls.from_public(name, data[1:])
        if verifier.key_id != declared:
            raise NoteError(f"el id de la llave {name} no corresponde a la llave")
        return verifier

    @property
    def vkey(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(ED25519 + self.public).decode()}"

    def verify(self, body: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, body)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    private: Ed25519PrivateKey

    @property
    def verifier(self) -> Verifier:
        return Verifier.from_public(self.name, raw_public(self.private.public_key()))

    def sign(self, body: str) -> str:
        """The signed note: ``body`` (ending in a newline), an empty line, the signature line."""
        if not body.endswith("\n"):
            raise NoteError("el cuerpo de una nota termina en salto de línea")
        signature = self.private.sign(body.encode())
        blob = base64.b64encode(self.verifier.key_id + signature).decode()
        return f"{body}\n{SIGNATURE_PREFIX}{self.name} {blob}\n"


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    signed_by: Verifier


def open_checkpoint(note: str, verifiers: list[Verifier]) -> Checkpoint:
    """Parse a signed checkpoint and check that a known key signed it; raise NoteError if not."""
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        raise NoteError("la nota no tiene línea vacía antes de las firmas")
    body += "\n"
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise NoteError("un checkpoint tiene al menos tres líneas: origen, tamaño y raíz")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError(f"tamaño del árbol inválido: {size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError as error:
        raise NoteError("raíz del árbol mal codificada") from error
    if len(root) != 32:
        raise NoteError("la raíz del árbol no mide 32 bytes")
    by_id = {(v.name, v.key_id): v for v in verifiers}
    for line in signatures.split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            continue
        name, _, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            data = base64.b64decode(blob, validate=True)
        except ValueError:
            continue
        verifier = by_id.get((name, data[:4]))
        if verifier and len(data) == 68 and verifier.verify(body.encode(), data[4:]):
            return Checkpoint(origin, int(size_text), root, verifier)
    raise NoteError("ninguna firma del checkpoint es válida con las llaves conocidas")
