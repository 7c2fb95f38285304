import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    # The demo key, generated under var/ when the test settings load (no real secret).
    "OIDC_RSA_PRIVATE_KEY_FILE": str(ROOT / "var" / "oidc-signing-key.pem"),
    "DEBUG": "False",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "portal.example.gob.mx",
    "PORTAL_SITE_URL": "https://portal.example.gob.mx",
    "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "AUDIT_SEAL_KEY": "y" * 20 + "-production-like-seal-key-0123456789",
}


def check_deploy(**changes):
    """``manage.py check --deploy --fail-level WARNING`` (as ``make prod-check``) with production
    values, ``changes`` replacing some of them."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="portal.settings")
    env.update(changes)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_a_site_url():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "PORTAL_SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {k: v for k, v in PRODUCTION_ENV.items() if k != "PORTAL_SITE_URL"}, DJANGO_SETTINGS_MODULE="portal.settings"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "PORTAL_SITE_URL" in result.stderr


SEAL_KEY_OK = PRODUCTION_ENV["AUDIT_SEAL_KEY"]


@pytest.mark.parametrize(
    ("changes", "check_id"),
    [
        pytest.param({"AUDIT_SEAL_KEY": PRODUCTION_ENV["SECRET_KEY"]}, "portal.W001", id="seal-key-is-secret-key"),
        pytest.param(
            {"AUDIT_SEAL_KEY": SEAL_KEY_OK, "SECRET_KEY_FALLBACKS": SEAL_KEY_OK},
            "portal.W001",
            id="seal-key-in-fallbacks",
        ),
        pytest.param({"AUDIT_SEAL_KEY": "short-seal-key-0123456789"}, "portal.W002", id="seal-key-short"),
        pytest.param({"AUDIT_SEAL_KEY": "ab" * 40}, "portal.W002", id="seal-key-few-characters"),
        pytest.param({"ALLOWED_HOSTS": "portal.example.gob.mx,*"}, "portal.W003", id="any-host"),
        pytest.param({"ALLOWED_HOSTS": "."}, "portal.W003", id="wildcard-only"),
        pytest.param({"PORTAL_SITE_URL": "http://portal.example.gob.mx"}, "portal.W004", id="site-url-not-https"),
        pytest.param({"REDIS_URL": ""}, "portal.W005", id="rate-limits-per-process"),
    ],
)
def test_check_deploy_fails_on_unsafe_production_values(changes, check_id):
    result = check_deploy(**changes)
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout
