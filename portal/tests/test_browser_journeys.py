"""Each role's main work in Chromium, on the demo data, with a screenshot of every step.

Screenshots go to test-artifacts/<test name>/ (git-ignored). The dashboards' charts must be
drawn by Chart.js (a chart object on every canvas) and their tables must hold the same numbers.
"""

import json

import pytest
from django.core.management import call_command

from .browsing import demo_password, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def open_dashboard(page, base, username, screenshot):
    sign_in(page, base, username, demo_password())
    assert page.url == f"{base}/"
    page.wait_for_load_state("load")
    check_charts(page)
    screenshot(page, "tablero")


def check_charts(page):
    """Every figure is drawn by Chart.js with the numbers of its json_script block and its table."""
    canvases = page.locator("canvas[data-figure]")
    assert canvases.count() >= 1
    for i in range(canvases.count()):
        canvas = canvases.nth(i)
        drawn = canvas.evaluate(
            "c => { const ch = Chart.getChart(c); return ch ? ch.data.datasets.map(d => d.data) : null; }"
        )
        source = json.loads(page.locator(f"#{canvas.get_attribute('data-figure')}").text_content())
        assert drawn == [s["values"] for s in source["series"]], f"chart {source['title']} not drawn as its data"
        section = canvas.locator("xpath=ancestor::section[1]")
        cells = section.locator("tbody td.num").all_text_contents()
        flat = [str(v) for row in zip(*[s["values"] for s in source["series"]], strict=True) for v in row]
        assert cells == flat, f"table of {source['title']} differs from its chart"


def nav(page, name):
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("domcontentloaded")


def test_commission_admin_reviews_agreements_users_and_profiles(live_server, page, demo, screenshot):
    base = live_server.url
    open_dashboard(page, base, "comision.admin", screenshot)
    page.get_by_text("Ver los datos de «Convenios por estado» en una tabla").click()
    screenshot(page, "tabla-convenios-por-estado")

    nav(page, "Convenios")
    page.get_by_label("Estado").select_option(label="Vigente")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_load_state("domcontentloaded")
    assert "status=in_force" in page.url
    screenshot(page, "convenios-vigentes")
    rows = page.locator("tbody tr")
    assert rows.count() >= 1 and all("Vigente" in t for t in rows.all_inner_texts())
    rows.first.get_by_role("link").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).count() == 1
    screenshot(page, "convenio-detalle")

    nav(page, "Usuarios")
    page.get_by_role("searchbox").or_(page.get_by_label("Buscar")).first.fill("Torres")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_load_state("domcontentloaded")
    screenshot(page, "usuarios-busqueda")
    page.get_by_role("link", name="Elena Torres Vega").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text() == "Elena Torres Vega"
    screenshot(page, "usuario-detalle")

    nav(page, "Perfiles")
    screenshot(page, "perfiles")
    assert page.get_by_role("table").count() >= 1


def test_institution_admin_sees_only_its_people_and_agreements(live_server, page, demo, screenshot):
    base = live_server.url
    open_dashboard(page, base, "inst1.admin", screenshot)
    assert page.locator("#obligaciones-grafica").count() == 1  # deliveries due, for an institution

    nav(page, "Usuarios")
    screenshot(page, "usuarios")
    institutions = {row.split("\t")[2].strip() for row in page.locator("tbody tr").all_inner_texts()}
    assert institutions == {"ISSE"}

    nav(page, "Convenios")
    screenshot(page, "convenios")
    parties = page.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert parties and all("ISSE" in p for p in parties)
    page.locator("tbody tr").first.get_by_role("link").click()
    page.wait_for_load_state("domcontentloaded")
    screenshot(page, "convenio-detalle")


def test_analyst_searches_and_reads_an_agreement(live_server, page, demo, screenshot):
    base = live_server.url
    open_dashboard(page, base, "inst1.analista", screenshot)
    nav(page, "Convenios")
    page.get_by_label("Buscar (folio o título)").fill("CESP-ISSE")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_load_state("domcontentloaded")
    screenshot(page, "busqueda")
    links = page.locator("tbody tr th a")
    assert links.count() >= 1 and all(t.startswith("CESP-ISSE") for t in links.all_inner_texts())
    links.first.click()
    page.wait_for_load_state("domcontentloaded")
    screenshot(page, "convenio-detalle")
    # Read only: no editing actions offered.
    assert page.get_by_role("link", name="Registrar convenio").count() == 0


def test_auditor_and_reviewer_reach_their_dashboards(live_server, browser, demo, screenshot):
    base = live_server.url
    for username in ("comision.auditor", "comision.revisor"):
        context = browser.new_context()
        page = context.new_page()
        open_dashboard(page, base, username, screenshot)
        context.close()
