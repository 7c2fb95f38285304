"""The history log as a transparency log: an RFC 6962 Merkle tree over every log row, and signed
checkpoints of it that anyone holding the public key can check offline.

Each sealing run (beat's ``audit.tasks.seal_logs``, or ``manage.py audit_seal``), after the HMAC
seals, appends the rows committed since the last run as leaves, table by table in id order, with
the table locked in SHARE mode so no transaction still holding a lower id can commit behind it.
Leaves are never rewritten: a row committed late is simply a later leaf. The run then signs the
new tree head (``Checkpoint``), a C2SP tlog-checkpoint note.

A leaf's entry bytes are the RFC 8785 canonical JSON of ``{"table", "id", "row"}`` where ``row``
maps each column (those the table had when the row entered the tree, see ``LeafLayout``) to its
value as ``sealing._canonical_value`` reads it; integers beyond JSON's safe range are written as
decimal strings. Those bytes can be recomputed from the row at any time (``audit_leaves``).
"""

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import rfc8785
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from . import keys, merkle, sealing
from .models import Checkpoint, LeafLayout, MerkleLeaf
from .signednote import NoteError, checkpoint_body, open_checkpoint

logger = logging.getLogger(__name__)
BATCH = sealing.BATCH
SAFE_INTEGER = 2**53 - 1


class TreeError(Exception):
    pass


