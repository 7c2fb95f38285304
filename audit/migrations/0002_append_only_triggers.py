"""Append-only log tables on PostgreSQL (skipped on SQLite).

Installs the refusing function and a BEFORE UPDATE OR DELETE trigger on every log table that
exists now. Tables that appear later (a model that gains history in another app's migration)
are covered by the post_migrate hook and by ``manage.py audit_install_triggers``.
"""

from django.db import migrations


def install(apps, schema_editor):
    from audit import triggers

    triggers.install(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from audit import triggers

    quote = schema_editor.connection.ops.quote_name
    for table in triggers.tables_with_trigger(schema_editor.connection.alias):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {triggers.TRIGGER_NAME} ON {quote(table)}")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_history_log"),
        ("accounts", "0005_track_user_groups"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
