"""The history log over the data `make run` seeds: every page, every filter, both exports.

Round 1's suite was green while the auditor's first page answered 500 on the demo data: its
factories never held a renewed agreement (whose history has a ``previous_id`` column) nor one
person's changes to several kinds of record. These tests read the timeline the way an auditor
does, over the demo's real shapes, and fail on any error.
"""

import csv
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from agreements.models import Agreement, Institution
from audit.export import INCOMPLETE_MARK
from audit.forms import KIND_CHOICES
from audit.history import historical_models
from audit.selectors import TimelineFilters, object_types, timeline_iter

pytestmark = pytest.mark.django_db

TIMELINE = reverse("audit:timeline")
EXPORT = reverse("audit:timeline_csv")


@pytest.fixture
def demo():
    call_command("seed_demo", "--force", stdout=io.StringIO())


@pytest.fixture
def auditor_client(client, demo):
    client.force_login(User.objects.get(username="comision.auditor"))
    return client


def read_every_page(client, params):
    """Follow the timeline's "older records" links to the end; the number of rows shown."""
    total, cursor, pages = 0, None, 0
    while True:
        query = dict(params, **({"despues": cursor} if cursor else {}))
        response = client.get(TIMELINE, query)
        assert response.status_code == 200, (query, response.status_code)
        assert not response.context["form"].errors, (query, response.context["form"].errors)
        total += len(response.context["rows"])
        pages += 1
        cursor = response.context["next_cursor"]
        if cursor is None:
            return total
        assert pages < 500, f"the timeline never ended for {params}"


def test_demo_data_holds_the_shapes_that_broke_the_timeline(demo):
    # A renewal (the agreement history's own previous_id) and one person's changes to several
    # kinds of record, so history ids of different tables interleave on one page.
    assert Agreement.objects.filter(previous__isnull=False).exists()
    empty = [m._meta.label for m in historical_models() if not m._default_manager.exists()]
    assert not empty, f"the demo data leaves these history tables empty: {empty}"
    by_admin = [m for m in historical_models() if m._default_manager.filter(history_user__username="inst1.admin")]
    assert len(by_admin) >= 2


def test_every_page_of_every_filter_answers_on_the_demo_data(auditor_client):
    before = sum(1 for _ in timeline_iter(user=None, filters=TimelineFilters()))
    everything = read_every_page(auditor_client, {})
    assert everything > 50  # more than one page
    assert everything == before  # no row lost or repeated between pages (the reads' own accesses come later)

    for kind, _label in KIND_CHOICES:
        read_every_page(auditor_client, {"kind": kind})
    changes = read_every_page(auditor_client, {"kind": "change"})
    assert changes >= len(historical_models())
    for object_type in object_types():
        assert read_every_page(auditor_client, {"object_type": object_type}) > 0, object_type
    for username in User.objects.order_by("username").values_list("username", flat=True):
        read_every_page(auditor_client, {"user": username})
        read_every_page(auditor_client, {"user": username, "kind": "change"})
    # A name no account has (a mistyped one, or the target of anonymous sign-in attempts).
    assert read_every_page(auditor_client, {"user": "nadie.conocido"}) >= 0
    for institution in Institution.objects.values_list("pk", flat=True):
        read_every_page(auditor_client, {"institution": institution})


def test_both_exports_hold_every_row_of_the_demo_data(auditor_client):
    total = read_every_page(auditor_client, {})

    response = auditor_client.get(EXPORT)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert INCOMPLETE_MARK not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) - 1 >= total  # the export's own access was logged meanwhile

    by_user = auditor_client.get(EXPORT, {"user": "inst1.admin"})
    assert by_user.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(by_user.streaming_content).decode("utf-8-sig"))))
    assert len(lines) > 1 and {line[1] for line in lines[1:]} == {"inst1.admin"}

    out = io.StringIO()
    call_command("audit_export", "--since", "2000-01-01", "--format", "csv", stdout=out)
    exported = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(exported) - 1 >= total

    out = io.StringIO()
    call_command("audit_export", "--since", "2000-01-01", "--format", "jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == len(exported) - 1
    assert {"change", "access", "auth"} <= {r["kind"] for r in records}


def _failing_after(count, name="row_values"):
    """A row formatter (``audit.export.<name>``) that breaks on the ``count``-th row, as a bug or
    a lost connection would."""
    from audit import export

    original, seen = getattr(export, name), {"n": 0}

    def formatter(row):
        seen["n"] += 1
        if seen["n"] >= count:
            raise RuntimeError("la base de datos dejó de responder")
        return original(row)

    return formatter


def test_an_export_that_fails_half_way_ends_as_a_broken_transfer(auditor_client, monkeypatch, caplog):
    # The page's CSV is the auditor's (``auditor_row_values``), not the machine export's rows.
    monkeypatch.setattr("audit.export.auditor_row_values", _failing_after(20, "auditor_row_values"))
    response = auditor_client.get(EXPORT)
    assert response.status_code == 200  # the first rows went out fine
    received = []
    with caplog.at_level(logging.ERROR, logger="audit.export"), pytest.raises(RuntimeError):
        for chunk in response.streaming_content:
            received.append(chunk.decode())
    assert received[-1] == INCOMPLETE_MARK  # a reader of the partial file sees it was cut
    assert any("failed after" in r.getMessage() for r in caplog.records)


def test_an_export_that_fails_before_its_first_row_answers_an_error(auditor_client, monkeypatch):
    monkeypatch.setattr("audit.export.auditor_row_values", _failing_after(1, "auditor_row_values"))
    auditor_client.raise_request_exception = False
    response = auditor_client.get(EXPORT)
    assert response.status_code == 500  # never a 200 with a header and no rows


def test_audit_export_exits_non_zero_when_it_fails_half_way(demo, monkeypatch):
    from django.core.management import CommandError

    monkeypatch.setattr("audit.export.row_values", _failing_after(20))
    out = io.StringIO()
    with pytest.raises(CommandError, match="interrumpida tras"):
        call_command("audit_export", "--since", "2000-01-01", "--format", "csv", stdout=out)
