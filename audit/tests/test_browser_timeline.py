import pytest

from accounts.tests.factories import PASSWORD, UserFactory, profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_finds_a_users_sign_in_on_the_timeline(live_server, page, screenshot):
    from agreements.tests.factories import CommissionFactory

    UserFactory(username="auditora.nav", institution=CommissionFactory(), profile=profile("auditor"))
    page.goto(f"{live_server.url}/cuenta/entrar/")
    page.get_by_label("Usuario").fill("auditora.nav")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Bitácora").click()
    page.wait_for_url(f"{live_server.url}/bitacora/")
    page.get_by_label("Usuario").fill("auditora.nav")
    page.get_by_label("Tipo de registro").select_option("auth")
    page.get_by_role("button", name="Filtrar").click()
    screenshot(page, "timeline")
    table = page.get_by_role("table")
    assert "inicio de sesión" in table.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Bitácora de accesos y cambios"
