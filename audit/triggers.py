"""Append-only log tables at the database (PostgreSQL only; SQLite, the demo's, is skipped).

A trigger on every log table refuses UPDATE and DELETE, whoever the application's user is. Log
tables are found dynamically: this app's own tables and every table whose name matches the
simple-history pattern (``<app>_historical<model>``, including many-to-many history tables), so a
model that gets ``history = HistoricalRecords()`` later is covered by the next ``migrate``
(post_migrate hook) or by ``manage.py audit_install_triggers``. Installing is idempotent.

TRUNCATE is left alone on purpose: Django's test flush uses it. Seals (audit_verify) detect rows
that go missing however they went.
"""

from django.db import connections

TRIGGER_NAME = "audit_append_only"
FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'La bitácora solo admite inserciones: % rechazado en %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""
OWN_TABLES = (
    "audit_accessevent",
    "audit_event",
    "audit_seal",
    "audit_leaflayout",
    "audit_merkleleaf",
    "audit_checkpoint",
)
HISTORICAL_PATTERN = r"^[a-z0-9_]+_historical[a-z0-9_]+$"


def log_tables(using="default") -> list[str]:
    """Names of the existing log tables (PostgreSQL), in a stable order."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND (tablename ~ %s OR tablename = ANY(%s)) ORDER BY tablename",
            [HISTORICAL_PATTERN, list(OWN_TABLES)],
        )
        return [row[0] for row in cursor.fetchall()]


def tables_with_trigger(using="default") -> set[str]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE t.tgname = %s AND n.nspname = current_schema()",
            [TRIGGER_NAME],
        )
        return {row[0] for row in cursor.fetchall()}


def install(using="default") -> list[str]:
    """Install the function and the trigger where it is missing; return the tables newly covered."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    missing = [t for t in log_tables(using) if t not in tables_with_trigger(using)]
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in missing:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE ON {quote(table)} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            )
    return missing


def install_after_migrate(sender, using="default", **kwargs):
    # post_migrate fires once per app; install once, after the last app's signal is fine too
    # because install() is idempotent and cheap (two catalogue queries).
    if getattr(sender, "name", None) != "audit":
        return
    install(using)
