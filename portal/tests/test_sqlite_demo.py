"""The demo's SQLite database serves two people at once instead of "database is locked"."""

import json

from portal.tests.sqlite_demo import SqliteDemo


def test_sqlite_settings_use_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    demo = SqliteDemo(tmp_path / "portal.sqlite3")
    code = "import json\nfrom django.conf import settings\nprint(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    options = json.loads(demo.run(code))
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"].replace(" ", "")
    assert "synchronous=NORMAL" in options["init_command"].replace(" ", "")


def test_postgresql_settings_carry_no_sqlite_options(tmp_path):
    demo = SqliteDemo(tmp_path / "unused.sqlite3")
    demo.env["DATABASE_URL"] = "postgres://portal:secret@127.0.0.1:5432/portal"
    options = demo.run("from django.conf import settings\nprint(settings.DATABASES['default'].get('OPTIONS', {}))")
    assert "init_command" not in options and "transaction_mode" not in options


CONCURRENT_WRITERS = """
import threading
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

print(connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
both_read = threading.Barrier(2)
outcomes = []


def request(n):
    # What a view does: read, then write, in one transaction, while someone else does the same.
    try:
        with transaction.atomic():
            Session.objects.count()
            try:
                both_read.wait(timeout=2)  # on deferred transactions both now hold a read lock
            except threading.BrokenBarrierError:
                pass  # immediate transactions: the other one waits for this one's commit
            expires = timezone.now() + timedelta(days=1)
            Session.objects.create(session_key=f"clave-{n}", session_data="x", expire_date=expires)
        outcomes.append("ok")
    except Exception as exc:
        outcomes.append(repr(exc))
    finally:
        connection.close()


threads = [threading.Thread(target=request, args=(n,)) for n in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sorted(outcomes), Session.objects.filter(session_key__startswith="clave-").count())
"""


def test_two_requests_writing_at_once_both_succeed(sqlite_demo):
    lines = sqlite_demo.run(CONCURRENT_WRITERS).splitlines()
    assert lines == ["wal", "['ok', 'ok'] 2"]
