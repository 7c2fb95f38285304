"""Keyboard-only use of the main journeys: everything reachable with Tab, focus always visible."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory

from .browsing import focused, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_the_keyboard_only(live_server, page, screenshot):
    UserFactory(username="teclado", given_names="Teresa")
    page.goto(f"{live_server.url}/cuenta/entrar/")

    # The login page puts the focus on the username field; typing goes straight in.
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
