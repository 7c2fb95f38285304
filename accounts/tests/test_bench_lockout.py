from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import LoginThrottle, User, UserSession
from agreements.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_the_lockout_benchmark_prints_its_figures_and_leaves_nothing_behind():
    InstitutionFactory()
    out = StringIO()
    call_command("bench_lockout", "--runs", "1", "--sessions", "5", stdout=out)
    text = out.getvalue()
    assert "unknown username" in text and "session table (now): ended 3 among 5" in text
    assert not User.objects.filter(username="bench.usuario").exists()
    assert not LoginThrottle.objects.exists() and not UserSession.objects.exists()
