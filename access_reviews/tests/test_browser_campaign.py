"""A whole access review in Chromium, on the demo data: the commission opens a campaign for ISSE;
ISSE's administrator confirms one account (bulk selection) and revokes another with a reason; the
due date passes and the daily job applies the decisions; the commission reads the report."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from access_reviews.models import ReviewCampaign
from accounts.models import User
from portal.tests.browsing import demo_password, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Revisión de ISSE en navegador"


@pytest.fixture
def demo(transactional_db, private_media):
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def loaded(page):
    page.wait_for_load_state("domcontentloaded")


def go_to_campaign(page):
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Revisiones de acceso").click()
    loaded(page)
    page.get_by_role("link", name=NAME).click()
    loaded(page)


def test_access_review_from_opening_to_report(live_server, page, demo, screenshot, tmp_path):
    base = live_server.url
    sign_in(page, base, "comision.admin", demo_password())
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Revisiones de acceso").click()
    loaded(page)
    page.get_by_role("link", name="Abrir una revisión").click()
    loaded(page)
    page.get_by_label("Nombre de la revisión").fill(NAME)
    page.get_by_label("Plazo en días hábiles").fill("5")
    page.get_by_label("Recordatorios").fill("9")
    page.get_by_role("checkbox", name=re.compile(r"^ISSE —")).check()
    page.get_by_role("button", name="Abrir revisión").click()
    loaded(page)
    # A reminder past the term: the form says so and keeps what was typed.
    assert page.get_by_text("Cada recordatorio debe caer entre 1 y 4 días hábiles").is_visible()
    assert page.get_by_label("Nombre de la revisión").input_value() == NAME
    page.get_by_label("Recordatorios").fill("2, 1")
    page.get_by_role("button", name="Abrir revisión").click()
    loaded(page)
    assert page.get_by_role("heading", level=1).inner_text() == NAME
    assert page.get_by_text(re.compile(r"Revisión abierta con \d+ cuentas")).is_visible()
    screenshot(page, "revision-abierta")
    page.get_by_role("button", name="Cerrar sesión").click()
    loaded(page)

    sign_in(page, base, "inst1.admin", demo_password())
    panel = page.locator("section", has=page.get_by_role("heading", name="Revisión de accesos"))
    assert panel.get_by_text(re.compile(r"esperan? su ratificación")).is_visible()
    go_to_campaign(page)
    # Its own account is answered by someone else; another institution's accounts are not listed.
    assert page.get_by_text("La responde otra persona administradora.").is_visible()
    assert page.get_by_text("inst2.analista").count() == 0
    page.get_by_label("Buscar").fill("Torres")
    page.get_by_role("button", name="Filtrar").click()
    loaded(page)
    page.get_by_role("checkbox", name="Seleccionar a Elena Torres Vega").check()
    page.get_by_role("button", name="Ratificar las seleccionadas").click()
    loaded(page)
    assert page.get_by_text("Cuentas ratificadas: 1.").is_visible()
    assert page.get_by_label("Buscar").input_value() == "Torres"  # the list keeps its filter
    page.get_by_label("Buscar").fill("")
    page.get_by_role("button", name="Filtrar").click()
    loaded(page)
    page.get_by_role("link", name="Revocar a Luis Herrera Ochoa").click()
    loaded(page)
    page.get_by_role("button", name="Revocar").click()
    loaded(page)
    assert page.get_by_text("Este campo es obligatorio.").is_visible()
    page.get_by_label("Motivo de la revocación").fill("Concluyó su servicio social")
    page.get_by_role("button", name="Revocar").click()
    loaded(page)
    assert page.get_by_text("Cuenta inst1.becario revocada").is_visible()
    screenshot(page, "respuestas-de-isse")
    page.get_by_role("button", name="Cerrar sesión").click()
    loaded(page)

    # The due date passes: the daily job closes the campaign and applies its decisions.
    campaign = ReviewCampaign.objects.get(name=NAME)
    call_command("access_reviews_daily", fecha=campaign.due_on + timedelta(days=1), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.get(username="inst1.analista").status == User.Status.ACTIVE
    assert User.objects.get(username="inst1.becario").status == User.Status.CANCELLED
    assert User.objects.get(username="inst1.admin").status == User.Status.SUSPENDED  # nobody confirmed it

    sign_in(page, base, "comision.admin", demo_password())
    go_to_campaign(page)
    assert page.get_by_text("Cerrada", exact=True).is_visible()
    page.get_by_role("link", name="Ver reporte").click()
    loaded(page)
    row = page.get_by_role("row", name=re.compile(r"^ISSE"))
    cells = row.locator("td").all_inner_texts()
    total, completion, confirmed, revoked, suspended, pending = (int(c.rstrip("%")) for c in cells[:6])
    assert (confirmed, revoked, pending) == (1, 1, 0) and suspended == total - 2 >= 1
    assert completion == round(100 * 2 / total)
    screenshot(page, "reporte")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar CSV").click()
    download.value.save_as(tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Siglas,Institución") and "ISSE" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar PDF").click()
    download.value.save_as(tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
