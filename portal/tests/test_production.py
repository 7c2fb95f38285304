"""Production configuration: security headers, CSP-clean templates, logs, health, storage, beat."""

import json
import logging
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal import views
from portal.celery import app as celery_app
from portal.celery import registered_entries
from portal.logs import JsonFormatter
from portal.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_a_strict_content_security_policy_and_frame_denial(client):
    response = client.get("/cuenta/entrar/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_or_style():
    offences = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offences.append(f"{path.relative_to(ROOT)}: inline <script>")
        if re.search(r"<style\b", text) or re.search(r"\sstyle=", text) or re.search(r"\son[a-z]+=", text):
            offences.append(f"{path.relative_to(ROOT)}: inline style or event handler")
    assert offences == []


def test_logs_are_one_json_object_per_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("portal.test").makeRecord(
            "portal.test", logging.ERROR, __file__, 1, "envío %s falló", ("42",), sys.exc_info(), extra={"task": "x"}
        )
    line = formatter.format(record)
    assert "\n" not in line.split('"exception"')[0]
    data = json.loads(line)
    assert data["level"] == "ERROR" and data["logger"] == "portal.test"
    assert data["message"] == "envío 42 falló"
    assert data["task"] == "x"
    assert "ValueError: boom" in data["exception"]


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DEBUG="False",
        SECRET_KEY="y" * 60,
        AUDIT_SEAL_KEY="z" * 60,
        ALLOWED_HOSTS="portal.example.gob.mx",
        PORTAL_SITE_URL="https://portal.example.gob.mx",
        DATABASE_URL="postgres://portal:secret@127.0.0.1:5432/portal",
        REDIS_URL="redis://127.0.0.1:6379/0",
        OIDC_RSA_PRIVATE_KEY_FILE=str(Path(__file__).resolve().parents[2] / "var" / "oidc-signing-key.pem"),
        DJANGO_SETTINGS_MODULE="portal.settings",
        **extra,
    )
    return env


def run_django(code, env):
    program = "import django, json; django.setup(); from django.conf import settings; " + code
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_logs_are_json_on_stdout():
    out = run_django("import logging; logging.getLogger('portal.x').warning('hola %s', 'mundo')", production_env())
    assert json.loads(out.strip().splitlines()[-1])["message"] == "hola mundo"


def test_uploads_go_to_s3_compatible_storage_when_a_bucket_is_configured():
    code = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(json.dumps([type(s).__module__ + '.' + type(s).__name__, s.bucket_name, s.default_acl, "
        "s.querystring_auth, s.file_overwrite, s.location]))"
    )
    env = production_env(
        AWS_STORAGE_BUCKET_NAME="portal-archivos",
        AWS_S3_ENDPOINT_URL="https://s3.example.gob.mx",
        AWS_ACCESS_KEY_ID="clave",
        AWS_SECRET_ACCESS_KEY="secreto",
    )
    assert json.loads(run_django(code, env)) == [
        "storages.backends.s3.S3Storage",
        "portal-archivos",
        "private",
        True,
        False,
        "private",
    ]


def test_uploads_stay_in_a_private_local_folder_by_default(tmp_path):
    code = (
        "from django.core.files.storage import storages; s = storages['default']; print(type(s).__name__, s.location)"
    )
    out = run_django(code, production_env(PRIVATE_MEDIA_ROOT=str(tmp_path / "privado")))
    assert out.split() == ["FileSystemStorage", str(tmp_path / "privado")]


@pytest.mark.django_db
def test_healthz_reports_each_component_without_detail(client, monkeypatch):
    def broken():
        raise RuntimeError("password authentication failed for user portal at db.interno:5432")

    monkeypatch.setitem(views.HEALTH_CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "error", "broker": "ok", "storage": "ok"}}
    assert b"db.interno" not in response.content and b"password" not in response.content


@pytest.mark.django_db
def test_healthz_says_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "error", "storage": "ok"}


@pytest.mark.django_db
def test_healthz_says_503_when_the_storage_folder_is_unusable(client, settings, tmp_path):
    blocker = tmp_path / "archivo"
    blocker.write_text("no soy una carpeta")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(blocker / "privado")}},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error"


def test_beat_schedule_keeps_only_registered_tasks_and_covers_the_housekeeping():
    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"] for entry in schedule.values()}
    assert {
        "portal.notifications.tasks.sweep",
        "portal.tasks.clear_expired_sessions",
        "audit.tasks.seal_logs",
        "accounts.tasks.lockout_attempts_purge",
    } <= tasks
    assert schedule["audit-seal"]["schedule"] == 300
    kept = registered_entries(celery_app, {**schedule, "nada": {"task": "no.existe", "schedule": 60}})
    assert "nada" not in kept
    assert {"notifications-sweep", "sessions-clear-expired", "audit-seal", "agreements-daily"} <= set(kept)
    assert all(entry["task"] in celery_app.tasks for entry in kept.values())


@pytest.mark.django_db
def test_expired_sessions_are_cleared_and_live_ones_kept():
    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    assert clear_expired_sessions.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert clear_expired_sessions.delay().get() == 0


def test_access_log_lines_are_json_and_hide_password_reset_links(capsys):
    from datetime import timedelta as td
    from types import SimpleNamespace

    from gunicorn.config import Config

    from portal.logs import redact_path
    from portal.logs_gunicorn import GunicornJsonLogger

    assert redact_path("/cuenta/contrasena/restablecer/MQ/abc-123/") == "/cuenta/contrasena/restablecer/[oculto]/"
    assert redact_path("/cuenta/contrasena/restablecer/enviado/") == "/cuenta/contrasena/restablecer/enviado/"
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = GunicornJsonLogger(cfg)
    logger.access_log.handlers[0].setFormatter(JsonFormatter())
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/cuenta/contrasena/restablecer/MQ/abc-123/",
        "REMOTE_ADDR": "10.0.0.5",
    }
    logger.access(SimpleNamespace(status_code=302, sent=0), None, environ, td(milliseconds=12))
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["path"] == "/cuenta/contrasena/restablecer/[oculto]/"
    assert (line["status"], line["http_method"], line["duration_ms"]) == (302, "GET", 12.0)
    assert "abc-123" not in json.dumps(line)
