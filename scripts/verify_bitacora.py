#!/usr/bin/env python3
"""Check the portal's history log ("bitácora") offline, without the portal or its database.

Needs only Python 3.11+ and the ``cryptography`` package. Written apart from the portal's code on
purpose: an auditor can read this one file and the specifications it follows.

- RFC 6962 Merkle tree hashing: leaf = SHA-256(0x00 || line), node = SHA-256(0x01 || left || right).
- C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) in a C2SP signed note
  (https://c2sp.org/signed-note) with an Ed25519 key; verifier keys in ``name+hexid+base64`` form.
- RFC 9162 section 2.1.4.2 consistency proof verification.

Files, as the portal's commands print them:
  key         manage.py audit_public_key  (or https://<portal>/.well-known/bitacora-key)
  checkpoint  manage.py audit_checkpoint  (also e-mailed daily to the history log's readers)
  leaves      manage.py audit_leaves --size N           (N = the checkpoint's tree size)
  hashes      manage.py audit_leaves --size N --hashes  (optional: names the first altered leaf)
  proof       manage.py audit_prove --from M --size N   (M = the older checkpoint's size)

Exit status 0 when every check given passes, 1 when one fails, 2 on unusable input.
"""

import argparse
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SIGNATURE_PREFIX = "\u2014 "


class Failed(Exception):
    """A check that did not pass."""


class Unusable(Exception):
    """An input that cannot be read."""


# --- RFC 6962 --------------------------------------------------------------------------------
def leaf_hash(line: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + line).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(hashes: list[bytes]) -> bytes:
    """MTH(D[n]) per RFC 6962 section 2.1 (split at the largest power of two below n)."""
    if not hashes:
        return hashlib.sha256(b"").digest()

    def mth(lo, hi):
        if hi - lo == 1:
            return hashes[lo]
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        return node_hash(mth(lo, lo + k), mth(lo + k, hi))

    return mth(0, len(hashes))


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


# --- C2SP signed notes -----------------------------------------------------------------------
def read_keys(path: str) -> dict:
    """{(name, key id): raw public key} from a file of verifier keys, one per line."""
    keys = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                name, hex_id, encoded = line.strip().split("+", 2)
                data = base64.b64decode(encoded, validate=True)
                declared = bytes.fromhex(hex_id)
            except ValueError as error:
                raise Unusable(f"llave mal formada: {line.strip()!r}") from error
            if len(data) != 33 or data[0] != 0x01:
                raise Unusable(f"la llave {name} no es Ed25519")
            key_id = hashlib.sha256(name.encode() + b"\n" + data).digest()[:4]
            if key_id != declared:
                raise Unusable(f"el id de la llave {name} no corresponde a la llave")
            keys[(name, key_id)] = data[1:]
    if not keys:
        raise Unusable(f"{path}: no contiene ninguna llave")
    return keys


def open_checkpoint(path: str, keys: dict) -> tuple[str, int, bytes, str]:
    """(origin, tree size, root hash, signing key's name) of a checkpoint a known key signed."""
    with open(path, "rb") as handle:
        text = handle.read().decode("utf-8")
    body, sep, signatures = text.partition("\n\n")
    if not sep:
        raise Unusable(f"{path}: no es una nota firmada (falta la línea vacía)")
    body += "\n"
    lines = body.split("\n")[:-1]
    if len(lines) < 3 or not lines[1].isdigit():
        raise Unusable(f"{path}: no es un checkpoint (origen, tamaño y raíz)")
    root = base64.b64decode(lines[2], validate=True)
    for line in signatures.split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            continue
        name, _, blob = line[len(SIGNATURE_PREFIX) :].partition(" ")
        data = base64.b64decode(blob)
        public = keys.get((name, data[:4]))
        if public is None or len(data) != 68:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(data[4:], body.encode("utf-8"))
        except InvalidSignature:
            continue
        return lines[0], int(lines[1]), root, name
    raise Failed(f"{path}: ninguna firma es válida con las llaves dadas")


