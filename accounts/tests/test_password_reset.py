"""Password reset ("¿Olvidó su contraseña?"): rate limits and links built from PORTAL_SITE_URL."""

import re

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from audit.models import Event

URL = "/cuenta/contrasena/restablecer/"
DONE = "/cuenta/contrasena/restablecer/enviado/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    def ask(email, ip="203.0.113.7", **extra):
        with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
            return client.post(URL, {"email": email}, REMOTE_ADDR=ip, **extra)

    return ask


def test_the_link_comes_from_the_configured_site_url_not_from_the_host_header(ask, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.PORTAL_SITE_URL = "https://portal.example.gob.mx"
    UserFactory(email="persona@prueba.gob.mx")
    response = ask("persona@prueba.gob.mx", HTTP_HOST="evil.example")
    assert response.status_code == 302
    [message] = mail.outbox
    assert "evil.example" not in message.body
    links = re.findall(r"\S+/cuenta/contrasena/restablecer/\S+/", message.body)
    assert len(links) == 1 and links[0].startswith("https://portal.example.gob.mx/cuenta/contrasena/restablecer/")


def test_at_most_three_requests_per_address_per_hour_from_any_client(ask):
    UserFactory(email="persona@prueba.gob.mx")
    answers = [ask("Persona@Prueba.gob.mx ", ip=f"198.51.100.{n}") for n in range(1, 5)]
    assert [a["Location"] for a in answers] == [DONE] * 4  # the same answer every time
    assert len(mail.outbox) == 3
    throttled = Event.objects.get(action="password_reset_throttled")
    assert throttled.category == "auth"
    assert throttled.username == "persona@prueba.gob.mx"
    assert throttled.ip == "198.51.100.4"
    assert throttled.detail["limits"] == ["address"]


def test_at_most_ten_requests_per_client_per_hour(ask):
    UserFactory(email="persona@prueba.gob.mx")
    for n in range(10):
        assert ask(f"nadie{n}@prueba.gob.mx")["Location"] == DONE
    assert not Event.objects.filter(action="password_reset_throttled").exists()
    assert ask("persona@prueba.gob.mx")["Location"] == DONE  # the eleventh: same answer, nothing sent
    assert mail.outbox == []
    assert Event.objects.get(action="password_reset_throttled").detail["limits"] == ["client"]
    ask("persona@prueba.gob.mx", ip="203.0.113.8")  # another client is not held back
    assert len(mail.outbox) == 1


def test_throttling_does_not_tell_which_addresses_exist(ask):
    UserFactory(email="persona@prueba.gob.mx")
    for _ in range(3):
        ask("persona@prueba.gob.mx", ip="198.51.100.1")
        ask("nadie@prueba.gob.mx", ip="198.51.100.2")
    known = ask("persona@prueba.gob.mx", ip="198.51.100.1")
    unknown = ask("nadie@prueba.gob.mx", ip="198.51.100.2")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"]) == (302, DONE)
    assert Event.objects.filter(action="password_reset_throttled").count() == 2  # both logged alike
