"""Issue 18's journey in Chromium, on the demo data: the commission convenes a committee session,
records it as held with its attendance and two acuerdos for ISSE; ISSE's administrator marks one
done with evidence; the other is past its deadline and both dashboards show it overdue."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kernel.sample_files import pdf_bytes
from portal.tests.browsing import demo_password, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, private_media):
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def loaded(page):
    page.wait_for_load_state("domcontentloaded")


def test_committee_session_acuerdos_and_overdue_on_both_dashboards(live_server, page, demo, screenshot, tmp_path):
    base = live_server.url
    today = timezone.localdate()
    sign_in(page, base, "comision.admin", demo_password())
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Órganos y acuerdos").click()
    loaded(page)
    page.get_by_role("link", name="CT", exact=True).click()
    loaded(page)
    page.get_by_role("link", name="Convocar sesión").click()
    loaded(page)
    # The session took place four days ago (recorded afterwards, as the technical secretary does).
    starts = timezone.localtime() - timedelta(days=4)
    page.get_by_label("Tipo de sesión").select_option(label="Extraordinaria")
    page.get_by_label("Fecha y hora").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lugar o liga de la reunión").fill("Sala de juntas")
    page.get_by_label("Orden del día").fill("1. Seguimiento del piloto")
    page.get_by_role("button", name="Guardar").click()
    loaded(page)
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Sesión ")
    assert code.startswith(f"CT-{starts.year}-")
    screenshot(page, "sesion-convocada")

    page.get_by_role("link", name="Registrar como celebrada").click()
    loaded(page)
    page.get_by_role("button", name="Confirmar").click()
    loaded(page)
    page.get_by_role("link", name="Registrar asistencia").click()
    loaded(page)
    page.get_by_role("group", name="Mariana Villarreal Garza (CESP)").get_by_label("Presente").check()
    claudia = page.get_by_role("group", name="Claudia Treviño Leal (ISSE)")
    claudia.get_by_label("Representado").check()
    page.get_by_role("button", name="Guardar").click()
    loaded(page)
    # Represented by nobody: the form says so and keeps the choices.
    assert page.get_by_text("Indique quién lo representó.").is_visible()
    page.get_by_label("Representado por").nth(1).fill("Rubén Cantú")
    page.get_by_role("button", name="Guardar").click()
    loaded(page)
    assert page.get_by_text("Claudia Treviño Leal (ISSE): Representado — por Rubén Cantú").is_visible()

    for text, due in (
        ("Entregar el informe del piloto.", today + timedelta(days=20)),
        ("Designar enlace operativo por oficio.", today - timedelta(days=1)),
    ):
        page.get_by_role("link", name="Registrar acuerdo").click()
        loaded(page)
        page.locator("#id_text").fill(text)
        page.get_by_label("ISSE").check()
        page.get_by_label("A más tardar en una fecha").check()
        page.get_by_label("A más tardar el").fill(due.isoformat())
        page.get_by_role("button", name="Guardar").click()
        loaded(page)
    rows = page.locator("section", has=page.get_by_role("heading", name="Acuerdos")).locator("tbody tr")
    assert rows.count() == 2 and f"{code}/02" in rows.nth(1).inner_text() and "Vencido" in rows.nth(1).inner_text()
    screenshot(page, "sesion-con-acuerdos")
    page.get_by_role("button", name="Cerrar sesión").click()
    loaded(page)

    sign_in(page, base, "inst1.admin", demo_password())
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Órganos y acuerdos").click()
    loaded(page)
    page.get_by_role("link", name="Acuerdos", exact=True).click()
    loaded(page)
    page.get_by_role("link", name=f"{code}/01").click()
    loaded(page)
    evidence = tmp_path / "informe.pdf"
    evidence.write_bytes(pdf_bytes("Informe del piloto"))
    page.get_by_role("link", name="Marcar cumplido con evidencia").click()
    loaded(page)
    page.get_by_label("Evidencia de cumplimiento").set_input_files(str(evidence))
    page.get_by_role("button", name="Marcar cumplido").click()
    loaded(page)
    assert page.get_by_text("Acuerdo cumplido.").is_visible()
    screenshot(page, "acuerdo-cumplido")

    page.goto(f"{base}/")
    loaded(page)
    panel = page.locator("section", has=page.get_by_role("heading", name="Acuerdos vencidos"))
    assert panel.get_by_role("link", name=f"{code}/02").is_visible()
    assert panel.get_by_role("link", name=f"{code}/01").count() == 0
    screenshot(page, "tablero-institucion")
    page.get_by_role("button", name="Cerrar sesión").click()
    loaded(page)

    sign_in(page, base, "comision.admin", demo_password())
    panel = page.locator("section", has=page.get_by_role("heading", name="Acuerdos vencidos"))
    assert panel.get_by_role("link", name=f"{code}/02").is_visible()
    screenshot(page, "tablero-comision")