# --- files -----------------------------------------------------------------------------------
def read_lines(path: str) -> list[bytes]:
    with open(path, "rb") as handle:
        data = handle.read()
    if data and not data.endswith(b"\n"):
        raise Unusable(f"{path}: la última línea no termina en salto de línea (¿archivo cortado?)")
    return data.split(b"\n")[:-1]


def read_hashes(path: str) -> list[bytes]:
    try:
        return [base64.b64decode(line, validate=True) for line in read_lines(path)]
    except ValueError as error:
        raise Unusable(f"{path}: no es una lista de hashes en base64") from error


def describe(index: int, line: bytes) -> str:
    try:
        entry = json.loads(line)
        return f"hoja {index} (tabla {entry.get('table')}, fila {entry.get('id')})"
    except ValueError:
        return f"hoja {index}"


def check_leaves(size: int, root: bytes, leaves_path: str, hashes_path: str | None, say) -> None:
    lines = read_lines(leaves_path)
    if len(lines) != size:
        raise Failed(f"{leaves_path}: tiene {len(lines)} hojas y el checkpoint {size}")
    computed = [leaf_hash(line) for line in lines]
    if merkle_root(computed) == root:
        say(f"OK: las {size} hojas dan la raíz firmada")
        return
    if hashes_path is None:
        raise Failed("las hojas NO dan la raíz firmada (con --hashes se nombra la primera hoja alterada)")
    stored = read_hashes(hashes_path)
    if len(stored) != size or merkle_root(stored) != root:
        raise Failed("las hojas NO dan la raíz firmada, y los hashes dados tampoco")
    # The hash list is authenticated by the signed root: the first line that differs is the altered leaf.
    first = next(i for i, (a, b) in enumerate(zip(computed, stored, strict=True)) if a != b)
    raise Failed(f"{describe(first, lines[first])}: su contenido no corresponde al checkpoint firmado")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--key", required=True, help="archivo con las llaves de verificación (una por línea)")
    parser.add_argument("--checkpoint", required=True, help="checkpoint firmado (audit_checkpoint)")
    parser.add_argument("--leaves", help="hojas del árbol hasta el tamaño del checkpoint (audit_leaves --size N)")
    parser.add_argument("--hashes", help="hashes de las hojas (audit_leaves --size N --hashes)")
    parser.add_argument("--old-checkpoint", help="un checkpoint anterior, para la prueba de consistencia")
    parser.add_argument("--proof", help="prueba de consistencia (audit_prove --from M --size N)")
    args = parser.parse_args(argv)
    if bool(args.old_checkpoint) != bool(args.proof):
        parser.error("--old-checkpoint y --proof van juntos")

    def say(message):
        print(message, flush=True)

    try:
        keys = read_keys(args.key)
        origin, size, root, signer = open_checkpoint(args.checkpoint, keys)
        say(f"OK: checkpoint de {origin} con {size} hojas, firmado por {signer}")
        if args.leaves:
            check_leaves(size, root, args.leaves, args.hashes, say)
        if args.old_checkpoint:
            old_origin, old_size, old_root, _ = open_checkpoint(args.old_checkpoint, keys)
            if old_origin != origin:
                raise Failed(f"los checkpoints son de bitácoras distintas: {old_origin} y {origin}")
            proof = read_hashes(args.proof)
            if not verify_consistency(old_size, size, old_root, root, proof):
                raise Failed(
                    f"la prueba de consistencia falla: el árbol de {size} hojas no extiende el checkpoint "
                    f"anterior de {old_size} hojas (la historia se reescribió)"
                )
            say(f"OK: el árbol de {size} hojas extiende el checkpoint anterior de {old_size} hojas")
    except Failed as failure:
        say(f"FALLA: {failure}")
        return 1
    except (Unusable, OSError, UnicodeDecodeError, ValueError) as error:
        say(f"ERROR: {error}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
