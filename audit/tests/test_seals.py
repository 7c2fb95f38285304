"""audit_seal / audit_verify: untouched data verifies; any tampering is found and named."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from agreements.tests.factories import InstitutionFactory
from audit.models import AccessEvent, Seal
from audit.sealing import seal_all, verify_all
from audit.tests.factories import AccessEventFactory

pytestmark = pytest.mark.django_db


def as_owner(sql, params=(), table="audit_accessevent"):
    """Tamper the way only the database owner could: with the append-only trigger disabled."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_append_only")


@pytest.fixture
def sealed():
    first = AccessEventFactory(path="/uno/")
    AccessEventFactory(path="/dos/")
    third = AccessEventFactory(id=first.pk + 10, path="/tres/")  # leaves a gap inside the range
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('audit_accessevent', 'id'), %s)", [third.pk])
    InstitutionFactory()
    call_command("audit_seal", stdout=_Sink())
    return first, third


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, value, *args, **kwargs):
        self.text += value

    def flush(self):
        pass


def verify():
    out = _Sink()
    call_command("audit_verify", stdout=out, stderr=out)
    return out.text


def test_untouched_log_verifies_and_reports_rows(sealed):
    text = verify()
    assert "Bitácora íntegra" in text
    report = verify_all()
    assert report.breaks == []
    assert report.rows_verified >= 4
    AccessEventFactory()  # rows added after the last seal are reported as unsealed, not as breaks
    assert verify_all().unsealed_rows >= 1
    sealed_again = seal_all()
    assert [s.table for s in sealed_again] == ["audit_accessevent"]
    assert sealed_again[0].sequence == 2 and sealed_again[0].row_count == 1
    assert verify_all().breaks == []


def test_changed_row_is_named(sealed):
    first, _ = sealed
    as_owner("UPDATE audit_accessevent SET path = '/otra/' WHERE id = %s", [first.pk])
    with pytest.raises(CommandError, match=rf"tabla audit_accessevent, sello #1, fila {first.pk}: fila modificada"):
        verify()


def test_deleted_row_is_named(sealed):
    first, _ = sealed
    as_owner("DELETE FROM audit_accessevent WHERE id = %s", [first.pk])
    with pytest.raises(CommandError, match=rf"audit_accessevent, sello #1, fila {first.pk}: fila borrada"):
        verify()


def test_row_inserted_into_a_sealed_range_is_named(sealed):
    first, _ = sealed
    AccessEventFactory(id=first.pk + 5, path="/intrusa/")
    with pytest.raises(CommandError, match=rf"sello #1, fila {first.pk + 5}: fila insertada en un rango ya sellado"):
        verify()


def test_edited_seal_is_named():
    AccessEventFactory()
    seal_all()
    seal = Seal.objects.get(table="audit_accessevent")
    as_owner("UPDATE audit_seal SET row_count = row_count + 1 WHERE id = %s", [seal.pk], table="audit_seal")
    with pytest.raises(CommandError, match="audit_accessevent, sello #1: sello alterado"):
        verify()


def test_missing_seal_breaks_the_chain():
    AccessEventFactory()
    seal_all()
    AccessEventFactory()
    seal_all()
    AccessEventFactory()
    seal_all()
    second = Seal.objects.get(table="audit_accessevent", sequence=2)
    as_owner("DELETE FROM audit_seal WHERE id = %s", [second.pk], table="audit_seal")
    with pytest.raises(CommandError, match="audit_accessevent, sello #2: falta el sello"):
        verify()


def test_changed_historical_row_is_named(sealed):
    institution = InstitutionFactory()
    seal_all()
    record = institution.history.get()
    as_owner(
        "UPDATE agreements_historicalinstitution SET legal_name = 'Otra' WHERE history_id = %s",
        [record.pk],
        table="agreements_historicalinstitution",
    )
    with pytest.raises(CommandError, match=rf"agreements_historicalinstitution, sello #\d+, fila {record.pk}"):
        verify()


def test_seal_needs_its_key(settings):
    settings.AUDIT_SEAL_KEY = ""
    AccessEventFactory()
    with pytest.raises(Exception, match="AUDIT_SEAL_KEY"):
        seal_all()


def test_forged_seal_without_the_key_is_refused(settings, sealed):
    settings.AUDIT_SEAL_KEY = "otra-clave-que-no-es-la-original"
    assert "sello alterado" in str(verify_all().breaks[0])
    assert AccessEvent.objects.count() >= 3
