"""Archive a month of the history log to file storage, drop it when retention allows, bring it back.

``archive_month`` writes, per partitioned table, ``bitacora/<YYYY-MM>/<table>.jsonl.gz``: one JSON
object per row (column -> value as the seals read it, ``sealing._canonical_value``), in id order,
gzip-compressed; and ``bitacora/<YYYY-MM>/manifest.json`` with each file's SHA-256, row count,
first and last id, the digest of its rows (SHA-256 over every row's seal hash, in id order) and
the signed checkpoint whose tree holds every row of the month. Only sealed months are archived:
a row not yet in the Merkle tree would leave the archive without a checkpoint that covers it.

The copy is then read back from the storage and checked (checksum, count, row digest, and every
row against its leaf in the signed tree) before the partition may be detached and dropped, which
also needs the retention (``AUDIT_RETENTION_MONTHS``; None, the default, keeps everything) to
allow it. ``restore_month`` re-creates the partition from the archive and checks it again, so
the month is searchable, exportable and verifiable as before.
"""

import bisect
import gzip
import hashlib
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.db import connection, transaction

from . import merkle, partitions, sealing, tlog
from .models import MerkleLeaf
from .partitions import Month
from .tlog import latest_checkpoint

STORAGE_ALIAS = "audit_archive"
BATCH = sealing.BATCH


class ArchiveError(Exception):
    """A refusal with a message for the operator (Spanish, like the commands)."""


def storage():
    return storages[STORAGE_ALIAS] if STORAGE_ALIAS in settings.STORAGES else storages["default"]


def folder(month: Month) -> str:
    return f"bitacora/{month}"


def data_path(month: Month, table: str) -> str:
    return f"{folder(month)}/{table}.jsonl.gz"


def manifest_path(month: Month) -> str:
    return f"{folder(month)}/manifest.json"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def month_rows(table: str, month: Month, columns: list[str]):
    """(id, row) of ``table`` in ``month``, in id order, read in batches (keyset on id)."""
    select = ", ".join(_quote(c) for c in columns)
    id_index = columns.index("id")
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {_quote(table)} WHERE occurred_at >= %s AND occurred_at < %s "  # noqa: S608
                f"AND id > %s ORDER BY id LIMIT {BATCH}",
                [month.start, month.end, last],
            )
            rows = cursor.fetchall()
        for row in rows:
            yield row[id_index], row
        if len(rows) < BATCH:
            return
        last = rows[-1][id_index]


def canonical_row(columns: list[str], row) -> dict:
    return {c: sealing._canonical_value(v) for c, v in zip(columns, row, strict=True)}


@dataclass
class TableDigest:
    rows: int = 0
    first_id: int | None = None
    last_id: int | None = None
    digest: "hashlib._Hash" = field(default_factory=hashlib.sha256)

    def add(self, table: str, columns: list[str], row_id: int, values) -> None:
        # The canonical values hash exactly like the values they come from (row_hash reads
        # both the same way): an archived row and the same row in the database agree.
        self.digest.update(sealing.row_hash(table, columns, values))
        self.rows += 1
        self.first_id = row_id if self.first_id is None else self.first_id
        self.last_id = row_id

    def summary(self) -> dict:
        return {
            "rows": self.rows,
            "first_id": self.first_id,
            "last_id": self.last_id,
            "rows_digest": self.digest.hexdigest(),
        }


def database_digest(table: str, month: Month) -> dict:
    columns = sealing._table_columns(table)
    digest = TableDigest()
    for row_id, row in month_rows(table, month, columns):
        digest.add(table, columns, row_id, row)
    return digest.summary()


