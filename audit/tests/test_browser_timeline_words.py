"""The auditor reads a change in plain words and exports it (issue 21), in a real browser."""

import csv
import io

import pytest

from accounts.tests.factories import PASSWORD, UserFactory, profile
from agreements.tests.factories import CommissionFactory, InstitutionFactory
from kernel.writes import save_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_reads_a_change_in_plain_words_and_exports_it(live_server, page):
    commission = CommissionFactory()
    UserFactory(username="auditora.nav", institution=commission, profile=profile("auditor"))
    isse, ims = InstitutionFactory(acronym="ISSE"), InstitutionFactory(acronym="IMS")
    person = UserFactory(institution=isse, username="persona.movida")
    person.institution = ims
    save_as(person, UserFactory(institution=commission, profile=profile("commission_admin")))

    page.goto(f"{live_server.url}/cuenta/entrar/")
    page.get_by_label("Usuario").fill("auditora.nav")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/bitacora/")
    page.get_by_label("Tipo de registro").select_option("change")
    page.get_by_label("Tipo de objeto").select_option(label="Usuario")
    page.get_by_role("button", name="Filtrar").click()
    row = page.get_by_role("row").filter(has_text="persona.movida").first
    row.get_by_text("Ver cambios").click()
    assert f"Institución: {isse} → {ims}" in row.inner_text()
    assert "accounts.user" not in page.locator("table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar CSV con estos filtros").click()
    raw = open(download.value.path(), "rb").read()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Fecha y hora (Ciudad de México)"
    assert any(f"Institución: {isse} → {ims}" in r[-1] for r in rows[1:])
