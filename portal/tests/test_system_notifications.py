"""System test: Redis, a Celery worker, Celery beat and gunicorn as real processes on 127.0.0.1,
against the test PostgreSQL, with an SMTP sink (aiosmtpd) standing in for the mail server.

One password-reset request through HTTP must end as an e-mail delivered by the worker. Then
Redis is stopped, a second request is made (the outbox keeps the message), Redis is started
again and the message must still arrive, once.
"""

import contextlib
import email
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from email import policy
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from conftest import oidc_test_key, require_binary

# transaction=True: the suite's test database is created and migrated, and no transaction holds
# it open, so the stack's own database is a quick copy of it (CREATE DATABASE ... TEMPLATE).
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE = "portal_system"
USER_EMAIL = "persona.sistema@prueba.gob.mx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, logs=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = predicate()
            if value:
                return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{logs() if logs else ''}")


class SmtpSink:
    """Collects every message the portal sends (aiosmtpd in a thread)."""

    def __init__(self, port):
        from aiosmtpd.controller import Controller

        self.messages = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def received(self):
        with self._lock:
            return list(self.messages)


class Processes:
    """Starts programs with their output in files; stops only what it started, by pid."""

    def __init__(self, folder: Path, env: dict):
        self.folder, self.env, self.running = folder, env, {}

    def start(self, name, argv):
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        proc = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.running[name] = (proc, log)
        return proc

    def stop(self, name):
        proc, log = self.running.pop(name)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        log.close()

    def stop_all(self):
        for name in sorted(self.running, key=lambda n: n == "redis"):  # the broker last
            self.stop(name)

    def logs(self):
        parts = []
        for path in sorted(self.folder.glob("*.log")):
            lines = [line for line in path.read_text().splitlines() if "tasks.sweep[" not in line]
            parts.append(f"----- {path.name} (last 40 lines but sweeps)\n" + "\n".join(lines[-40:]))
        return "\n".join(parts)


def run_manage(env, *args, timeout=300):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