def _last_leaf(table: str, month: Month, rows: int) -> int | None:
    """The largest leaf index among the month's rows; ArchiveError if one is not a leaf yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), max(l.{_quote('index')}) FROM {_quote(table)} t "  # noqa: S608 - catalogue names
            f"JOIN {_quote(MerkleLeaf._meta.db_table)} l ON l.{_quote('table')} = %s AND l.row_id = t.id "
            "WHERE t.occurred_at >= %s AND t.occurred_at < %s",
            [table, month.start, month.end],
        )
        in_tree, last_leaf = cursor.fetchone()
    if in_tree != rows:
        raise ArchiveError(
            f"{table}: {rows - in_tree} filas de {month} aún no están en el árbol de la bitácora; "
            "ejecute primero `manage.py audit_seal`."
        )
    return last_leaf


def _layouts() -> dict[int, list[str]]:
    from .models import LeafLayout

    return {layout.pk: list(layout.columns) for layout in LeafLayout.objects.all()}


def chunks(rows: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_against_tree(table: str, rows: Iterable[dict]) -> int:
    """Every archived row recomputes the leaf hash it has in the signed tree; returns the count."""
    layouts = _layouts()
    count = 0
    for chunk in chunks(rows):
        count += len(chunk)
        ids = [row["id"] for row in chunk]
        leaves = {
            row_id: (layout_id, bytes(h))
            for row_id, layout_id, h in MerkleLeaf.objects.filter(table=table, row_id__in=ids).values_list(
                "row_id", "layout_id", "leaf_hash"
            )
        }
        for row in chunk:
            if row["id"] not in leaves:
                raise ArchiveError(f"{table}: la fila {row['id']} del archivo no es hoja del árbol.")
            layout_id, stored = leaves[row["id"]]
            columns = layouts[layout_id]
            entry = tlog.entry_bytes(table, row["id"], columns, [row.get(c) for c in columns])
            if merkle.leaf_hash(entry) != stored:
                raise ArchiveError(f"{table}: la fila {row['id']} del archivo no coincide con su hoja del árbol.")
    return count


def _write(path: str, content) -> None:
    """Save bytes or a file object at exactly ``path`` (replacing an earlier copy)."""
    store = storage()
    if store.exists(path):
        store.delete(path)
    saved = store.save(path, ContentFile(content) if isinstance(content, bytes) else File(content))
    if saved != path:
        raise ArchiveError(f"El almacenamiento guardó {saved} en lugar de {path}.")


def _open(path: str):
    store = storage()
    if not store.exists(path):
        raise ArchiveError(f"No existe el archivo {path} en el almacenamiento de la bitácora.")
    return store.open(path, "rb")


def _read(path: str) -> bytes:
    with _open(path) as handle:
        return handle.read()


class _HashingReader:
    """A file wrapper that hashes every byte read through it."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def read_manifest(month: Month) -> dict:
    return json.loads(_read(manifest_path(month)).decode())


def iter_archived(month: Month, table: str, expected: dict) -> Iterator[dict]:
    """The rows of one archived file, streamed; after the last one, ArchiveError unless its
    checksum, count and row digest match the manifest (callers work inside a transaction or
    conclude only at the end)."""
    columns = expected["columns"]
    digest = TableDigest()
    with _open(data_path(month, table)) as handle:
        reader = _HashingReader(handle)
        with gzip.GzipFile(fileobj=reader, mode="rb") as gz:
            for line in gz:
                row = json.loads(line)
                digest.add(table, columns, row["id"], [row[c] for c in columns])
                yield row
        while reader.read(1 << 20):
            pass  # anything after the gzip stream counts in the file's checksum too
    if reader.sha256.hexdigest() != expected["sha256"]:
        raise ArchiveError(f"{data_path(month, table)}: la suma SHA-256 no coincide con el manifiesto.")
    summary = digest.summary()
    for key in ("rows", "first_id", "last_id", "rows_digest"):
        if summary[key] != expected[key]:
            raise ArchiveError(f"{data_path(month, table)}: {key} del archivo no coincide con el manifiesto.")


def check_checksum(month: Month, table: str, expected: dict) -> None:
    """The archived file's SHA-256 is the manifest's: read through once before anything else."""
    checksum = hashlib.sha256()
    with _open(data_path(month, table)) as handle:
        while block := handle.read(1 << 20):
            checksum.update(block)
    if checksum.hexdigest() != expected["sha256"]:
        raise ArchiveError(f"{data_path(month, table)}: la suma SHA-256 no coincide con el manifiesto.")


def archived_rows(month: Month, table: str, expected: dict) -> list[dict]:
    return list(iter_archived(month, table, expected))


@dataclass
class Archived:
    month: Month
    manifest: dict
    dropped: list[str] = field(default_factory=list)


def _online(table: str, month: Month) -> bool:
    return month.partition(table) in partitions.partitions(table)