# --- entries ---------------------------------------------------------------------------------
def _json_value(value):
    value = sealing._canonical_value(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > SAFE_INTEGER:
        return str(value)
    return value


def entry_bytes(table: str, row_id: int, columns: list[str], row) -> bytes:
    values = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
    return rfc8785.dumps({"table": table, "id": _json_value(row_id), "row": values})


def missing_entry(table: str, row_id: int) -> bytes:
    """What ``audit_leaves`` prints for a leaf whose row is gone: it cannot match the leaf hash."""
    return rfc8785.dumps({"table": table, "id": _json_value(row_id), "missing": True})


def _layout(table: str, columns: list[str]) -> LeafLayout:
    digest = hashlib.sha256(json.dumps([table, columns]).encode()).hexdigest()
    layout, _created = LeafLayout.objects.get_or_create(digest=digest, defaults={"table": table, "columns": columns})
    return layout


def _lock(table: str, mode: str):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN {mode} MODE")


# --- appending -------------------------------------------------------------------------------
def append_leaves(log: sealing.LogTable) -> int:
    """Append the rows of ``log`` not yet in the tree; return how many."""
    with transaction.atomic():
        _lock(log.table, "SHARE")  # inserts into the log table wait: nothing commits behind us
        _lock(MerkleLeaf._meta.db_table, "SHARE ROW EXCLUSIVE")  # one appender at a time
        after_id = MerkleLeaf.objects.filter(table=log.table).aggregate(m=Max("row_id"))["m"] or 0
        last_index = MerkleLeaf.objects.aggregate(m=Max("index"))["m"]
        next_index = 0 if last_index is None else last_index + 1
        columns = sealing._table_columns(log.table)
        layout = None
        batch, added = [], 0
        for row_id, row in sealing.iter_rows(log, columns, after_id, None):
            layout = layout or _layout(log.table, columns)
            entry = entry_bytes(log.table, row_id, columns, row)
            batch.append(
                MerkleLeaf(
                    index=next_index + added,
                    table=log.table,
                    row_id=row_id,
                    layout=layout,
                    leaf_hash=merkle.leaf_hash(entry),
                )
            )
            added += 1
            if len(batch) >= BATCH:
                MerkleLeaf.objects.bulk_create(batch)  # not a tracked model; rows are only inserted
                batch = []
        MerkleLeaf.objects.bulk_create(batch)
    return added


def tree_size() -> int:
    last = MerkleLeaf.objects.aggregate(m=Max("index"))["m"]
    return 0 if last is None else last + 1


def leaf_hashes(lo: int, hi: int) -> Iterator[bytes]:
    """Stored leaf hashes of indexes lo..hi-1, in order; TreeError if one is missing."""
    expected = lo
    leaves = MerkleLeaf.objects.filter(index__gte=lo, index__lt=hi).order_by("index").values_list("index", "leaf_hash")
    for index, value in leaves.iterator(chunk_size=BATCH):
        if index != expected:
            raise TreeError(_("falta la hoja %(index)s del árbol") % {"index": expected})
        yield bytes(value)
        expected += 1
    if expected != hi:
        raise TreeError(_("falta la hoja %(index)s del árbol") % {"index": expected})


def subtree(lo: int, hi: int) -> bytes:
    return merkle.root_of(leaf_hashes(lo, hi))


def _check_size(size: int):
    current = tree_size()
    if not 0 <= size <= current:
        raise TreeError(
            _("el árbol tiene %(current)s hojas; no hay árbol de %(size)s") % {"current": current, "size": size}
        )


def inclusion_proof(index: int, size: int) -> list[bytes]:
    _check_size(size)
    return merkle.inclusion_proof(index, size, subtree)


def consistency_proof(old_size: int, size: int) -> list[bytes]:
    _check_size(size)
    return merkle.consistency_proof(old_size, size, subtree)


# --- checkpoints -----------------------------------------------------------------------------
def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-id").first()


def sign_checkpoint() -> Checkpoint | None:
    """Sign the current tree head; None when the latest checkpoint already says the same."""
    signer = keys.signer()
    verifier = signer.verifier
    with transaction.atomic():
        _lock(MerkleLeaf._meta.db_table, "SHARE")  # no leaf is appended while we read them
        _lock(Checkpoint._meta.db_table, "SHARE ROW EXCLUSIVE")  # one signer at a time
        latest = latest_checkpoint()
        size = tree_size()
        if latest and latest.tree_size == size and latest.key_id == verifier.key_id.hex():
            return None
        if latest and latest.tree_size > size:
            raise TreeError(
                _("el árbol tiene %(size)s hojas y el último checkpoint %(signed)s: no se firma un árbol menor")
                % {"size": size, "signed": latest.tree_size}
            )
        frontier = merkle.unpack_frontier(latest.frontier) if latest else []
        start = latest.tree_size if latest else 0
        for offset, h in enumerate(leaf_hashes(start, size)):
            frontier = merkle.frontier_append(frontier, start + offset, h)
        root = merkle.frontier_root(frontier)
        checkpoint = Checkpoint.objects.create(
            tree_size=size,
            root_hash=root,
            frontier=merkle.pack_frontier(frontier),
            key_name=verifier.name,
            key_id=verifier.key_id.hex(),
            note=signer.sign(checkpoint_body(keys.origin(), size, root)),
        )
    # Published outside the database too (log shipping), like the seals' hashes.
    logger.info("audit checkpoint %s leaves root %s", size, root.hex())
    return checkpoint


@dataclass
class SealingRun:
    seals: list = field(default_factory=list)
    leaves_added: int = 0
    checkpoint: Checkpoint | None = None


def seal_and_checkpoint() -> SealingRun:
    """One sealing run: the HMAC seals, then new leaves, then a signed checkpoint."""
    keys.signer()  # fail before touching anything when the signing key is missing
    run = SealingRun(seals=sealing.seal_all())
    for log in sealing.log_tables():
        run.leaves_added += append_leaves(log)
    run.checkpoint = sign_checkpoint()
    return run


# --- entries as they read now ----------------------------------------------------------------
def _id_columns() -> dict[str, str]:
    return {log.table: log.id_column for log in sealing.log_tables()}


def _rows_by_id(table: str, id_column: str, columns: list[str], ids: list[int]) -> dict:
    quote = connection.ops.quote_name
    select = ", ".join(quote(c) for c in columns)
    position = columns.index(id_column)
    found = {}
    for start in range(0, len(ids), 500):  # IN lists, not = ANY: the demo runs on SQLite too
        chunk = ids[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {quote(table)} WHERE {quote(id_column)} IN ({marks})",  # noqa: S608 - catalogue names
                chunk,
            )
            found.update((row[position], row) for row in cursor.fetchall())
    return found


def recomputed_entries(size: int) -> Iterator[tuple[MerkleLeaf, bytes | None]]:
    """(leaf, entry bytes read from its row now, or None if the row is gone) for leaves 0..size-1."""
    from .archive import ArchivedRows  # audit.archive builds on this module

    id_columns = _id_columns()
    archived = ArchivedRows()  # rows of months archived and dropped, read from their archives
    layouts = {}
    for lo in range(0, size, BATCH):
        leaves = list(MerkleLeaf.objects.filter(index__gte=lo, index__lt=min(lo + BATCH, size)).order_by("index"))
        groups: dict[int, list[MerkleLeaf]] = {}
        for leaf in leaves:
            groups.setdefault(leaf.layout_id, []).append(leaf)
        rows = {}
        for layout_id, group in groups.items():
            if layout_id not in layouts:
                layouts[layout_id] = LeafLayout.objects.get(pk=layout_id)
            layout = layouts[layout_id]
            id_column = id_columns.get(layout.table)
            if id_column is None:
                continue  # the table is no longer a log table: every row reads as missing
            found = _rows_by_id(layout.table, id_column, list(layout.columns), [leaf.row_id for leaf in group])
            if archived and len(found) < len(group):
                missing = [leaf.row_id for leaf in group if leaf.row_id not in found]
                found.update(archived.by_id(layout.table, list(layout.columns), missing))
            for leaf in group:
                if leaf.row_id in found:
                    rows[leaf.index] = entry_bytes(layout.table, leaf.row_id, list(layout.columns), found[leaf.row_id])
        for expected, leaf in enumerate(leaves, start=lo):
            if leaf.index != expected:
                raise TreeError(_("falta la hoja %(index)s del árbol") % {"index": expected})
            yield leaf, rows.get(leaf.index)
        if len(leaves) < min(BATCH, size - lo):
            raise TreeError(_("falta la hoja %(index)s del árbol") % {"index": lo + len(leaves)})


def entries(size: int) -> Iterator[bytes]:
    """The entry bytes of leaves 0..size-1 as the rows read now (a gone row: ``missing_entry``)."""
    _check_size(size)
    for leaf, entry in recomputed_entries(size):
        yield entry if entry is not None else missing_entry(leaf.table, leaf.row_id)


# --- verification ----------------------------------------------------------------------------
@dataclass
class TreeBreak:
    problem: str
    leaf: int | None = None
    table: str = ""
    row_id: int | None = None
    checkpoint: int | None = None

    def __str__(self):
        if self.leaf is not None:
            return _("hoja %(leaf)s (tabla %(table)s, fila %(row)s): %(problem)s") % {
                "leaf": self.leaf,
                "table": self.table,
                "row": self.row_id,
                "problem": self.problem,
            }
        if self.row_id is not None:
            return _("tabla %(table)s, fila %(row)s: %(problem)s") % {
                "table": self.table,
                "row": self.row_id,
                "problem": self.problem,
            }
        if self.checkpoint is not None:
            return _("checkpoint de %(size)s hojas: %(problem)s") % {"size": self.checkpoint, "problem": self.problem}
        return _("árbol de la bitácora: %(problem)s") % {"problem": self.problem}


def _rows_outside_tree() -> TreeBreak | None:
    """A log row with an id the tree already passed but that is not a leaf (inserted behind it)."""
    quote = connection.ops.quote_name
    last = dict(MerkleLeaf.objects.values("table").annotate(m=Max("row_id")).values_list("table", "m"))
    for log in sealing.log_tables():
        if log.table not in last:
            continue
        id_col = quote(log.id_column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.{id_col} FROM {quote(log.table)} t WHERE t.{id_col} <= %s AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {quote(MerkleLeaf._meta.db_table)} l WHERE l.{quote('table')} = %s "
                f"AND l.row_id = t.{id_col}) ORDER BY t.{id_col} LIMIT 1",
                [last[log.table], log.table],
            )
            found = cursor.fetchone()
        if found:
            return TreeBreak(_("fila insertada detrás del árbol (no es hoja)"), table=log.table, row_id=found[0])
    return None


def verify_tree(report: sealing.Report) -> list[TreeBreak]:
    """Check every leaf against its row, every checkpoint's signature and root against the leaves,
    and that no row hides behind the tree. Adds counts to ``report``; returns the breaks found
    (the first bad leaf, the first bad checkpoint, the first row outside the tree)."""
    breaks: list[TreeBreak] = []
    try:
        verifiers = keys.verifiers()
    except NoteError as error:
        return [TreeBreak(str(error))]
    checkpoints = list(Checkpoint.objects.order_by("tree_size", "id"))
    size = tree_size()
    pending = [c for c in checkpoints if c.tree_size <= size]
    frontier: list[bytes] = []
    bad_leaf = bad_checkpoint = None

    def check_checkpoint(checkpoint, count):
        try:
            opened = open_checkpoint(checkpoint.note, verifiers)
        except NoteError as error:
            return TreeBreak(str(error), checkpoint=checkpoint.tree_size)
        if opened.size != checkpoint.tree_size or opened.root != bytes(checkpoint.root_hash):
            return TreeBreak(_("la nota firmada no coincide con el registro"), checkpoint=checkpoint.tree_size)
        if merkle.frontier_root(frontier) != opened.root or merkle.pack_frontier(frontier) != bytes(
            checkpoint.frontier
        ):
            return TreeBreak(_("la raíz no coincide con las hojas del árbol"), checkpoint=checkpoint.tree_size)
        return None

    try:
        while pending and pending[0].tree_size == 0:
            problem = check_checkpoint(pending.pop(0), 0)
            bad_checkpoint = bad_checkpoint or problem
            report.checkpoints_verified += problem is None
        for count, (leaf, entry) in enumerate(recomputed_entries(size), start=1):
            stored = bytes(leaf.leaf_hash)
            if bad_leaf is None:
                if entry is None:
                    bad_leaf = TreeBreak(_("fila borrada"), leaf.index, leaf.table, leaf.row_id)
                elif merkle.leaf_hash(entry) != stored:
                    bad_leaf = TreeBreak(_("fila modificada"), leaf.index, leaf.table, leaf.row_id)
            frontier = merkle.frontier_append(frontier, count - 1, stored)
            report.leaves_verified += 1
            while pending and pending[0].tree_size == count:
                problem = check_checkpoint(pending.pop(0), count)
                bad_checkpoint = bad_checkpoint or problem
                report.checkpoints_verified += problem is None
    except TreeError as error:
        return [TreeBreak(str(error))]
    except Exception as error:  # noqa: BLE001 - a dropped table or column is a break, not a crash
        return [TreeBreak(_("no se pudieron leer las filas del árbol (%(error)s)") % {"error": error})]
    for checkpoint in checkpoints:
        if checkpoint.tree_size > size:
            bad_checkpoint = bad_checkpoint or TreeBreak(
                _("el árbol tiene solo %(size)s hojas") % {"size": size}, checkpoint=checkpoint.tree_size
            )
    breaks += [b for b in (bad_leaf, bad_checkpoint, _rows_outside_tree()) if b is not None]
    return breaks


# --- the daily e-mail ------------------------------------------------------------------------
def checkpoint_recipients() -> list[str]:
    app_label, codename = keys.mail_permission().split(".", 1)
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if permission is None:
        return []
    users = get_user_model().objects.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def mail_checkpoint() -> int:
    """E-mail the latest checkpoint and the public key to the history log's readers: copies
    outside the portal, so a later rewrite is caught against them. Returns the recipients."""
    checkpoint = latest_checkpoint()
    recipients = checkpoint_recipients()
    if checkpoint is None or not recipients:
        return 0
    vkeys = "\n".join(v.vkey for v in keys.verifiers())
    body = _(
        "Checkpoint firmado de la bitácora (%(size)s hojas), tal como se firmó:\n\n%(note)s\n"
        "Llave pública de verificación:\n%(vkeys)s\n\n"
        "Guarde este correo: con él y la herramienta scripts/verify_bitacora.py cualquier persona puede "
        "comprobar, sin acceso al portal, que la bitácora no se reescribió después de hoy."
    ) % {"size": checkpoint.tree_size, "note": checkpoint.note, "vkeys": vkeys}
    subject = _("Bitácora: checkpoint firmado de %(size)s hojas") % {"size": checkpoint.tree_size}
    for email in recipients:  # one message each: no reader sees the others' addresses
        send_mail(subject, body, None, [email])
    return len(recipients)
