"""Test infrastructure: a throwaway PostgreSQL started by pytest-postgresql for the session."""

import os
import shutil
from pathlib import Path

import pytest
from pytest_postgresql import factories

ROOT = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() == "true"

postgresql_proc = factories.postgresql_proc(executable=str(ROOT / "bin" / "pg_ctl"), host="127.0.0.1")


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


@pytest.fixture
def commission(db):
    from agreements.tests.factories import CommissionFactory

    return CommissionFactory()


@pytest.fixture
def login(client):
    """Sign a user in through the real login form and return the client."""
    from accounts.tests.factories import PASSWORD

    def _login(user, password=PASSWORD):
        response = client.post("/cuenta/entrar/", {"username": user.username, "password": password})
        assert response.status_code == 302, response.content.decode()[:2000]
        return client

    return _login
