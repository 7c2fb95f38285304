import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from kernel.notifications.services import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_counts_unread_notifications_and_reading_them_clears_it(live_server, page, screenshot):
    user = UserFactory(username="campana")
    notify(recipients=[user], template="bienvenida", context={}, channels=("inapp",))
    notify(recipients=[user], template="bienvenida", context={}, channels=("inapp",))
    csp_violations = []
    page.on("console", lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Usuario").fill("campana")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(f"{live_server.url}/")
    bell = page.get_by_role("link", name="Notificaciones 2 sin leer")
    assert bell.is_visible()
    screenshot(page, "bell")
    bell.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Notificaciones"
    assert page.get_by_role("heading", level=2, name="Bienvenida al Portal de Convenios Nueva").count() == 2
    page.get_by_role("button", name="Marcar como leída").first.click()
    assert page.get_by_role("link", name="Notificaciones 1 sin leer").is_visible()
    page.get_by_role("button", name="Marcar todas como leídas").click()
    screenshot(page, "all-read")
    assert page.get_by_role("link", name="Notificaciones", exact=True).is_visible()
    assert "Se marcó 1 notificación como leída." in page.locator("main").inner_text()
    assert csp_violations == []
