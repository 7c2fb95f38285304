"""The demo's embedded SQLite database, for the few tests about it (the suite runs on PostgreSQL).

``sqlite_demo`` (fixture in portal/tests/conftest.py) migrates a throwaway SQLite file once per
session in a child process with the demo's settings; ``run`` executes code against it there.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class SqliteDemo:
    def __init__(self, path: Path):
        self.path = path
        self.env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        self.env.update(DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="True", DATABASE_URL=f"sqlite:///{path}")

    def _python(self, *args, timeout=600):  # a guard against a hang, not a speed test
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return result.stdout

    def migrate(self):
        self._python("manage.py", "migrate", "--no-input", "-v", "0")

    def run(self, code: str) -> str:
        """Run ``code`` after django.setup() against the SQLite file; returns what it printed."""
        return self._python("-c", "import django\ndjango.setup()\n" + code)
