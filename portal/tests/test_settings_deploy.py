import datetime
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

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
    "AUDIT_CHECKPOINT_KEY": "cHJvZHVjdGlvbi1saWtlLWNoZWNrcG9pbnQta2V5ISE=",  # 32 bytes, base64
}


@functools.cache
def signing_files(days: int = 365) -> dict:
    """A self-signed certificate valid ``days`` more days and its key, as the production variables."""
    folder = Path(tempfile.mkdtemp(prefix="pdf-signing-"))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Comisión (prueba)")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"clave-de-prueba"),
        )
    )
    return {
        "PORTAL_PDF_SIGNING_CERT_FILE": str(folder / "cert.pem"),
        "PORTAL_PDF_SIGNING_KEY_FILE": str(folder / "key.pem"),
        "PORTAL_PDF_SIGNING_KEY_PASSPHRASE": "clave-de-prueba",
    }


def check_deploy(**changes):
    """``manage.py check --deploy --fail-level WARNING`` (as ``make prod-check``) with production
    values, ``changes`` replacing some of them."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="portal.settings")
    env.update(signing_files())
    env.update({k: v() if callable(v) else v for k, v in changes.items()})
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
        pytest.param(
            {"PORTAL_PDF_SIGNING_CERT_FILE": "", "PORTAL_PDF_SIGNING_KEY_FILE": ""},
            "portal.W006",
            id="no-pdf-signing-certificate",
        ),
        pytest.param({"PORTAL_PDF_SIGNING_KEY_PASSPHRASE": "otra"}, "portal.W007", id="pdf-signing-wrong-passphrase"),
        pytest.param(
            {"PORTAL_PDF_SIGNING_CERT_FILE": "/nonexistent/cert.pem"}, "portal.W007", id="pdf-signing-missing-file"
        ),
        pytest.param(
            {
                "PORTAL_PDF_SIGNING_CERT_FILE": lambda: signing_files(days=10)["PORTAL_PDF_SIGNING_CERT_FILE"],
                "PORTAL_PDF_SIGNING_KEY_FILE": lambda: signing_files(days=10)["PORTAL_PDF_SIGNING_KEY_FILE"],
            },
            "portal.W008",
            id="pdf-signing-certificate-expiring",
        ),
    ],
)
def test_check_deploy_fails_on_unsafe_production_values(changes, check_id):
    result = check_deploy(**changes)
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


def test_debug_is_off_when_the_environment_does_not_turn_it_on():
    """A deployment that forgets DEBUG runs with DEBUG off, never on the demo keys."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "AUDIT_SEAL_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k != "DEBUG"}, DJANGO_SETTINGS_MODULE="portal.settings")
    code = "from django.conf import settings; print(settings.DEBUG, 'demo' in settings.SECRET_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_without_debug_nor_keys_the_portal_refuses_to_start():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "AUDIT_SEAL_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
