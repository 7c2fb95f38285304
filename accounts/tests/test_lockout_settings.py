"""`make run` honours the lockout variables: settings read them from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(**variables):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE") and not k.startswith("PORTAL_")
    }
    env.update(variables, DJANGO_SETTINGS_MODULE="portal.settings")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PORTAL_LOCKOUT_FAILURES, s.PORTAL_LOCKOUT_MINUTES, s.AXES_FAILURE_LIMIT, "
        "s.AXES_COOLOFF_TIME.total_seconds(), s.SESSION_COOKIE_AGE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.split()


def test_lockout_and_session_settings_come_from_the_environment():
    assert _settings_with(
        PORTAL_LOCKOUT_FAILURES="4", PORTAL_LOCKOUT_MINUTES="0.1", PORTAL_SESSION_IDLE_MINUTES="5"
    ) == ["4", "0.1", "4", "6.0", "300"]


def test_lockout_defaults_are_three_failures_and_sixty_minutes():
    assert _settings_with()[:2] == ["3", "60.0"]
