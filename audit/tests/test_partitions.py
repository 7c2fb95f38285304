"""The history log in monthly partitions (PostgreSQL): where rows land, the append-only rule on
every partition, the migration's copy, and archive -> drop -> restore with nothing lost."""

import datetime as dt
import gzip
import hashlib
import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import archive, partitions, triggers
from audit.models import AccessEvent, Checkpoint, Event
from audit.partitions import Month
from audit.tests.factories import AccessEventFactory, EventFactory

from .test_tlog import checkpoint_key  # noqa: F401 - the signing key fixture, autouse

pytestmark = pytest.mark.django_db
UTC = dt.UTC
JANUARY = Month(2026, 1)
# 2026-01-31 23:59:59.999999 and 2026-02-01 00:00 in Mexico City (UTC-6 since 2022).
LAST_INSTANT_OF_JANUARY = dt.datetime(2026, 2, 1, 5, 59, 59, 999999, tzinfo=UTC)
FIRST_INSTANT_OF_FEBRUARY = dt.datetime(2026, 2, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def archive_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_archive": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "archive"), "base_url": None},
        },
    }
    return tmp_path / "archive"


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


def partition_of(model, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def create(*months):
    for month in months:
        for table in partitions.PARTITIONED_TABLES:
            partitions.create_month(table, month)


def refused(sql, params=()):
    with pytest.raises(DatabaseError, match="solo admite inserciones"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_months_are_mexico_city_months():
    assert JANUARY.end == FIRST_INSTANT_OF_FEBRUARY
    # Before October 2022 Mexico City kept daylight time: October 2022 began at 05:00 UTC.
    assert Month(2022, 10).start == dt.datetime(2022, 10, 1, 5, 0, tzinfo=UTC)
    assert Month.of(LAST_INSTANT_OF_JANUARY) == JANUARY
    assert Month.parse("2026-02") == Month.of(FIRST_INSTANT_OF_FEBRUARY)
    with pytest.raises(ValueError, match="AAAA-MM"):
        Month.parse("enero")


def test_rows_land_in_their_mexico_city_month_across_the_boundary():
    create(JANUARY, Month(2026, 2))
    for model, factory in ((AccessEvent, AccessEventFactory), (Event, EventFactory)):
        table = model._meta.db_table
        late = factory(occurred_at=LAST_INSTANT_OF_JANUARY)
        early = factory(occurred_at=FIRST_INSTANT_OF_FEBRUARY)
        assert partition_of(model, late.pk) == f"{table}_p2026_01"
        assert partition_of(model, early.pk) == f"{table}_p2026_02"
        # A row no monthly partition covers is kept, in the default partition.
        old = factory(occurred_at=dt.datetime(2001, 5, 1, tzinfo=UTC))
        assert partition_of(model, old.pk) == f"{table}_pdefault"
        # The parent reads across partitions: the timeline and export see all three.
        assert set(model.objects.values_list("pk", flat=True)) >= {late.pk, early.pk, old.pk}


def test_partitions_are_made_ahead_by_the_daily_job():
    current = Month.current()
    for table in partitions.PARTITIONED_TABLES:
        assert partitions.is_partitioned(table)
        names = partitions.partitions(table)
        assert {current.partition(table), current.shift(2).partition(table), table + "_pdefault"} <= set(names)
    created = run("audit_partitions", "--ahead", "4")
    assert Month.current().shift(4).partition("audit_event") in created
    assert partitions.ensure_ahead(4) == []  # idempotent


def test_append_only_trigger_holds_on_every_partition():
    create(JANUARY)
    for model, factory in ((AccessEvent, AccessEventFactory), (Event, EventFactory)):
        table = model._meta.db_table
        names = partitions.partitions(table)
        assert len(names) >= 5  # default, January, the current month and two ahead
        assert set(names) <= triggers.tables_with_trigger()
        for name in names:
            if name.endswith("_pdefault"):
                at = dt.datetime(2001, 1, 1, tzinfo=UTC)
            else:
                year, month = name.rsplit("_p", 1)[1].split("_")
                at = Month(int(year), int(month)).start
            row = factory(occurred_at=at)
            assert partition_of(model, row.pk) == name
            refused(f"UPDATE {name} SET username = 'x' WHERE id = %s", [row.pk])  # noqa: S608
            refused(f"DELETE FROM {name} WHERE id = %s", [row.pk])  # noqa: S608
            refused(f"DELETE FROM {table} WHERE id = %s", [row.pk])  # noqa: S608
            assert model.objects.filter(pk=row.pk, username="usuario.prueba").exists()


def test_the_migration_moves_every_row_and_back():
    rows = [AccessEventFactory(occurred_at=LAST_INSTANT_OF_JANUARY), AccessEventFactory()]
    events = [EventFactory(occurred_at=dt.datetime(2025, 12, 3, tzinfo=UTC)), EventFactory()]
    before = {model: list(model.objects.order_by("id").values()) for model in (AccessEvent, Event)}
    editor = SimpleNamespace(connection=connection)
    partitions.unpartition_tables(None, editor)
    assert not partitions.is_partitioned("audit_event")
    assert {m: list(m.objects.order_by("id").values()) for m in before} == before
    refused("DELETE FROM audit_event")

    partitions.partition_tables(None, editor)
    assert partitions.is_partitioned("audit_event") and partitions.is_partitioned("audit_accessevent")
    assert {m: list(m.objects.order_by("id").values()) for m in before} == before
    # Partitions reach back to the oldest row's month, and every one refuses changes.
    assert partition_of(AccessEvent, rows[0].pk) == "audit_accessevent_p2026_01"
    assert partition_of(Event, events[0].pk) == "audit_event_p2025_12"
    assert set(partitions.partitions("audit_event")) <= triggers.tables_with_trigger()
    refused("UPDATE audit_event SET action = 'x'")
    # Ids continue after the last one; the indexes came along.
    assert EventFactory().pk > max(e.pk for e in events)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'audit_event'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert {"audit_event_time", "audit_event_actor", "audit_event_username_ci", "audit_event_pkey"} <= indexes


@pytest.fixture
def january(archive_storage):
    create(JANUARY, Month(2026, 2))
    access = [
        AccessEventFactory(occurred_at=JANUARY.start + dt.timedelta(days=d), query={"q": "ñandú"}) for d in (0, 9)
    ]
    access.append(AccessEventFactory(occurred_at=LAST_INSTANT_OF_JANUARY, ip="2001:db8::1"))
    events = [EventFactory(occurred_at=JANUARY.start + dt.timedelta(hours=1), detail={"reason": "contraseña"})]
    events.append(EventFactory(occurred_at=LAST_INSTANT_OF_JANUARY))
    AccessEventFactory(occurred_at=FIRST_INSTANT_OF_FEBRUARY)  # not January: stays
    run("audit_seal")
    return {"audit_accessevent": access, "audit_event": events}


def january_rows():
    return {
        model: list(
            model.objects.filter(occurred_at__gte=JANUARY.start, occurred_at__lt=JANUARY.end).order_by("id").values()
        )
        for model in (AccessEvent, Event)
    }


def test_unsealed_months_are_not_archived(archive_storage):
    create(JANUARY)
    AccessEventFactory(occurred_at=JANUARY.start)
    with pytest.raises(CommandError, match="audit_seal"):
        run("audit_archive", "--month", "2026-01")
    with pytest.raises(CommandError, match="no ha terminado"):
        run("audit_archive", "--month", str(Month.current()))


def test_archive_verify_drop_and_restore_round_trip(settings, january, archive_storage):
    original = january_rows()
    assert [len(rows) for rows in original.values()] == [3, 2]

    # Default retention keeps everything: the archive is written and checked, the month stays.
    settings.AUDIT_RETENTION_MONTHS = None
    with pytest.raises(CommandError, match="retención configurada no permite retirar 2026-01"):
        run("audit_archive", "--month", "2026-01", "--drop")
    assert january_rows() == original
    manifest = json.loads((archive_storage / "bitacora/2026-01/manifest.json").read_text())
    assert manifest["checkpoint"]["tree_size"] > manifest["last_leaf_index"]
    assert "— " in manifest["checkpoint"]["note"]  # the signed note itself, checkable offline
    for table, expected in manifest["tables"].items():
        raw = (archive_storage / expected["file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == expected["sha256"]
        lines = gzip.decompress(raw).decode().splitlines()
        assert [json.loads(line)["id"] for line in lines] == [row.pk for row in january[table]]
        assert expected["rows"] == len(january[table])

    # Retention of one month lets January go; only January goes.
    settings.AUDIT_RETENTION_MONTHS = 1
    out = run("audit_archive", "--month", "2026-01", "--drop")
    assert "audit_accessevent_p2026_01" in out and "audit_restore --month 2026-01" in out
    assert "audit_accessevent_p2026_01" not in partitions.partitions("audit_accessevent")
    assert january_rows() == {AccessEvent: [], Event: []}
    assert AccessEvent.objects.filter(occurred_at=FIRST_INSTANT_OF_FEBRUARY).exists()
    with pytest.raises(CommandError, match="audit_restore"):
        run("audit_archive", "--month", "2026-01")  # an empty month must not overwrite its archive
    # While offline, the month's rows are verified from the archive against the seals and tree.
    assert "Bitácora íntegra" in run("audit_verify")
    assert len(run("audit_leaves").splitlines()) == Checkpoint.objects.latest("id").tree_size
    assert '"missing":true' not in run("audit_leaves")

    out = run("audit_restore", "--month", "2026-01")
    assert "audit_accessevent: 3 filas restauradas" in out
    assert january_rows() == original
    for table, expected in manifest["tables"].items():
        assert archive.database_digest(table, JANUARY) == {
            k: expected[k] for k in ("rows", "first_id", "last_id", "rows_digest")
        }
    # The restored partition is append-only too, and the seals and signed tree still verify.
    assert "audit_event_p2026_01" in triggers.tables_with_trigger()
    refused("DELETE FROM audit_event_p2026_01")
    assert "Bitácora íntegra" in run("audit_verify")
    with pytest.raises(CommandError, match="ya está en línea"):
        run("audit_restore", "--month", "2026-01")
    assert (
        Event.objects.filter(action__in=["log_month_archived", "log_month_dropped", "log_month_restored"]).count() == 4
    )


def test_a_changed_archive_is_not_restored(settings, january, archive_storage):
    settings.AUDIT_RETENTION_MONTHS = 1
    run("audit_archive", "--month", "2026-01", "--drop")
    path = archive_storage / "bitacora/2026-01/audit_event.jsonl.gz"
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    row = json.loads(lines[0])
    row["username"] = "otra.persona"
    lines[0] = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    with pytest.raises(CommandError, match="SHA-256"):
        run("audit_restore", "--month", "2026-01")
    with pytest.raises(CommandError, match="La bitácora no verifica"):
        run("audit_verify")
    # Even with the manifest's checksum rewritten to match, the signed tree catches the change.
    manifest_path = archive_storage / "bitacora/2026-01/manifest.json"
    manifest = json.loads(manifest_path.read_text())
    expected = manifest["tables"]["audit_event"]
    expected["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    digest = archive.TableDigest()
    for line in lines:
        values = json.loads(line)
        digest.add("audit_event", expected["columns"], values["id"], [values[c] for c in expected["columns"]])
    expected.update(digest.summary())
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="no coincide con su hoja"):
        run("audit_restore", "--month", "2026-01")
    assert january_rows()[Event] == []
