"""Lockout benchmark: login attempt timings (known, unknown, locked, success) and session ending."""

import os

import pytest
from django.core.management import call_command

SESSIONS = int(os.environ.get("BENCH_LOCKOUT_SESSIONS", "5000"))
RUNS = int(os.environ.get("BENCH_LOCKOUT_RUNS", "9"))


@pytest.mark.django_db
def bench_lockout(capsys):
    from agreements.tests.factories import InstitutionFactory

    InstitutionFactory()
    call_command("bench_lockout", "--runs", str(RUNS), "--sessions", str(SESSIONS))
    with capsys.disabled():
        print("\n" + capsys.readouterr().out)
