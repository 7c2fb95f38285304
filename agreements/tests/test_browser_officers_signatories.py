"""Issue 7's journey in a real browser: an institution administrator substitutes a link officer
and submits a signatory; a commission administrator registers the signatory."""

from datetime import date

import pytest

from accounts.tests.factories import PASSWORD, UserFactory, profile
from agreements import services
from agreements.models import LinkOfficer, Signatory
from agreements.tests.factories import CommissionFactory, InstitutionFactory, make_agreement
from kernel.sample_files import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(f"{base}/")


def test_officer_substitution_and_signatory_registration(live_server, page, screenshot, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    commission = CommissionFactory()
    member = InstitutionFactory(acronym="INSTA", legal_name="Instituto de Prueba A")
    commission_admin = UserFactory(username="comision", institution=commission, profile=profile("commission_admin"))
    UserFactory(username="instadmin", institution=member, profile=profile("institution_admin"))
    agreement = make_agreement(members=[member], commission=commission, actor=commission_admin, folio="CONV-NAV-1")
    party = agreement.parties.get(role="member")
    services.officer_designate(
        party=party,
        actor=commission_admin,
        role="general",
        full_name="Enlace Anterior Uno",
        position="Jefe",
        phone="81 0000 0000",
        email="anterior@prueba.gob.mx",
        address="Calle 1",
        functions="Seguimiento",
        notified_on=date(2026, 1, 10),
    )
    base = live_server.url

    sign_in(page, base, "instadmin")
    page.get_by_role("link", name="Convenios", exact=True).click()
    page.get_by_role("link", name="CONV-NAV-1").click()
    screenshot(page, "agreement-detail")
    page.get_by_role("link", name="Designar o sustituir enlace de INSTA").click()
    page.get_by_label("Nombre completo").fill("Enlace Nuevo Dos")
    page.get_by_label("Cargo").fill("Subdirectora de Informática")
    page.get_by_label("Teléfono").fill("81 1234 5678")
    page.get_by_label("Correo electrónico").fill("nuevo@prueba.gob.mx")
    page.get_by_label("Domicilio").fill("Calle Dos 2, Centro")
    page.get_by_label("Funciones").fill("Seguimiento y supervisión del suministro")
    page.get_by_label("Fecha de notificación").fill("2026-11-20")
    screenshot(page, "officer-form")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(f"{base}/convenios/{agreement.pk}/")
    screenshot(page, "officer-substituted")
    assert "Enlace registrado." in page.get_by_role("status").inner_text()
    new = LinkOfficer.objects.get(full_name="Enlace Nuevo Dos")
    old = LinkOfficer.objects.get(full_name="Enlace Anterior Uno")
    assert new.effective_from == date(2026, 11, 21) and old.effective_until == date(2026, 11, 20)
    assert page.get_by_role("row", name="Enlace Anterior Uno").get_by_text("20/11/2026").is_visible()

    page.get_by_role("link", name="Firmas autorizadas").click()
    page.get_by_role("link", name="Enviar firma autorizada").click()
    page.get_by_label("Nombre completo").fill("Titular Ficticio Tres")
    page.get_by_label("Cargo").fill("Director General")
    page.get_by_label("Nivel jerárquico").fill("Titular")
    specimen = tmp_path / "firma.png"
    specimen.write_bytes(png_bytes())
    page.get_by_label("Muestra de firma").set_input_files(str(specimen))
    page.get_by_label("Vigente desde").fill("2026-01-01")
    page.get_by_label("Declaro que mi institución verificó").check()
    screenshot(page, "signatory-form")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_selector("#estado-firma")
    screenshot(page, "signatory-submitted")
    assert page.locator("#estado-firma").inner_text() == "Enviada a la Comisión"
    page.get_by_role("button", name="Cerrar sesión").click()

    sign_in(page, base, "comision")
    page.get_by_role("link", name="Firmas autorizadas").click()
    page.get_by_role("link", name="Titular Ficticio Tres").click()
    page.get_by_role("link", name="Registrar").click()
    screenshot(page, "signatory-decide")
    page.get_by_role("button", name="Registrar firma").click()
    page.wait_for_selector("#estado-firma")
    screenshot(page, "signatory-registered")
    assert page.locator("#estado-firma").inner_text() == "Registrada"
    signatory = Signatory.objects.get(full_name="Titular Ficticio Tres")
    assert signatory.status == "registered" and services.signatory_can_sign(signatory, on=date(2026, 6, 1))
