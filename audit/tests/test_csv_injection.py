"""The history log's CSV exports (auditor download and audit_export) neutralise formulas."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory, profile

pytestmark = pytest.mark.django_db

TYPED = "=cmd|' /C calc'!A0"


@pytest.fixture
def anonymous_attempt(client):
    """Someone who is not signed in types a formula as the username on the sign-in page."""
    response = client.post("/cuenta/entrar/", {"username": TYPED, "password": "Cualquier-Cosa-1"})
    assert response.status_code == 200


def usernames(text):
    return {row[1] for row in csv.reader(io.StringIO(text))}


def test_the_auditors_csv_download_shows_a_typed_formula_as_text(anonymous_attempt, client, commission):
    client.force_login(UserFactory(institution=commission, profile=profile("auditor")))
    response = client.get("/bitacora/exportar.csv")
    assert response.status_code == 200
    names = usernames(b"".join(response.streaming_content).decode())
    assert "'" + TYPED in names and TYPED not in names


def test_audit_export_csv_shows_a_typed_formula_as_text(anonymous_attempt):
    out = io.StringIO()
    call_command("audit_export", "--since", timezone.localdate().isoformat(), "--format", "csv", stdout=out)
    names = usernames(out.getvalue())
    assert "'" + TYPED in names and TYPED not in names


def test_audit_export_jsonl_keeps_the_value_as_typed(anonymous_attempt):
    out = io.StringIO()
    call_command("audit_export", "--since", timezone.localdate().isoformat(), "--format", "jsonl", stdout=out)
    assert TYPED in {json.loads(line)["username"] for line in out.getvalue().splitlines()}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (-1, -1),
    ],
)
def test_csv_safe(value, expected):
    from audit.export import csv_safe

    assert csv_safe(value) == expected
