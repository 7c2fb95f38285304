"""Monthly partitions of the history log's two big tables (PostgreSQL only; SQLite keeps plain tables).

``audit_accessevent`` and ``audit_event`` are range-partitioned on ``occurred_at`` (stored in
UTC). A month is a month in America/Mexico_City, the time every person reading the log uses:
the partition ``audit_event_p2026_11`` holds the rows from 2026-11-01 00:00 to 2026-12-01 00:00
Mexico City time, so the archive of "noviembre" is what an auditor calls November. A DEFAULT
partition catches any row no monthly partition covers (a back-dated row, a missed job), so a
log row is never refused for want of a partition.

PostgreSQL requires the partition key in every unique constraint: the primary key is
``(id, occurred_at)`` at the database, while Django keeps ``id`` as the primary key (ids come
from one sequence per table, so they stay unique across partitions).

The append-only trigger is created on the parent: PostgreSQL clones it onto every partition,
present and future (including a month re-attached from its archive).
"""

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connections, transaction
from django.utils import timezone

from . import triggers

logger = logging.getLogger(__name__)
MEXICO_CITY = ZoneInfo("America/Mexico_City")
PARTITIONED_TABLES = ("audit_accessevent", "audit_event")
DEFAULT_SUFFIX = "_pdefault"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """``YYYY-MM`` -> Month; ValueError otherwise."""
        try:
            parsed = dt.datetime.strptime(text.strip(), "%Y-%m")
        except ValueError as error:
            raise ValueError(f"Mes inválido {text!r}: use el formato AAAA-MM, por ejemplo 2026-01.") from error
        return cls(parsed.year, parsed.month)

    @classmethod
    def of(cls, moment: dt.datetime) -> "Month":
        """The Mexico City month a UTC moment falls in."""
        local = moment.astimezone(MEXICO_CITY)
        return cls(local.year, local.month)

    @classmethod
    def current(cls) -> "Month":
        return cls.of(timezone.now())

    def __str__(self):
        return f"{self.year:04d}-{self.month:02d}"

    def shift(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def months_before(self, other: "Month") -> int:
        """How many months this one is before ``other`` (negative when after)."""
        return (other.year * 12 + other.month) - (self.year * 12 + self.month)

    @property
    def start(self) -> dt.datetime:
        """First instant of the month in Mexico City, as an aware UTC datetime."""
        return dt.datetime(self.year, self.month, 1, tzinfo=MEXICO_CITY).astimezone(dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return self.shift(1).start

    def partition(self, table: str) -> str:
        return f"{table}_p{self.year:04d}_{self.month:02d}"


def _literal(moment: dt.datetime) -> str:
    # Built from datetimes computed here, never from input: safe to inline in DDL.
    return "'" + moment.astimezone(dt.UTC).isoformat() + "'"


def is_partitioned(table: str, using: str = "default") -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
            [table],
        )
        return cursor.fetchone() is not None


def partitions(table: str, using: str = "default") -> list[str]:
    """Names of the partitions currently attached to ``table``, sorted."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s "
            "AND p.relnamespace = current_schema()::regnamespace ORDER BY c.relname",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def table_exists(name: str, using: str = "default") -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def count_in(table: str, month: Month, using: str = "default") -> int:
    """Rows of ``table`` (a parent or one partition) that fall in ``month``."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608 - catalogue names
            "WHERE occurred_at >= %s AND occurred_at < %s",
            [month.start, month.end],
        )
        return cursor.fetchone()[0]


class PartitionError(Exception):
    pass


