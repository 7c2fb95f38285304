"""Bulk rows for benchmarks: one INSERT ... SELECT over generate_series per table, on PostgreSQL.

``bulk_insert(Model, n, overrides)`` builds the statement from the model's fields: each column
gets a plausible SQL expression for its type (unique text columns get the row number ``g``, choice
columns cycle through their choices, dates spread over a year), and ``overrides`` gives the SQL
expression of any column by field name (foreign keys, and anything a constraint needs).

This writes a throwaway benchmark database directly, bypassing the portal's services and the
history log on purpose: millions of rows through the ORM would take hours. It is never used by
the portal itself.
"""

import time

from django.db import connection, models


def _literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value).replace("'", "''")
    return f"'{text}'"


def _default_expression(field):
    kind = field.get_internal_type()
    if field.choices:
        values = [c[0] for c in field.flatchoices]
        cases = " ".join(f"WHEN {i} THEN {_literal(v)}" for i, v in enumerate(values))
        return f"(CASE (g % {len(values)}) {cases} END)"
    if field.has_default() and not callable(field.default):
        if kind == "JSONField":
            return f"'{_json(field.default)}'::jsonb"
        return _literal(field.default)
    if kind in ("CharField", "SlugField", "EmailField", "TextField", "URLField"):
        limit = field.max_length or 200
        if field.unique:
            prefix = field.column[: max(1, limit - 9)]
            return f"('{prefix}' || g)"
        if field.null:
            return "NULL"
        return f"left('{field.column} ' || g, {limit})"
    if kind == "DateField":
        return "(current_date - (g % 365)::int)"
    if kind == "DateTimeField":
        return "(now() - make_interval(mins => (g % 525600)::int))"
    if kind == "BooleanField":
        return "false"
    if kind in ("IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField"):
        return "(1 + g % 10)"
    if kind in ("BigIntegerField", "PositiveBigIntegerField"):
        return "g"
    if kind == "DecimalField":
        return "0"
    if kind == "JSONField":
        return "'{}'::jsonb"
    if kind == "GenericIPAddressField":
        return "'10.0.0.1'::inet"
    if kind == "UUIDField":
        return "gen_random_uuid()"
    if kind in ("FileField", "ImageField"):
        return "''"
    if kind == "BinaryField":
        return "''::bytea"
    if field.null:
        return "NULL"
    raise ValueError(f"{field.model.__name__}.{field.name}: give an override for {kind}")


def _json(value):
    import json

    return json.dumps(value).replace("'", "''")


def bulk_insert(model, n, overrides=None, *, source=None, with_sql=""):
    """Insert ``n`` rows of ``model``; returns the seconds it took.

    ``source`` replaces ``generate_series(1, n) AS g`` (it must still define ``g``);
    ``with_sql`` is put before the INSERT (a ``WITH`` clause the expressions may use).
    """
    overrides = overrides or {}
    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.AutoField | models.BigAutoField)
            or field.primary_key
            and field.name not in overrides
        ):
            continue
        if field.name in overrides:
            expression = overrides[field.name]
        elif field.attname in overrides:
            expression = overrides[field.attname]
        elif field.is_relation:
            if not field.null:
                raise ValueError(f"{model.__name__}.{field.name}: a foreign key needs an override")
            expression = "NULL"
        else:
            expression = _default_expression(field)
        columns.append(f'"{field.column}"')
        expressions.append(expression)
    source = source or f"generate_series(1, {int(n)}) AS g"
    # Built from the model's own metadata and the benchmark's literals; no outside input.
    table, names, values = model._meta.db_table, ", ".join(columns), ", ".join(expressions)
    sql = f"{with_sql} INSERT INTO {table} ({names}) SELECT {values} FROM {source}"  # noqa: S608
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql)
    return time.perf_counter() - started


def analyze(*models_):
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