def archive_month(month: Month) -> Archived:
    """Write and check the archive of ``month`` (see the module docstring); ArchiveError if refused."""
    if month >= Month.current():
        raise ArchiveError(f"El mes {month} no ha terminado: solo se archivan meses cerrados.")
    if storage().exists(manifest_path(month)) and any(
        partitions.is_partitioned(t) and not _online(t, month) for t in partitions.PARTITIONED_TABLES
    ):
        raise ArchiveError(
            f"El mes {month} ya está archivado y retirado de la base de datos; "
            f"para volver a consultarlo use `manage.py audit_restore --month {month}`."
        )
    sealing.seal_key()
    manifest: dict = {
        "format": "portal-bitacora-archive/1",
        "month": str(month),
        "time_zone": "America/Mexico_City",
        "from_utc": month.start.isoformat(),
        "to_utc": month.end.isoformat(),
        "tables": {},
    }
    last_leaf = None
    with transaction.atomic():
        for table in partitions.PARTITIONED_TABLES:
            if partitions.is_partitioned(table):
                # Nothing is inserted into the month (a back-dated row) while it is copied. Only
                # that month's partition is locked: today's requests keep being logged.
                held = month.partition(table) if _online(table, month) else table + partitions.DEFAULT_SUFFIX
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {_quote(held)} IN SHARE MODE")
            columns = sealing._table_columns(table)
            digest = TableDigest()
            checksum = hashlib.sha256()
            with tempfile.TemporaryFile() as spool:  # a month can be millions of rows: not in memory
                with gzip.GzipFile(fileobj=spool, mode="wb", mtime=0) as gz:
                    for row_id, row in month_rows(table, month, columns):
                        values = canonical_row(columns, row)
                        gz.write(json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())
                        gz.write(b"\n")
                        digest.add(table, columns, row_id, row)
                table_leaf = _last_leaf(table, month, digest.rows)
                if table_leaf is not None:
                    last_leaf = table_leaf if last_leaf is None else max(last_leaf, table_leaf)
                spool.seek(0)
                while block := spool.read(1 << 20):
                    checksum.update(block)
                spool.seek(0)
                _write(data_path(month, table), spool)
            manifest["tables"][table] = {
                "file": data_path(month, table),
                "sha256": checksum.hexdigest(),
                "columns": columns,
                **digest.summary(),
            }
    checkpoint = latest_checkpoint()
    if last_leaf is not None and (checkpoint is None or checkpoint.tree_size <= last_leaf):
        raise ArchiveError(
            f"Ningún checkpoint firmado cubre aún las filas de {month}; ejecute primero `manage.py audit_seal`."
        )
    if checkpoint is not None:
        manifest["checkpoint"] = {
            "tree_size": checkpoint.tree_size,
            "root_hash": bytes(checkpoint.root_hash).hex(),
            "note": checkpoint.note,
        }
    manifest["last_leaf_index"] = last_leaf
    _write(manifest_path(month), json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    verify_archive(month)
    return Archived(month, manifest)


def verify_archive(month: Month) -> dict:
    """Read the archive back from storage and check it against itself, the signed tree, and the
    rows still in the database (when the month is online). Returns the manifest."""
    manifest = read_manifest(month)
    for table, expected in manifest["tables"].items():
        check_against_tree(table, iter_archived(month, table, expected))
        if not partitions.is_partitioned(table) or _online(table, month):
            now = database_digest(table, month)
            if now != {k: expected[k] for k in now}:
                raise ArchiveError(f"{table}: las filas de {month} en la base de datos no coinciden con el archivo.")
    return manifest


def retention_allows(month: Month) -> bool:
    """Whether ``AUDIT_RETENTION_MONTHS`` lets ``month`` leave the database: None keeps every
    month; N keeps the current month and the N before it."""
    keep = getattr(settings, "AUDIT_RETENTION_MONTHS", None)
    return keep is not None and month.months_before(Month.current()) > keep


def drop_month(month: Month) -> list[str]:
    """Detach and drop ``month``'s partitions, after checking the archive again. ArchiveError
    when retention keeps the month, the archive does not check, or the month is not a partition."""
    if connection.vendor != "postgresql":
        raise ArchiveError("Solo en PostgreSQL la bitácora está particionada por mes: no hay partición que retirar.")
    keep = getattr(settings, "AUDIT_RETENTION_MONTHS", None)
    if not retention_allows(month):
        held = (
            "se conservan todos los meses" if keep is None else f"se conservan el mes en curso y los {keep} anteriores"
        )
        raise ArchiveError(
            f"La retención configurada no permite retirar {month} ({held}; ajuste AUDIT_RETENTION_MONTHS). "
            "El archivo quedó escrito y verificado; la partición se conserva."
        )
    manifest = verify_archive(month)
    dropped = []
    with transaction.atomic():
        for table in partitions.PARTITIONED_TABLES:
            name = month.partition(table)
            if not _online(table, month):
                raise ArchiveError(f"{table}: {month} no es una partición en línea.")
            default = table + partitions.DEFAULT_SUFFIX
            if partitions.table_exists(default) and partitions.count_in(default, month):
                raise ArchiveError(f"{table}: hay filas de {month} en la partición por omisión; no se retira el mes.")
            if partitions.count_in(name, month) != manifest["tables"][table]["rows"]:
                raise ArchiveError(f"{table}: la partición de {month} cambió desde que se archivó.")
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {_quote(table)} DETACH PARTITION {_quote(name)}")
                # DROP TABLE fires no row trigger; the rows live on in the checked archive.
                cursor.execute(f"DROP TABLE {_quote(name)}")
            dropped.append(name)
    return dropped


def _column_types(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table],
        )
        return dict(cursor.fetchall())


