import pytest

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_signs_in_through_the_browser_and_sees_the_dashboard(live_server, page, screenshot):
    user = UserFactory(username="navegador")
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "es-MX"
    screenshot(page, "login")
    page.get_by_label("Usuario").fill("NAVEGADOR")  # usernames are case-insensitive
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(f"{live_server.url}/")
    screenshot(page, "dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == "Tablero de consulta"
    assert user.given_names in page.locator("header").inner_text()
