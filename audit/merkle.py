"""RFC 6962 / RFC 9162 Merkle tree hashing and proofs, with no database and no Django.

- leaf hash: SHA-256(0x00 || entry bytes); interior node: SHA-256(0x01 || left || right);
- MTH of n leaves splits at k, the largest power of two smaller than n (RFC 6962 section 2.1);
- the empty tree's hash is SHA-256 of nothing.

A tree of ``n`` leaves is summarised by its *frontier* (compact range): the roots of the perfect
subtrees that make up [0, n), largest first, one per bit set in n. Appending a leaf and taking
the root need only the frontier, so a checkpoint extends the previous one without rereading it.

Proofs are built from ``subtree(lo, hi)``, a callable answering MTH(D[lo:hi]); the database layer
computes it by streaming leaf hashes, so no proof holds the whole tree in memory.
"""

import hashlib
from collections.abc import Callable, Iterable

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


# --- frontier (compact range of [0, n)) -----------------------------------------------------------
def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """The frontier of size+1 leaves from that of ``size`` leaves and the new leaf's hash."""
    frontier = list(frontier)
    node, n = leaf, size
    while n & 1:
        node = node_hash(frontier.pop(), node)
        n >>= 1
    frontier.append(node)
    return frontier


def frontier_root(frontier: list[bytes]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = node_hash(left, root)
    return root


def root_of(leaf_hashes: Iterable[bytes]) -> bytes:
    frontier, size = [], 0
    for h in leaf_hashes:
        frontier = frontier_append(frontier, size, h)
        size += 1
    return frontier_root(frontier)


def pack_frontier(frontier: list[bytes]) -> bytes:
    return b"".join(frontier)


def unpack_frontier(data: bytes) -> list[bytes]:
    data = bytes(data)
    return [data[i : i + 32] for i in range(0, len(data), 32)]


# --- proofs (RFC 6962 section 2.1.1 and 2.1.2) ---------------------------------------------------
Subtree = Callable[[int, int], bytes]


def inclusion_proof(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """PATH(index, D[0:size]): sibling subtree hashes from the leaf up to the root."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")

    def path(m, lo, hi):
        n = hi - lo
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return path(m, lo, lo + k) + [subtree(lo + k, hi)]
        return path(m - k, lo + k, hi) + [subtree(lo, lo + k)]

    return path(index, 0, size)


def consistency_proof(old_size: int, size: int, subtree: Subtree) -> list[bytes]:
    """PROOF(old_size, D[0:size]); empty when the sizes are equal or the old tree is empty."""
    if not 0 <= old_size <= size:
        raise ValueError(f"cannot prove a tree of {old_size} leaves consistent with one of {size}")
    if old_size in (0, size):
        return []

    def subproof(m, lo, hi, whole):
        n = hi - lo
        if m == n:
            return [] if whole else [subtree(lo, hi)]
        k = _split(n)
        if m <= k:
            return subproof(m, lo, lo + k, whole) + [subtree(lo + k, hi)]
        return subproof(m - k, lo + k, hi, False) + [subtree(lo, lo + k)]

    return subproof(old_size, 0, size, True)


# --- verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) ------------------------------------------
def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, size: int, old_root: bytes, root: bytes, proof: list[bytes]) -> bool:
    if old_size > size:
        return False
    if old_size == size:
        return not proof and old_root == root
    if old_size == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the proof's first node
        proof = [old_root, *proof]
    fn, sn = old_size - 1, size - 1
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
    return sn == 0 and fr == old_root and sr == root
