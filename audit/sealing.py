"""Tamper evidence: chained, HMAC-signed digests over every log table (audit_seal/audit_verify).

Each log table has its own chain of ``Seal`` rows. A seal covers the rows added since the
previous seal, hashed one by one over a canonical serialization (column name -> value, sorted by
name, JSON) in id order. While sealing, the table is locked in SHARE mode: inserts wait, and no
transaction still holding a lower id can commit into the range afterwards.
"""

import base64
import datetime as dt
import decimal
import hashlib
import heapq
import hmac
import json
import logging
import struct
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from .models import AccessEvent, Event, Seal

logger = logging.getLogger(__name__)
GENESIS = "0" * 64
MANIFEST_ENTRY = struct.Struct(">q8s")
BATCH = 5000


def seal_key() -> bytes:
    key = getattr(settings, "AUDIT_SEAL_KEY", "")
    if not key:
        raise ImproperlyConfigured("AUDIT_SEAL_KEY is not set: the history log cannot be sealed or verified.")
    return key.encode() if isinstance(key, str) else key


@dataclass(frozen=True)
class LogTable:
    table: str
    id_column: str


def log_tables() -> list[LogTable]:
    """The access and event tables plus every simple-history table, found in the app registry."""
    found = {
        AccessEvent._meta.db_table: "id",
        Event._meta.db_table: "id",
    }
    for model in apps.get_models():
        pk = model._meta.pk
        if pk is not None and pk.column in ("history_id", "m2m_history_id") and "historical" in model._meta.db_table:
            found[model._meta.db_table] = pk.column
    return [LogTable(t, c) for t, c in sorted(found.items())]


# --- canonical serialization -----------------------------------------------------------------
def _canonical_value(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, memoryview | bytes | bytearray):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def row_hash(table: str, columns: list[str], row) -> bytes:
    payload = json.dumps(
        [table, [[c, _canonical_value(v)] for c, v in zip(columns, row, strict=True)]],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).digest()


