"""The access-event and event tables become monthly range partitions (PostgreSQL only).

Each table is rebuilt as a partitioned table inside this migration's transaction: every row is
copied (the counts are compared before the old table is dropped), the indexes are recreated,
ids continue from the same number and the append-only trigger is installed on the parent, which
PostgreSQL clones onto every partition. The primary key becomes (id, occurred_at) at the
database, as PostgreSQL requires; Django keeps ``id``. SQLite (the demo) keeps plain tables.
See audit/partitions.py.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from audit import partitions

    partitions.partition_tables(apps, schema_editor)


def backward(apps, schema_editor):
    from audit import partitions

    partitions.unpartition_tables(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_merkle_tree_and_checkpoints"),
    ]

    operations = [migrations.RunPython(forward, backward)]
