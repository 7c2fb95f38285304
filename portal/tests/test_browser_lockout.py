"""The lockout scenario in a real browser, with a lock of a few seconds."""

import re
import time

import pytest

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCK_SECONDS = 3
WRONG = "Esta-No-Es-La-Clave-1"


def _sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def _alert(page):
    return page.get_by_role("alert").inner_text()


def test_lock_wait_sign_in_then_lock_again_and_suspend(live_server, page, screenshot, settings):
    settings.PORTAL_LOCKOUT_MINUTES = LOCK_SECONDS / 60
    user = UserFactory(username="navegador")
    base = live_server.url

    _sign_in(page, base, "navegador", WRONG)
    assert "incorrectos" in _alert(page)
    _sign_in(page, base, "NAVEGADOR", WRONG)
    _sign_in(page, base, "Navegador", WRONG)
    assert "bloqueada" in _alert(page)
    assert re.search(r"a partir de las \d{2}:\d{2} del \d{1,2}/\d{2}/\d{4} \(hora del centro de México\)", _alert(page))
    screenshot(page, "locked")

    _sign_in(page, base, "navegador", PASSWORD)  # the correct password during the lock
    assert "bloqueada" in _alert(page)
    assert page.url.endswith("/cuenta/entrar/")

    time.sleep(LOCK_SECONDS + 0.5)
    _sign_in(page, base, "navegador", PASSWORD)  # after the lock: a success resets everything
    page.wait_for_url(f"{base}/")
    screenshot(page, "signed-in-after-lock")
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(re.compile(r".*/cuenta/entrar/.*"))

    for _ in range(3):
        _sign_in(page, base, "navegador", WRONG)
    assert "bloqueada" in _alert(page)
    time.sleep(LOCK_SECONDS + 0.5)
    _sign_in(page, base, "navegador", WRONG)  # the first failure after the lock suspends
    assert "suspendida" in _alert(page)
    screenshot(page, "suspended")
    _sign_in(page, base, "navegador", PASSWORD)
    assert "la institución debe solicitarlo a la Comisión" in _alert(page)
    user.refresh_from_db()
    assert user.status == User.Status.SUSPENDED
