"""A commission administrator creates a profile in the browser, assigns it to a person, and that
person's menu and access change at their next request."""

import re

import pytest

from accounts.tests.factories import PASSWORD, UserFactory, profile
from agreements.tests.factories import CommissionFactory, InstitutionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(f"{base}/")


def test_new_profile_assigned_in_the_browser_changes_the_persons_menu_and_access(
    live_server, page, browser, screenshot
):
    base = live_server.url
    UserFactory(username="comision.jefa", profile=profile("commission_admin"), institution=CommissionFactory())
    member = InstitutionFactory(acronym="ISSX", legal_name="Instituto de Servicios de Ejemplo")
    UserFactory(username="elena.consulta", given_names="Elena", paternal_surname="Vega", institution=member)
    UserFactory(username="colega.uno", given_names="Rodrigo", paternal_surname="Ibarra", institution=member)

    # The analyst, in a browser of her own, has no "Usuarios" entry and is refused the page.
    analyst_context = browser.new_context()
    analyst = analyst_context.new_page()
    sign_in(analyst, base, "elena.consulta")
    nav = analyst.get_by_role("navigation", name="Navegación principal")
    assert nav.get_by_role("link", name="Usuarios").count() == 0
    assert analyst.goto(f"{base}/usuarios/").status == 403

    # The commission administrator creates the profile.
    sign_in(page, base, "comision.jefa")
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Perfiles").click()
    page.get_by_role("link", name="Crear perfil").click()
    page.get_by_label("Nombre").fill("Consulta de cuentas")
    page.get_by_label("Descripción").fill("Lee las cuentas de su institución.")
    page.get_by_label("Su propia institución").check()
    page.get_by_label("Consultar usuarios", exact=True).check()
    screenshot(page, "profile-form")
    page.get_by_role("button", name="Crear perfil").click()
    page.wait_for_url(re.compile(r".*/perfiles/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Perfil: Consulta de cuentas"
    screenshot(page, "profile-created")

    # ... and assigns it to the analyst.
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Usuarios").click()
    page.get_by_label("Buscar por nombre, usuario o correo").fill("elena")
    page.get_by_role("button", name="Buscar").click()
    page.get_by_role("link", name="Elena Vega").click()
    page.get_by_role("link", name="Cambiar perfil").click()
    page.get_by_label("Nuevo perfil").select_option(label="Consulta de cuentas")
    page.get_by_role("button", name="Asignar perfil").click()
    assert "tiene ahora el perfil «Consulta de cuentas»" in page.get_by_role("status").inner_text()
    screenshot(page, "profile-assigned")

    # The analyst's next request finds her session ended; signed in again, her menu has "Usuarios".
    analyst.reload()
    assert "/cuenta/entrar/" in analyst.url
    sign_in(analyst, base, "elena.consulta")
    assert "Consulta de cuentas" in analyst.locator("header").inner_text()
    analyst.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Usuarios").click()
    assert analyst.get_by_role("heading", level=1).inner_text() == "Usuarios"
    assert analyst.get_by_role("link", name="Rodrigo Ibarra").count() == 1
    assert analyst.get_by_role("link", name="Cambiar perfil").count() == 0
    screenshot(analyst, "analyst-new-menu")
    analyst_context.close()
