from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture
def test_templates(settings):
    """Adds tests/templates (notifications/prueba/) to the template search path."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], HERE / "templates"]}]


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = "kernel.notifications.tests.backends.FailingBackend"