def restore_month(month: Month) -> dict[str, int]:
    """Re-create ``month``'s partitions from the archive and check them; returns rows per table."""
    if connection.vendor != "postgresql":
        raise ArchiveError("Solo en PostgreSQL la bitácora está particionada por mes.")
    manifest = read_manifest(month)
    restored = {}
    with transaction.atomic():
        for table, expected in manifest["tables"].items():
            check_checksum(month, table, expected)
            if _online(table, month):
                if partitions.count_in(month.partition(table), month):
                    raise ArchiveError(f"{table}: {month} ya está en línea; no hay nada que restaurar.")
            else:
                try:
                    partitions.create_month(table, month)
                except partitions.PartitionError as error:
                    raise ArchiveError(str(error)) from error
            columns = expected["columns"]
            types = _column_types(table)
            # Values go in as text and the column's own type reads them back: the same input
            # the seals' canonical form came from (JSON text, ISO timestamps, addresses).
            marks = ", ".join(f"%s::{types[c]}" for c in columns)
            sql = f"INSERT INTO {_quote(table)} ({', '.join(_quote(c) for c in columns)}) VALUES ({marks})"  # noqa: S608
            count = 0
            # Streamed: each chunk is checked against the signed tree before it goes in, the
            # file's checksum and digest at the end; any failure rolls the whole month back.
            for chunk in chunks(iter_archived(month, table, expected)):
                check_against_tree(table, chunk)
                with connection.cursor() as cursor:
                    cursor.executemany(sql, [[row[c] for c in columns] for row in chunk])
                count += len(chunk)
            now = database_digest(table, month)
            if now != {k: expected[k] for k in now}:
                raise ArchiveError(f"{table}: las filas restauradas de {month} no coinciden con el archivo.")
            restored[table] = count
    return restored


class ArchivedRows:
    """The rows of months archived and dropped from the database, read back from their archives
    (each file checked against its manifest when first read), so that audit_verify and
    audit_leaves still cover every row of the history log while a month is offline."""

    CACHED_MONTHS = 4

    def __init__(self):
        self.months: dict[str, list[tuple[int, int, Month, dict]]] = {}
        self._cache: dict[tuple[str, Month], tuple[list[int], list[dict]]] = {}
        if connection.vendor != "postgresql":
            return
        try:
            names, _files = storage().listdir("bitacora")
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in sorted(names):
            try:
                month = Month.parse(name)
                manifest = read_manifest(month)
            except (ValueError, ArchiveError):
                continue
            for table, expected in manifest["tables"].items():
                if expected["rows"] and partitions.is_partitioned(table) and not _online(table, month):
                    self.months.setdefault(table, []).append(
                        (expected["first_id"], expected["last_id"], month, expected)
                    )

    def __bool__(self):
        return bool(self.months)

    def _month(self, table: str, month: Month, expected: dict) -> tuple[list[int], list[dict]]:
        key = (table, month)
        if key not in self._cache:
            if len(self._cache) >= self.CACHED_MONTHS:
                self._cache.pop(next(iter(self._cache)))
            rows = archived_rows(month, table, expected)  # ArchiveError when the file changed
            self._cache[key] = ([row["id"] for row in rows], rows)
        return self._cache[key]

    def rows(self, table: str, columns: list[str], after_id: int, up_to_id: int | None):
        """(id, values in ``columns`` order) of archived rows with ``after_id < id <= up_to_id``."""
        found = []
        for first_id, last_id, month, expected in self.months.get(table, []):
            if last_id <= after_id or (up_to_id is not None and first_id > up_to_id):
                continue
            ids, rows = self._month(table, month, expected)
            lo = bisect.bisect_right(ids, after_id)
            hi = len(ids) if up_to_id is None else bisect.bisect_right(ids, up_to_id)
            found += [(row["id"], tuple(row.get(c) for c in columns)) for row in rows[lo:hi]]
        return sorted(found, key=lambda pair: pair[0])

    def by_id(self, table: str, columns: list[str], wanted: list[int]) -> dict:
        found = {}
        for first_id, last_id, month, expected in self.months.get(table, []):
            inside = [i for i in wanted if first_id <= i <= last_id]
            if not inside:
                continue
            ids, rows = self._month(table, month, expected)
            for row_id in inside:
                at = bisect.bisect_left(ids, row_id)
                if at < len(ids) and ids[at] == row_id:
                    found[row_id] = tuple(rows[at].get(c) for c in columns)
        return found
