"""Keyboard-only use of the main journeys: everything reachable with Tab, focus always visible."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory

from .browsing import focused, tab_to

# Chromium applies ``autofocus`` a frame after the page has loaded: keys pressed before that go
# nowhere (seen on a loaded machine). Wait for it, and fail if it never comes.
AUTOFOCUS_ON_USERNAME = "() => document.activeElement && document.activeElement.id === 'id_username'"


def wait_for_autofocus(page):
    page.wait_for_function(AUTOFOCUS_ON_USERNAME, timeout=5000)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_the_keyboard_only(live_server, page, screenshot):
    UserFactory(username="teclado", given_names="Teresa")
    page.goto(f"{live_server.url}/cuenta/entrar/")

    # The login page puts the focus on the username field; typing goes straight in.
    wait_for_autofocus(page)
    assert focused(page)["id"] == "id_username"
    page.keyboard.type("teclado")
    tab_to(page, lambda e: e["id"] == "id_password", limit=1)
    page.keyboard.type(PASSWORD)
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Entrar", limit=2)
    screenshot(page, "boton-entrar")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{live_server.url}/"
    screenshot(page, "tablero")

    # On the dashboard the first Tab reaches the skip link, which takes the focus to the content.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["tag"] == "a" and first["text"] == "Saltar al contenido principal" and first["visible"]
    screenshot(page, "enlace-saltar")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenido"

    # Walking back with Shift+Tab reaches the whole header: language, sign-out, menu, brand.
    tab_to(page, lambda e: e["tag"] == "button" and e["text"] == "Cerrar sesión", reverse=True)
    tab_to(page, lambda e: e["text"] == "Portal de Convenios", reverse=True)
    # And forward again through the dashboard: each chart's table opens from the keyboard.
    summary = tab_to(page, lambda e: e["tag"] == "summary", limit=60)[-1]
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name=summary["text"].split("«")[1].split("»")[0])
    assert table.is_visible()
    screenshot(page, "tabla-de-grafica")


def test_a_wrong_password_by_keyboard_puts_the_error_first(live_server, page):
    UserFactory(username="teclado")
    page.goto(f"{live_server.url}/cuenta/entrar/")
    page.get_by_label("Usuario").focus()
    page.keyboard.type("teclado")
    page.keyboard.press("Tab")
    page.keyboard.type("no-es-la-clave")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    assert alert.count() == 1 and alert.inner_text().strip()
    # The username typed is kept; nothing is lost on bad input.
    assert page.get_by_label("Usuario").input_value() == "teclado"


def test_an_institution_admin_fills_the_account_request_form_with_the_keyboard(live_server, page, screenshot):
    from accounts.tests.factories import profile, valid_curp
    from agreements.tests.factories import CommissionFactory, InstitutionFactory

    CommissionFactory()
    admin = UserFactory(
        username="admin.teclado", institution=InstitutionFactory(), profile=profile("institution_admin")
    )
    page.goto(f"{live_server.url}/cuenta/entrar/")
    wait_for_autofocus(page)
    page.keyboard.type(admin.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url == f"{live_server.url}/", page.url
    from django.urls import reverse

    page.goto(live_server.url + reverse("onboarding:account_request_create"))
    assert page.get_by_role("heading", level=1).inner_text() == "Nueva solicitud de cuenta", page.url
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenido"
    curp = valid_curp(4321, sex="M")
    typed = {
        "id_given_names": "Lucía Fernanda",
        "id_paternal_surname": "Robles",
        "id_maternal_surname": "Quintero",
        "id_curp": curp,
    }
    # Tab through the whole form, typing into the fields a draft needs as focus reaches them.
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        current = focused(page)
        assert current["visible"] and current["outline"], current
        reached.append(current["id"])
        if current["id"] in typed:
            page.keyboard.type(typed[current["id"]])
        if current["tag"] == "button" and current["text"] == "Guardar borrador":
            break
    fields = [i for i in reached if i.startswith("id_")]
    assert fields[:4] == list(typed), fields
    screenshot(page, "solicitud-llena")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    screenshot(page, "borrador-guardado")
    assert page.get_by_role("status").inner_text().startswith("Borrador guardado")
    assert "Lucía Fernanda Robles Quintero" in page.locator("main").inner_text()
