"""What a new user meets, in a real browser (issue 21): feedback where the eye is, the lock seen
and lifted by the commission, the portal's own error pages, a phone's width and printing."""

import pytest

from accounts import services_onboarding as svc
from accounts.tests.factories import PASSWORD, UserFactory, profile, valid_curp
from accounts.tests.lockout_helpers import WRONG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_VIEW = """el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"""


def _sign_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def test_a_failed_upload_keeps_the_form_and_shows_its_error_in_view(live_server, page, inst_admin, tmp_path):
    from accounts.models import RequiredDocument
    from kernel.sample_files import pdf_bytes

    req = svc.account_request_create(
        institution=inst_admin.institution,
        actor=inst_admin,
        data={"given_names": "Íker", "paternal_surname": "Zúñiga", "curp": valid_curp(9300)},
    )
    letter = RequiredDocument.objects.get(code=RequiredDocument.REQUEST_LETTER)
    dated = RequiredDocument.objects.filter(active=True, max_age_days__isnull=False).first()
    good = tmp_path / "oficio.pdf"
    good.write_bytes(pdf_bytes("Oficio"))
    not_a_pdf = tmp_path / "acta.pdf"
    not_a_pdf.write_bytes(b"esto no es un PDF")
    _sign_in(page, live_server.url, inst_admin.username)
    page.goto(f"{live_server.url}/cuentas/solicitudes/{req.pk}/")
    page.locator(f"#id_file_{letter.pk}").set_input_files(str(good))
    page.locator(f"#id_file_{dated.pk}").set_input_files(str(not_a_pdf))
    page.locator(f"#id_issue_date_{dated.pk}").fill("2026-11-02")
    page.get_by_role("button", name="Cargar documentos").click()
    page.wait_for_load_state()
    error = page.locator(".form-errors[data-focus]")
    assert "No se cargó lo marcado abajo" in error.inner_text()
    assert error.evaluate(IN_VIEW), "the error must be where the person is looking"
    refused = page.locator(".field.has-error", has=page.locator(f"#id_file_{dated.pk}"))
    assert refused.locator(".errorlist").is_visible()  # next to the refused file
    assert page.locator(f"#id_issue_date_{dated.pk}").input_value() == "2026-11-02"  # kept as typed
    assert list(req.documents.values_list("requirement_id", flat=True)) == [letter.pk]  # the good one kept


def test_an_administrator_sees_a_lock_and_lifts_it_with_a_reason(live_server, page, commission):
    person = UserFactory(username="persona.bloqueada")
    UserFactory(username="admin.comision", institution=commission, profile=profile("commission_admin"))
    for _ in range(3):
        _sign_in(page, live_server.url, "persona.bloqueada", WRONG)
    assert "bloqueada" in page.get_by_role("alert").first.inner_text()
    _sign_in(page, live_server.url, "admin.comision")
    page.goto(f"{live_server.url}/usuarios/{person.pk}/")
    assert "Bloqueada hasta las" in page.locator(".facts").inner_text()
    page.get_by_role("link", name="Levantar el bloqueo").click()
    page.get_by_label("Motivo para levantar el bloqueo").fill("Confirmó por teléfono que fue ella")
    page.get_by_role("button", name="Confirmar y levantar el bloqueo").click()
    page.wait_for_load_state()
    assert "Se levantó el bloqueo de persona.bloqueada." in page.get_by_role("status").first.inner_text()
    assert "Bloqueada hasta" not in page.locator(".facts").inner_text()


def test_the_portals_own_403_and_404_pages(live_server, page):
    UserFactory(username="sin.permiso")
    _sign_in(page, live_server.url, "sin.permiso")
    response = page.goto(f"{live_server.url}/bitacora/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "No tiene permiso para ver esta página"
    assert page.get_by_role("navigation", name="Navegación principal").count() == 1
    response = page.goto(f"{live_server.url}/no-existe/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "No encontramos esta página"
    page.get_by_role("link", name="Volver al inicio").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_phone_sees_no_sideways_scroll_and_a_collapsed_menu(live_server, page, inst_admin, agreement):
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server.url, inst_admin.username)
    for path in ("/", "/convenios/", "/cuentas/solicitudes/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") == 390, path
    nav = page.get_by_role("navigation", name="Navegación principal")
    assert not nav.is_visible()
    page.get_by_role("button", name="Menú").click()
    assert nav.is_visible()


def test_an_agreement_prints_without_navigation_forms_or_buttons(live_server, page, inst_admin, agreement):
    _sign_in(page, live_server.url, inst_admin.username)
    page.goto(f"{live_server.url}/convenios/{agreement.pk}/")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Navegación principal").is_visible()
    assert page.locator("main form:visible, main button:visible").count() == 0
    assert agreement.title in page.locator("main").inner_text()
