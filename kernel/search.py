"""Search that Spanish speakers expect: "jose perez" finds "José Pérez", and parts of names match.

``search(queryset, text, fields)`` keeps the rows where every word typed appears, with accents
and case ignored, somewhere in ``fields`` read as one text (the fields joined with spaces, so
"jose perez" finds given names "José" and paternal surname "Pérez"; "pere" finds "Pérez"). Every
search box of the portal goes through it.

The database compares ``portal_unaccent(lower(f1 || ' ' || f2 ...))`` with ``LIKE '%word%'``:

- PostgreSQL: ``portal_unaccent`` is an IMMUTABLE wrapper of the ``unaccent`` extension's function
  (the extension's own is only STABLE, because its dictionary could change, so it cannot be
  indexed). A GIN trigram index (``pg_trgm``) on that same expression serves ``LIKE '%...%'``
  without reading every row; an app adds it with ``trigram_index_operation`` in a migration, with
  the same fields in the same order as its searches (``search_expression`` builds both).
- SQLite (the demo): the same function name is registered on each connection, written in Python
  (``normalise``); no index, the demo's tables are small.
"""

import unicodedata

from django.db import migrations
from django.db.backends.signals import connection_created
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Coalesce, Concat, Lower

FUNCTION = "portal_unaccent"
ALIAS = "portal_search_text"
MAX_WORDS = 8  # a search box is not a document: beyond this, words are ignored

# Idempotent: every app's index migration runs it, whichever comes first. unaccent and pg_trgm are
# trusted extensions (PostgreSQL 13+): the database's owner may create them.
INSTALL_SQL = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION {FUNCTION}(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN unaccent('unaccent'::regdictionary, $1);
"""


def normalise(text) -> str:
    """``text`` without accents (é -> e, ñ -> n, ü -> u) and in lower case."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text) -> list[str]:
    return normalise(text).split()[:MAX_WORDS]


class Unaccent(Func):
    function = FUNCTION
    output_field = TextField()


def search_expression(*fields):
    """``portal_unaccent(lower(f1 || ' ' || f2 ...))``: what a search compares and an index holds."""
    if len(fields) == 1:
        joined = Coalesce(F(fields[0]), Value(""), output_field=TextField())
    else:  # Concat reads a NULL as ""
        spaced = [F(fields[0])]
        for name in fields[1:]:
            spaced += [Value(" "), F(name)]
        joined = Concat(*spaced, output_field=TextField())
    return Unaccent(Lower(joined))


def search(queryset, text, fields):
    """Rows of ``queryset`` where each word of ``text`` appears in ``fields`` (accents and case aside)."""
    typed = words(text)
    if not typed:
        return queryset
    queryset = queryset.alias(**{ALIAS: search_expression(*fields)})
    for word in typed:
        queryset = queryset.filter(**{f"{ALIAS}__contains": word})
    return queryset


def trigram_index_operation(app_label, model_name, fields, name):
    """A migration operation: the GIN trigram index of ``search_expression(*fields)`` on PostgreSQL
    (with the extensions and the function it needs); nothing on other databases."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(INSTALL_SQL)
        model = apps.get_model(app_label, model_name)
        # The expression compiled exactly as a search compiles it, so the planner matches the two.
        query = model._default_manager.all().query
        compiler = query.get_compiler(connection=schema_editor.connection)
        sql, params = search_expression(*fields).resolve_expression(query).as_sql(compiler, schema_editor.connection)
        expression = sql % tuple(schema_editor.quote_value(p) for p in params)
        table, index = schema_editor.quote_name(model._meta.db_table), schema_editor.quote_name(name)
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (({expression}) gin_trgm_ops)")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    return migrations.RunPython(forwards, backwards, elidable=False)


def _register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, _sqlite_unaccent, deterministic=True)


def _sqlite_unaccent(text):
    return None if text is None else normalise(text)


def register():
    """Give SQLite connections the search function (called once by the shell's AppConfig)."""
    connection_created.connect(_register_on_sqlite, dispatch_uid="kernel_search_sqlite")