def seal_hash(seal: Seal) -> str:
    payload = json.dumps(
        {
            "table": seal.table,
            "sequence": seal.sequence,
            "first_row_id": seal.first_row_id,
            "last_row_id": seal.last_row_id,
            "row_count": seal.row_count,
            "columns": list(seal.columns),
            "rows_digest": seal.rows_digest,
            "manifest": hashlib.sha256(bytes(seal.manifest)).hexdigest(),
            "previous_hash": seal.previous_hash,
            "created_at": _canonical_value(seal.created_at),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def sign(digest: str) -> str:
    return hmac.new(seal_key(), digest.encode(), hashlib.sha256).hexdigest()


def _table_columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return sorted(col.name for col in description)


def _count_after(log: LogTable, after_id: int) -> int:
    """Rows of ``log`` not covered by a seal yet (ids above ``after_id``): one COUNT, no transfer."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {quote(log.table)} WHERE {quote(log.id_column)} > %s",  # noqa: S608 - catalogue names
            [after_id],
        )
        return cursor.fetchone()[0]


def iter_rows(log: LogTable, columns: list[str], after_id: int, up_to_id: int | None):
    """Yield (id, row) in id order for ``after_id < id <= up_to_id``, in batches."""
    quote = connection.ops.quote_name
    select = ", ".join(quote(c) for c in columns)
    id_col = quote(log.id_column)
    id_index = columns.index(log.id_column)
    last = after_id
    while True:
        sql = f"SELECT {select} FROM {quote(log.table)} WHERE {id_col} > %s"  # noqa: S608 - names from the catalogue
        params = [last]
        if up_to_id is not None:
            sql += f" AND {id_col} <= %s"
            params.append(up_to_id)
        sql += f" ORDER BY {id_col} LIMIT {BATCH}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for row in rows:
            yield row[id_index], row
        if len(rows) < BATCH:
            return
        last = rows[-1][id_index]


# --- sealing ---------------------------------------------------------------------------------
def seal_table(log: LogTable) -> Seal | None:
    """Seal the rows added to one table since its last seal; None when there is nothing new."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(log.table)} IN SHARE MODE")
        previous = Seal.objects.filter(table=log.table).order_by("-sequence").first()
        after_id = previous.last_row_id if previous else 0
        columns = _table_columns(log.table)
        digest = hashlib.sha256()
        manifest = bytearray()
        first_id = last_id = None
        count = 0
        for row_id, row in iter_rows(log, columns, after_id, None):
            h = row_hash(log.table, columns, row)
            digest.update(h)
            manifest += MANIFEST_ENTRY.pack(row_id, h[:8])
            first_id = row_id if first_id is None else first_id
            last_id = row_id
            count += 1
        if count == 0:
            return None
        seal = Seal(
            table=log.table,
            sequence=(previous.sequence + 1) if previous else 1,
            first_row_id=first_id,
            last_row_id=last_id,
            row_count=count,
            columns=columns,
            rows_digest=digest.hexdigest(),
            manifest=bytes(manifest),
            previous_hash=previous.seal_hash if previous else GENESIS,
            created_at=timezone.now(),
        )
        seal.seal_hash = seal_hash(seal)
        seal.signature = sign(seal.seal_hash)
        seal.save(force_insert=True)
    # Anchor outside the database too (log shipping): removing the newest seal of a chain
    # leaves no trace inside it, so the latest hashes must also exist elsewhere.
    logger.info("audit seal %s #%s rows %s-%s hash %s", seal.table, seal.sequence, first_id, last_id, seal.seal_hash)
    return seal


def seal_all() -> list[Seal]:
    seal_key()  # fail before touching anything when the key is missing
    return [seal for log in log_tables() if (seal := seal_table(log)) is not None]


# --- verification ----------------------------------------------------------------------------
@dataclass
class Break:
    table: str
    sequence: int | None
    row_id: int | None
    problem: str

    def __str__(self):
        where = [f"tabla {self.table}"]
        if self.sequence is not None:
            where.append(f"sello #{self.sequence}")
        if self.row_id is not None:
            where.append(f"fila {self.row_id}")
        return f"{', '.join(where)}: {self.problem}"


@dataclass
class Report:
    rows_verified: int = 0
    seals_verified: int = 0
    unsealed_rows: int = 0
    breaks: list | None = None
    leaves_verified: int = 0  # the Merkle tree's (audit.tlog.verify_tree)
    checkpoints_verified: int = 0


def _compare_rows(log, seal, rows):
    """First difference between the sealed manifest and the rows now in the range, or None."""
    expected = [MANIFEST_ENTRY.unpack_from(bytes(seal.manifest), i) for i in range(0, len(seal.manifest), 16)]
    i = 0
    digest = hashlib.sha256()
    for row_id, h in rows:
        digest.update(h)
        if i >= len(expected):
            return Break(log.table, seal.sequence, row_id, "fila insertada en un rango ya sellado")
        want_id, want_hash = expected[i]
        if row_id < want_id:
            return Break(log.table, seal.sequence, row_id, "fila insertada en un rango ya sellado")
        if row_id > want_id:
            return Break(log.table, seal.sequence, want_id, "fila borrada")
        if h[:8] != want_hash:
            return Break(log.table, seal.sequence, row_id, "fila modificada")
        i += 1
    if i < len(expected):
        return Break(log.table, seal.sequence, expected[i][0], "fila borrada")
    if digest.hexdigest() != seal.rows_digest:
        return Break(log.table, seal.sequence, None, "el resumen de filas no coincide con el sello")
    return None


def _sealed_rows(log: LogTable, columns: list[str], after_id: int, up_to_id: int, archived):
    """The rows a seal covers: those in the database, plus those of archived months no longer in
    it (audit.archive.ArchivedRows), merged in id order."""
    rows = iter_rows(log, columns, after_id, up_to_id)
    if archived and log.table in archived.months:
        rows = heapq.merge(rows, archived.rows(log.table, columns, after_id, up_to_id), key=lambda pair: pair[0])
    return rows


def verify_table(log: LogTable, report: Report, archived=None) -> Break | None:
    previous = None
    for seal in Seal.objects.filter(table=log.table).order_by("sequence").iterator():
        expected_sequence = previous.sequence + 1 if previous else 1
        if seal.sequence != expected_sequence:
            return Break(log.table, expected_sequence, None, "falta el sello (la cadena se interrumpe)")
        if seal.previous_hash != (previous.seal_hash if previous else GENESIS):
            return Break(log.table, seal.sequence, None, "no encadena con el sello anterior")
        if seal_hash(seal) != seal.seal_hash or not hmac.compare_digest(sign(seal.seal_hash), seal.signature):
            return Break(log.table, seal.sequence, None, "sello alterado (resumen o firma HMAC inválidos)")
        columns = list(seal.columns)
        after_id = previous.last_row_id if previous else 0
        try:
            rows = (
                (row_id, row_hash(log.table, columns, row))
                for row_id, row in _sealed_rows(log, columns, after_id, seal.last_row_id, archived)
            )
            problem = _compare_rows(log, seal, rows)
        except Exception as exc:  # noqa: BLE001 - a dropped column is a break, not a crash
            problem = Break(log.table, seal.sequence, None, f"no se pudieron leer las filas selladas ({exc})")
        if problem:
            return problem
        report.rows_verified += seal.row_count
        report.seals_verified += 1
        previous = seal
    after_id = previous.last_row_id if previous else 0
    report.unsealed_rows += _count_after(log, after_id)
    return None


def verify_all() -> Report:
    seal_key()
    report = Report(breaks=[])
    known = {log.table for log in log_tables()}
    sealed_tables = set(Seal.objects.values_list("table", flat=True).distinct())
    for table in sorted(sealed_tables - known):
        report.breaks.append(Break(table, None, None, "hay sellos de una tabla que ya no existe"))
    from .archive import ArchivedRows  # audit.archive builds on this module

    archived = ArchivedRows()
    for log in log_tables():
        problem = verify_table(log, report, archived)
        if problem is not None:
            report.breaks.append(problem)
    return report