def create_month(table: str, month: Month, using: str = "default") -> bool:
    """Create ``month``'s partition of ``table``; False when it already exists.

    PartitionError when rows of that month already sit in the DEFAULT partition: moving them
    would mean deleting log rows, which the append-only trigger refuses (and should).
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    name = month.partition(table)
    if name in partitions(table, using):
        return False
    default = table + DEFAULT_SUFFIX
    if table_exists(default, using) and count_in(default, month, using):
        raise PartitionError(
            f"La partición por omisión de {table} ya tiene filas de {month}: no se crea su partición mensual."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote(name)} PARTITION OF {quote(table)} "
            f"FOR VALUES FROM ({_literal(month.start)}) TO ({_literal(month.end)})"
        )
    return True


def ensure_months(first: Month, last: Month, using: str = "default") -> list[str]:
    """Create the partitions of every month from ``first`` to ``last`` that is missing (e.g.
    before bulk-loading past months); idempotent. Returns the partitions created. A month whose
    rows already sit in the default partition is skipped with a warning."""
    if connections[using].vendor != "postgresql":
        return []
    created = []
    for table in PARTITIONED_TABLES:
        if not is_partitioned(table, using):
            continue
        month = first
        while month <= last:
            try:
                with transaction.atomic(using=using):
                    if create_month(table, month, using):
                        created.append(month.partition(table))
            except PartitionError as error:
                logger.warning("%s", error)
            month = month.shift(1)
    return created


def ensure_ahead(months_ahead: int = 2, using: str = "default") -> list[str]:
    """Create the partitions of the current Mexico City month and the next ``months_ahead``
    (beat runs it daily; idempotent). Returns the partitions created."""
    current = Month.current()
    return ensure_months(current, current.shift(months_ahead), using)


# --- moving a plain table into a partitioned one (migration 0006) ---------------------------
def _index_definitions(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = %s AND t.relnamespace = current_schema()::regnamespace AND NOT x.indisprimary "
        "ORDER BY i.relname",
        [table],
    )
    return cursor.fetchall()


def _swap(schema_editor, table: str, *, partitioned: bool) -> None:
    """Rebuild ``table`` (partitioned or plain), copying every row, keeping its indexes, its id
    sequence position, and the append-only trigger. Runs inside the migration's transaction:
    the old table is locked for the copy and either everything is swapped or nothing is."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    old = f"{table}_before_swap"
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {quote(table)} IN ACCESS EXCLUSIVE MODE")
        indexes = _index_definitions(cursor, table)
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", [table])
        pkey = cursor.fetchone()[0]
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        old_sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT max(id), min(occurred_at) FROM {quote(table)}")  # noqa: S608
        max_id, first_at = cursor.fetchone()

        cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        cursor.execute(f"ALTER TABLE {quote(old)} RENAME CONSTRAINT {quote(pkey)} TO {quote(old + '_pkey')}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        # The old sequence belongs to the old identity column and goes with it: a new one,
        # started after the last id, feeds the new table.
        sequence = f"{table}_id_seq"
        cursor.execute(f"ALTER SEQUENCE {old_sequence} RENAME TO {quote(sequence + '_before_swap')}")
        cursor.execute(
            f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            "INCLUDING STORAGE INCLUDING COMMENTS)" + (" PARTITION BY RANGE (occurred_at)" if partitioned else "")
        )
        cursor.execute(f"CREATE SEQUENCE {quote(sequence)} AS bigint OWNED BY {quote(table)}.id")
        if max_id is not None:
            cursor.execute("SELECT setval(%s, %s)", [sequence, max_id])
        cursor.execute(f"ALTER TABLE {quote(table)} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)", [sequence])
        key = "(id, occurred_at)" if partitioned else "(id)"
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(pkey)} PRIMARY KEY {key}")
        if partitioned:
            cursor.execute(f"CREATE TABLE {quote(table + DEFAULT_SUFFIX)} PARTITION OF {quote(table)} DEFAULT")
            now = Month.current()
            month = Month.of(first_at) if first_at is not None else now
            month = min(month, now)
            while month <= now.shift(2):
                create_month(table, month, connection.alias)
                month = month.shift(1)
        for _name, definition in indexes:
            # Read before the rename, the definition names the table as it is called again now;
            # a partitioned table's index reads "ON ONLY", which a plain table does not need.
            cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
        columns = ", ".join(quote(c.name) for c in connection.introspection.get_table_description(cursor, old))
        cursor.execute(f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM {quote(old)}")  # noqa: S608
        cursor.execute(f"SELECT count(*) FROM {quote(old)}")  # noqa: S608
        before = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608
        after = cursor.fetchone()[0]
        if before != after:
            raise RuntimeError(f"{table}: {before} filas antes y {after} después de la copia; nada se cambió.")
        # DROP TABLE fires no row trigger: the append-only rule is about rows, and every row
        # is now in the new table.
        cursor.execute(f"DROP TABLE {quote(old)}")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {quote(sequence + '_before_swap')}")
    triggers.install(connection.alias)


def partition_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # the demo's SQLite keeps plain tables
    for table in PARTITIONED_TABLES:
        if not is_partitioned(table, schema_editor.connection.alias):
            _swap(schema_editor, table, partitioned=True)


def unpartition_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in PARTITIONED_TABLES:
        if is_partitioned(table, schema_editor.connection.alias):
            _swap(schema_editor, table, partitioned=False)
