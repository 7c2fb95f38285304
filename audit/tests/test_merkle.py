"""Known answers for the tree hashing and the signed-note format, computed here with hashlib and
cryptography straight from RFC 6962 and C2SP signed-note, not by the code under test."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from audit import merkle
from audit.signednote import NoteError, Signer, Verifier, checkpoint_body, open_checkpoint

ENTRIES = [b"", b"\x00", b"\x10", b" !", b"01", b"@ABC", b"PQRSTUVW", b"`abcdefghijklmno"]  # RFC 6962 test data


def sha(data):
    return hashlib.sha256(data).digest()


def L(entry):
    return sha(b"\x00" + entry)


def N(left, right):
    return sha(b"\x01" + left + right)


# RFC 6962 section 2.1 written out by hand for 1..7 leaves (k = largest power of two below n).
def expected_roots():
    h = [L(e) for e in ENTRIES]
    n01, n23, n45 = N(h[0], h[1]), N(h[2], h[3]), N(h[4], h[5])
    n0123 = N(n01, n23)
    return {
        0: sha(b""),
        1: h[0],
        2: n01,
        3: N(n01, h[2]),
        4: n0123,
        5: N(n0123, h[4]),
        6: N(n0123, n45),
        7: N(n0123, N(n45, h[6])),
    }


def test_leaf_and_node_hashes_are_rfc6962():
    assert merkle.leaf_hash(b"abc") == sha(b"\x00abc")
    assert merkle.node_hash(b"a" * 32, b"b" * 32) == sha(b"\x01" + b"a" * 32 + b"b" * 32)
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("size", range(8))
def test_roots_for_0_to_7_leaves(size):
    assert merkle.root_of([L(e) for e in ENTRIES[:size]]) == expected_roots()[size]


# The roots the Certificate Transparency reference implementation publishes for the same data.
CT_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


@pytest.mark.parametrize("size", sorted(CT_ROOTS))
def test_roots_match_the_published_vectors(size):
    assert merkle.root_of([L(e) for e in ENTRIES[:size]]).hex() == CT_ROOTS[size]
    if size < 8:
        assert expected_roots()[size].hex() == CT_ROOTS[size]


def _subtree(hashes):
    return lambda lo, hi: merkle.root_of(hashes[lo:hi])


def test_inclusion_proofs_by_hand_and_their_verification():
    h = [L(e) for e in ENTRIES[:7]]
    roots = expected_roots()
    # Leaf 4 in a tree of 7: sibling h5, then N(h6)... per PATH: [h5, h6, N(N(h0,h1),N(h2,h3))].
    proof = merkle.inclusion_proof(4, 7, _subtree(h))
    assert proof == [h[5], h[6], N(N(h[0], h[1]), N(h[2], h[3]))]
    assert merkle.inclusion_proof(6, 7, _subtree(h)) == [N(h[4], h[5]), N(N(h[0], h[1]), N(h[2], h[3]))]
    for size in range(1, 8):
        for index in range(size):
            p = merkle.inclusion_proof(index, size, _subtree(h))
            assert merkle.verify_inclusion(index, size, h[index], p, roots[size])
            assert not merkle.verify_inclusion(index, size, L(b"otra"), p, roots[size])
            if p:
                altered = [p[0][:-1] + bytes([p[0][-1] ^ 1]), *p[1:]]
                assert not merkle.verify_inclusion(index, size, h[index], altered, roots[size])
                assert not merkle.verify_inclusion(index, size, h[index], p[:-1], roots[size])
    with pytest.raises(ValueError):
        merkle.inclusion_proof(7, 7, _subtree(h))


def test_consistency_proofs_by_hand_and_their_verification():
    h = [L(e) for e in ENTRIES[:7]]
    roots = expected_roots()
    # RFC 6962 section 2.1.3's examples (tree of 7 leaves, d0..d6).
    assert merkle.consistency_proof(3, 7, _subtree(h)) == [h[2], h[3], N(h[0], h[1]), N(N(h[4], h[5]), h[6])]
    assert merkle.consistency_proof(4, 7, _subtree(h)) == [N(N(h[4], h[5]), h[6])]
    assert merkle.consistency_proof(6, 7, _subtree(h)) == [N(h[4], h[5]), h[6], N(N(h[0], h[1]), N(h[2], h[3]))]
    for size in range(1, 8):
        for old in range(0, size + 1):
            p = merkle.consistency_proof(old, size, _subtree(h))
            assert merkle.verify_consistency(old, size, roots[old], roots[size], p)
            if 0 < old < size:
                assert not merkle.verify_consistency(old, size, roots[old], L(b"x"), p)
                assert not merkle.verify_consistency(old, size, L(b"x"), roots[size], p)
                altered = [p[-1][:-1] + bytes([p[-1][-1] ^ 1]), *p[:-1]][::-1] if len(p) > 1 else [L(b"x")]
                assert not merkle.verify_consistency(old, size, roots[old], roots[size], altered)
    # A tree whose old part was rewritten is not consistent with the old root.
    rewritten = [h[0], L(b"cambiada"), *h[2:]]
    p = merkle.consistency_proof(3, 7, _subtree(rewritten))
    assert not merkle.verify_consistency(3, 7, roots[3], merkle.root_of(rewritten), p)


def test_frontier_extends_and_packs():
    h = [L(e) for e in ENTRIES]
    frontier = []
    for size, leaf in enumerate(h):
        frontier = merkle.frontier_append(frontier, size, leaf)
        assert len(frontier) == bin(size + 1).count("1")
        assert merkle.frontier_root(merkle.unpack_frontier(merkle.pack_frontier(frontier))) == merkle.root_of(
            h[: size + 1]
        )


# --- signed notes ----------------------------------------------------------------------------
SEED = bytes(range(32))
NAME = "portal.example.gob.mx/bitacora"


def test_key_id_vkey_and_signature_line_follow_c2sp():
    private = Ed25519PrivateKey.from_private_bytes(SEED)
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = hashlib.sha256(NAME.encode() + b"\x0a" + b"\x01" + public).digest()[:4]
    signer = Signer(NAME, private)
    assert signer.verifier.key_id == key_id
    encoded = base64.b64encode(bytes([1]) + public).decode()
    assert signer.verifier.vkey == f"{NAME}+{key_id.hex()}+{encoded}"

    root = sha(b"raiz")
    body = f"{NAME}\n5\n{base64.b64encode(root).decode()}\n"
    assert checkpoint_body(NAME, 5, root) == body
    note = signer.sign(body)
    text, blank, signature_line = note.partition("\n\n")
    assert text + "\n" == body and blank == "\n\n" and signature_line.endswith("\n")
    dash, name, blob = signature_line.rstrip("\n").split(" ")
    assert dash == "\u2014" and name == NAME
    raw = base64.b64decode(blob)
    assert len(raw) == 68 and raw[:4] == key_id
    # Ed25519 is deterministic: the same signature as cryptography computes over the body.
    assert raw[4:] == private.sign(body.encode())
    Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], body.encode())

    opened = open_checkpoint(note, [Verifier.parse(signer.verifier.vkey)])
    assert (opened.origin, opened.size, opened.root) == (NAME, 5, root)


def test_altered_or_foreign_checkpoints_are_refused():
    signer = Signer(NAME, Ed25519PrivateKey.from_private_bytes(SEED))
    note = signer.sign(checkpoint_body(NAME, 5, sha(b"raiz")))
    verifiers = [signer.verifier]
    with pytest.raises(NoteError):
        open_checkpoint(note.replace("\n5\n", "\n6\n"), verifiers)
    other = Signer(NAME, Ed25519PrivateKey.from_private_bytes(bytes(32)))
    with pytest.raises(NoteError):
        open_checkpoint(other.sign(checkpoint_body(NAME, 5, sha(b"raiz"))), verifiers)
    name, _, encoded = signer.verifier.vkey.split("+", 2)
    with pytest.raises(NoteError, match="id"):
        Verifier.parse(f"{name}+00000000+{encoded}")
