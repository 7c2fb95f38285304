"""Test infrastructure: a throwaway PostgreSQL started by pytest-postgresql for the session."""

import functools
import os
import shutil
from pathlib import Path

import pytest
from pytest_postgresql import factories

ROOT = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() == "true"

postgresql_proc = factories.postgresql_proc(executable=str(ROOT / "bin" / "pg_ctl"), host="127.0.0.1")


@functools.cache
def oidc_test_key() -> str:
    """An RSA key (PEM) for the OpenID Connect provider of production-like processes the tests
    start (DEBUG off requires one); made once per run, never written to disk."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def require_binary(name: str) -> str:
    """Path of a system program the tests need. Under CI a missing one fails; elsewhere it skips."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed: run `make test`, which installs it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgresql_proc):
    from django.conf import settings

    settings.DATABASES["default"].update(
        HOST=postgresql_proc.host,
        PORT=str(postgresql_proc.port),
        USER=postgresql_proc.user,
        PASSWORD=postgresql_proc.password or "",
    )


@pytest.fixture(autouse=True)
def _empty_shared_cache():
    """Each test starts with no rate-limit counters (the "shared" cache is this process's memory
    in tests, so counts would otherwise carry over from one test to the next)."""
    from django.core.cache import caches

    caches["shared"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture
def commission(db):
    from agreements.tests.factories import CommissionFactory

    return CommissionFactory()


@pytest.fixture
def commission_admin(commission):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=commission, profile=profile("commission_admin"))


@pytest.fixture
def member(db):
    from agreements.tests.factories import InstitutionFactory

    return InstitutionFactory()


@pytest.fixture
def other_member(db):
    from agreements.tests.factories import InstitutionFactory

    return InstitutionFactory()


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded and generated files of a test go to a throwaway private folder (apps that store
    files use it autouse in their conftest)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def login(client):
    """Sign a user in through the real login form and return the client."""
    from accounts.tests.factories import PASSWORD

    def _login(user, password=PASSWORD):
        response = client.post("/cuenta/entrar/", {"username": user.username, "password": password})
        assert response.status_code == 302, response.content.decode()[:2000]
        return client

    return _login


# --- Browser tests (pytest-playwright on Debian's Chromium; never `playwright install`) -------
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": require_binary("chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot(request):
    """Save a screenshot of a step under test-artifacts/<test name>/NN-step.png."""
    folder = ARTIFACTS / request.node.name.replace("/", "_")
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def _shot(page, step: str):
        page.screenshot(path=str(folder / f"{next(counter):02d}-{step}.png"), full_page=True)

    return _shot
