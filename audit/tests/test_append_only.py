"""On PostgreSQL the database itself refuses to change or delete log rows."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.tests.factories import UserFactory
from agreements.models import Institution
from agreements.tests.factories import InstitutionFactory
from audit import triggers
from audit.models import AccessEvent, Event, Seal
from audit.tests.factories import AccessEventFactory, EventFactory

pytestmark = pytest.mark.django_db


def refused(sql, params):
    with pytest.raises(DatabaseError, match="solo admite inserciones"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_access_events_cannot_be_updated_or_deleted():
    event = AccessEventFactory()
    refused("UPDATE audit_accessevent SET status = 200 WHERE id = %s", [event.pk])
    refused("DELETE FROM audit_accessevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            AccessEvent.objects.filter(pk=event.pk).delete()
    assert AccessEvent.objects.filter(pk=event.pk, status=200).exists()


def test_events_and_historical_rows_cannot_be_updated_or_deleted():
    event = EventFactory()
    refused("UPDATE audit_event SET action = 'x' WHERE id = %s", [event.pk])
    institution = InstitutionFactory()
    record = institution.history.get()
    refused("UPDATE agreements_historicalinstitution SET legal_name = 'x' WHERE history_id = %s", [record.pk])
    refused("DELETE FROM agreements_historicalinstitution WHERE history_id = %s", [record.pk])
    user = UserFactory()
    refused(
        "DELETE FROM accounts_historicaluser_groups WHERE history_id IN "
        "(SELECT history_id FROM accounts_historicaluser WHERE id = %s)",
        [user.pk],
    )


def test_every_log_table_has_the_trigger():
    tables = set(triggers.log_tables())
    assert {"audit_accessevent", "audit_event", "audit_seal", "agreements_historicalinstitution"} <= tables
    assert {"accounts_historicaluser", "accounts_historicaluser_groups", "accounts_historicalprofile"} <= tables
    assert tables <= triggers.tables_with_trigger()


def test_tables_added_later_are_found_and_covered_idempotently():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE demo_historicalthing (history_id serial PRIMARY KEY, name text)")
        cursor.execute("INSERT INTO demo_historicalthing (name) VALUES ('a')")
    assert triggers.install() == ["demo_historicalthing"]
    assert triggers.install() == []
    refused("UPDATE demo_historicalthing SET name = 'b'", [])


def test_tracked_objects_can_still_be_deleted_and_seals_inserted():
    institution = InstitutionFactory()
    pk = institution.pk
    institution.delete()  # a deletion is an INSERT of a "-" record, not a change of old rows
    assert Institution.history.filter(id=pk, history_type="-").exists()
    assert Seal._meta.db_table in triggers.tables_with_trigger()
    assert Event.objects.count() >= 0
