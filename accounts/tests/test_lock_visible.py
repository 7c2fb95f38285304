"""A lock seen by the commission and lifted early with a reason; attempts left on sign-in (issue 21)."""

import pytest
from django.test import Client

from accounts.models import LoginThrottle
from accounts.tests.factories import PASSWORD, UserFactory, profile
from accounts.tests.lockout_helpers import WRONG, attempt, lock, outcome
from audit.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(commission):
    client = Client()
    client.force_login(UserFactory(institution=commission, profile=profile("commission_admin")))
    return client


def test_the_persons_page_says_locked_until_when_and_the_lock_is_lifted_with_a_reason(admin_client):
    person = UserFactory(username="ana.lopez")
    lock(Client(), "ana.lopez")
    page = admin_client.get(f"/usuarios/{person.pk}/").content.decode()
    assert "Bloqueada hasta las " in page and "Levantar el bloqueo" in page

    refused = admin_client.post(f"/usuarios/{person.pk}/desbloquear/", {"reason": " "})
    assert refused.status_code == 200 and LoginThrottle.objects.get(username="ana.lopez").locked_until

    done = admin_client.post(f"/usuarios/{person.pk}/desbloquear/", {"reason": "Confirmó por teléfono"}, follow=True)
    assert "Se levantó el bloqueo de ana.lopez." in done.content.decode()
    assert "Bloqueada hasta" not in done.content.decode()
    event = Event.objects.get(action="lock_lifted")
    assert event.detail["reason"] == "Confirmó por teléfono" and event.target_id == str(person.pk)
    assert outcome(attempt(Client(), "ana.lopez", PASSWORD)) == "in"


def test_only_a_commission_administrator_lifts_a_lock(client, commission):
    person = UserFactory(username="ana.lopez")
    lock(Client(), "ana.lopez")
    client.force_login(UserFactory(institution=commission, profile=profile("commission_reviewer")))
    assert client.post(f"/usuarios/{person.pk}/desbloquear/", {"reason": "x"}).status_code == 403
    assert LoginThrottle.objects.get(username="ana.lopez").locked_until is not None


@pytest.mark.parametrize("username", ["ana.lopez", "nadie.existe"])
def test_sign_in_says_how_many_attempts_remain_for_any_username(client, username):
    UserFactory(username="ana.lopez")
    first = attempt(client, username, WRONG).content.decode()
    assert "Le quedan 2 intentos antes de que la cuenta se bloquee." in first
    second = attempt(client, username, WRONG).content.decode()
    assert "Le queda 1 intento antes de que la cuenta se bloquee." in second
    # Before any failure the page says nothing about this username.
    assert "Le quedan" not in Client().get("/cuenta/entrar/").content.decode()