class Browser:
    """Just enough of a browser behind a TLS-terminating proxy: cookies and X-Forwarded-Proto."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response, content

    def ask_password_reset(self, address):
        response, html = self.request("GET", "/cuenta/contrasena/restablecer/")
        assert response.status == 200, html[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urlencode({"csrfmiddlewaretoken": token, "email": address})
        response, html = self.request("POST", "/cuenta/contrasena/restablecer/", body)
        assert response.status == 302, html[:2000]
        assert response.headers["Location"].endswith("/cuenta/contrasena/restablecer/enviado/")

    def health(self):
        response, body = self.request("GET", "/healthz")
        return response.status, body


@pytest.fixture
def stack(postgresql_proc, django_db_setup, django_db_blocker, tmp_path):
    redis_server = require_binary("redis-server")
    pg = {"host": postgresql_proc.host, "port": postgresql_proc.port, "user": postgresql_proc.user}
    password = postgresql_proc.password or ""
    from django.db import connections

    # the suite's migrated test database (pytest-django's "test_" + NAME)
    template = "test_" + connections["default"].settings_dict["NAME"].removeprefix("test_")
    with django_db_blocker.unblock():
        connections.close_all()
    with psycopg.connect(dbname="postgres", password=password, autocommit=True, **pg) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        # Connections left behind by earlier tests' threads (live server, race tests) would
        # block the copy; they are idle and belong to no running test.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [template],
        )
        conn.execute(f"CREATE DATABASE {DATABASE} TEMPLATE {template}")
    redis_port, smtp_port, web_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_", "COV_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="False",
        SECRET_KEY="system-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEF",
        AUDIT_SEAL_KEY="system-test-seal-key-0123456789abcdefghijklmnopqrstuvwxyz",
        AUDIT_CHECKPOINT_KEY="c3lzdGVtLXRlc3QtY2hlY2twb2ludC1rZXktMzJieXQ=",
        OIDC_RSA_PRIVATE_KEY=oidc_test_key(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"postgres://{pg['user']}:{password}@{pg['host']}:{pg['port']}/{DATABASE}",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        PORTAL_SITE_URL=f"https://127.0.0.1:{web_port}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="10",
        STATIC_ROOT=str(tmp_path / "static"),
        # collectstatic's compression takes a minute on a busy machine; pages need no CSS here
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "celerybeat-schedule"),
        NOTIFICATION_SWEEP_SECONDS="1",
        NOTIFICATION_RETRY_BASE_SECONDS="1",
        GUNICORN_BIND=f"127.0.0.1:{web_port}",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    run_manage(env, "migrate", "--no-input", "-v", "0")  # a no-op unless the copy is behind
    run_manage(
        env,
        "shell",
        "-c",
        "from accounts.tests.factories import UserFactory; "
        f"UserFactory(username='persona.sistema', email='{USER_EMAIL}')",
    )
    (tmp_path / "logs").mkdir()
    (tmp_path / "static").mkdir()
    procs = Processes(tmp_path / "logs", env)
    redis_argv = [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    sink = SmtpSink(smtp_port)
    sink.controller.start()
    try:
        procs.start("redis", redis_argv)
        celery = str(BIN / "celery")
        worker = [celery, "-A", "portal", "worker", "-l", "INFO", "--pool", "solo", "-n", "sistema@%h"]
        procs.start("worker", [*worker, "--without-gossip", "--without-mingle"])
        procs.start("beat", [celery, "-A", "portal", "beat", "-l", "INFO"])
        procs.start("gunicorn", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi"])
        browser = Browser(web_port)
        wait_for(lambda: browser.health()[0] == 200, 60, "gunicorn healthy (database, broker, storage)", procs.logs)
        yield {
            "browser": browser,
            "sink": sink,
            "procs": procs,
            "start_redis": lambda: procs.start("redis", redis_argv),
            "db": {"dbname": DATABASE, "password": password, **pg},
        }
    finally:
        procs.stop_all()
        sink.controller.stop()
        with psycopg.connect(dbname="postgres", password=password, autocommit=True, **pg) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def outbox_rows(db):
    with psycopg.connect(**db) as conn:
        return conn.execute(
            "SELECT status, attempts FROM notifications_notification WHERE template = 'password_reset' ORDER BY id"
        ).fetchall()


def reset_links(sink):
    links = []
    for rcpt, message in sink.received():
        assert rcpt == [USER_EMAIL]
        assert message["Subject"].strip() == "Restablecimiento de contraseña del Portal de Convenios"
        links += re.findall(r"https://127\.0\.0\.1:\d+/cuenta/contrasena/restablecer/\S+/", message.get_content())
    return links


def test_a_request_becomes_an_email_even_across_a_broker_outage(stack):
    browser, sink, procs, db = stack["browser"], stack["sink"], stack["procs"], stack["db"]

    # 1. The broker is up: the worker sends the message right after the request commits.
    browser.ask_password_reset(USER_EMAIL)
    wait_for(lambda: len(sink.received()) == 1, 30, "the first e-mail at the SMTP sink", procs.logs)
    assert len(reset_links(sink)) == 1
    # the worker marks the row sent just after the SMTP server accepted the message
    wait_for(lambda: outbox_rows(db) == [("sent", 1)], 10, "the first row marked sent", procs.logs)

    # 2. Redis goes away: the portal still answers and keeps the message in the outbox.
    procs.stop("redis")
    status, body = wait_for(lambda: (s := browser.health()) and s[0] == 503 and s, 20, "healthz to say 503")
    assert '"broker": "error"' in body and "Connection" not in body and "redis" not in body
    browser.ask_password_reset(USER_EMAIL)
    assert outbox_rows(db) == [("sent", 1), ("pending", 0)]
    time.sleep(2)
    assert len(sink.received()) == 1

    # 3. Redis is back: the beat sweep queues the pending row and the worker delivers it, once.
    stack["start_redis"]()
    wait_for(lambda: len(sink.received()) == 2, 90, "the second e-mail after Redis restarted", procs.logs)
    assert len(reset_links(sink)) == 2  # (two requests in one second get the same token)
    assert len({message["Message-ID"] for _rcpt, message in sink.received()}) == 2
    wait_for(lambda: outbox_rows(db) == [("sent", 1), ("sent", 1)], 10, "both rows marked sent", procs.logs)
    wait_for(lambda: browser.health()[0] == 200, 30, "healthz back to 200", procs.logs)
    time.sleep(3)  # more sweeps pass: nothing is sent twice
    assert len(sink.received()) == 2
