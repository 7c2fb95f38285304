import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from agreements.tests.factories import InstitutionFactory
from audit.context import acting_as
from audit.models import AccessEvent, Event
from audit.tests.factories import AccessEventFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_export_jsonl_is_one_time_ordered_stream_of_every_kind():
    user = UserFactory(username="exporta.prueba")
    with acting_as(user):
        InstitutionFactory()  # a change made by the user (the --user filter is about who acted)
    EventFactory(actor_id=user.pk, username=user.username, action="login_success")
    AccessEventFactory(user_id=user.pk, username=user.username, path="/algo/")
    out = io.StringIO()
    today = timezone.localdate().isoformat()
    call_command("audit_export", "--since", today, "--user", "exporta.prueba", "--format", "jsonl", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["kind"] for r in rows] == ["change", "auth", "access"]
    assert [r["timestamp_utc"] for r in rows] == sorted(r["timestamp_utc"] for r in rows)
    assert rows[-1]["path"] == "GET /algo/" and rows[-1]["status"] == 200
    assert {"timestamp", "username", "institution", "kind", "action"} <= {k.replace("_utc", "") for k in rows[0]}


def test_export_csv_and_bad_dates():
    AccessEventFactory(path="/csv/")
    out = io.StringIO()
    call_command("audit_export", "--since", timezone.localdate().isoformat(), "--format", "csv", stdout=out)
    assert out.getvalue().startswith("timestamp_utc,username,institution,kind,action,object_type")
    assert "GET /csv/" in out.getvalue()
    with pytest.raises(Exception, match="Fecha inválida"):
        call_command("audit_export", "--since", "ayer")


def test_demo_step_writes_a_realistic_log_once():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    accesses, events = AccessEvent.objects.count(), Event.objects.count()
    assert accesses > 50 and events > 20
    assert Event.objects.filter(action="login_failure").exists()
    days = {e.occurred_at.date() for e in AccessEvent.objects.all()}
    assert len(days) >= 5
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert (AccessEvent.objects.count(), Event.objects.count()) == (accesses, events)


def test_install_triggers_command():
    out = io.StringIO()
    call_command("audit_install_triggers", stdout=out)
    assert "tablas protegidas" in out.getvalue()
