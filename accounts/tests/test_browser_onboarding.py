"""The whole onboarding journey in Chromium (000, NOVENA and DÉCIMA): request with documents,
return, correction, approval, activation, confidentiality letter, dashboard, PDF text check."""

import re
import subprocess

import pytest
from django.core import mail

from accounts.models import AccountRequest
from accounts.tests.factories import (
    PASSWORD,
    PDF_BYTES,
    UserFactory,
    make_agreement,
    make_signatory,
    profile,
    valid_curp,
    valid_rfc_for,
)
from agreements.tests.factories import CommissionFactory, InstitutionFactory
from conftest import require_binary

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Cifrado-Largo-Del-Usuario-2026"


def sign_in(page, base, username, password=PASSWORD):
    page.goto(f"{base}/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_load_state()


def upload(page, files, issue_date=None):
    """Choose each file at its document's own input (label -> path) and load them in one submit."""
    for label, path in files.items():
        page.get_by_label(re.compile(rf"^{re.escape(label)}:?$")).set_input_files(str(path))
    if issue_date:
        page.get_by_label(re.compile(r"^Fecha de expedición")).fill(issue_date)
    page.get_by_role("button", name="Cargar documentos").click()
    page.wait_for_load_state()


def pdf_text(pdftotext, path):
    return subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_request_return_correct_approve_activate_accept_letter(live_server, page, screenshot, tmp_path, settings):
    pdftotext = require_binary("pdftotext")
    settings.PORTAL_SITE_URL = live_server.url
    base = live_server.url
    commission = CommissionFactory()
    member = InstitutionFactory(legal_name="Instituto de Señalización Pública", acronym="ISP")
    admin = UserFactory(institution=member, profile=profile("institution_admin"), username="admin.isp")
    UserFactory(institution=commission, profile=profile("commission_reviewer"), username="revisora")
    agreement = make_agreement(institution=member, commission=commission, folio="CONV-2026-017")
    signatory = make_signatory(institution=member, full_name="Rosaura Quiñones Peña")
    curp = valid_curp(4242, sex="M", birth="910305")
    files = {}
    for name in ("oficio", "oficio-firmado", "curu", "antecedentes"):
        files[name] = tmp_path / f"{name}.pdf"
        files[name].write_bytes(PDF_BYTES)

    # 1. The institution administrator files the request with its documents.
    sign_in(page, base, "admin.isp")
    page.goto(f"{base}/cuentas/solicitudes/nueva/")
    page.get_by_label("Nombre(s)").fill("Begoña")
    page.get_by_label("Primer apellido").fill("Muñoz")
    page.get_by_label("Segundo apellido").fill("Téllez")
    page.get_by_label("CURP").fill(curp)
    page.get_by_label("RFC").fill(valid_rfc_for(curp))
    page.get_by_label("Correo institucional").fill("begona.munoz@isp.gob.mx")
    page.get_by_label(re.compile(r"^Teléfono:?( \(obligatorio\))?$")).fill("81 5555 0101")
    page.get_by_label("Extensión").fill("12")
    page.get_by_label("Número de servidor público").fill("SP-4411")
    page.get_by_label("Cargo").fill("Analista táctica")
    page.get_by_label("Área de adscripción").fill("Unidad de Análisis Táctico")
    page.get_by_label("Perfil solicitado").select_option(label="Analista")
    page.get_by_label("Justificación").fill("Consulta de padrón para investigaciones.")
    page.get_by_label("Convenio").select_option(value=str(agreement.pk))
    page.get_by_label("Firmante del oficio").select_option(value=str(signatory.pk))
    screenshot(page, "request-form")
    page.get_by_role("button", name="Guardar borrador").click()
    page.wait_for_url(re.compile(r".*/cuentas/solicitudes/\d+/$"))
    req = AccountRequest.objects.get(curp=curp)

    with page.expect_download() as curu_download:
        page.get_by_role("link", name="Descargar la CURU prellenada (PDF)").click()
    curu_path = tmp_path / "curu-generada.pdf"
    curu_download.value.save_as(curu_path)
    curu_text = pdf_text(pdftotext, curu_path)
    assert "Begoña" in curu_text and "Muñoz" in curu_text and curp in curu_text

    upload(  # the three documents in one submit
        page,
        {
            "Oficio de solicitud": files["oficio"],
            "CURU sellada y firmada": files["curu"],
            "Certificado de antecedentes no penales": files["antecedentes"],
        },
        issue_date="2026-11-02",
    )
    assert req.documents.count() == 3
    screenshot(page, "documents-uploaded")
    page.get_by_role("button", name="Enviar solicitud").click()
    page.wait_for_load_state()
    assert page.locator("#estado-solicitud").inner_text() == "En revisión"
    sign_out(page)

    # 2. The reviewer returns it: the request letter is not signed.
    sign_in(page, base, "revisora")
    page.goto(f"{base}/cuentas/revision/")
    page.get_by_role("link", name=req.folio).click()
    page.wait_for_load_state()
    letter_doc = req.documents.get(requirement__code="oficio_solicitud")
    assert page.get_by_role("img", name=re.compile("Muestra de firma registrada de Rosaura")).is_visible()
    # Beside it, the request letter's first page rendered as an image on the server, at a readable size.
    letter_page = page.get_by_role("img", name="Primera página del oficio de solicitud, como imagen")
    letter_page.scroll_into_view_if_needed()
    assert letter_page.is_visible()
    assert letter_page.evaluate("img => img.complete && img.naturalWidth") >= 600
    screenshot(page, "firma-lado-a-lado")
    card = page.locator(f"#doc-{letter_doc.pk}")
    card.get_by_label("No válido").check()
    card.get_by_label("Observación").fill("El oficio no trae firma.")
    card.get_by_role("button", name="Guardar revisión del documento").click()
    page.wait_for_load_state()
    page.get_by_label("Devolver para corrección").check()
    page.get_by_label("Motivo").fill("Cargue el oficio firmado por la firma autorizada.")
    screenshot(page, "review-return")
    page.get_by_role("button", name="Registrar resolución").click()
    # The browser keeps the #doc-N fragment across the redirect.
    page.wait_for_url(re.compile(r".*/cuentas/revision/(#.*)?$"))
    sign_out(page)
    assert any(admin.email in m.to and "Devuelta" in m.subject for m in mail.outbox)

    # 3. The administrator corrects it and sends it again.
    sign_in(page, base, "admin.isp")
    page.goto(f"{base}/cuentas/solicitudes/{req.pk}/")
    assert "Cargue el oficio firmado" in page.content()
    upload(page, {"Oficio de solicitud": files["oficio-firmado"]})
    page.get_by_role("button", name="Reenviar solicitud corregida").click()
    page.wait_for_load_state()
    assert page.locator("#estado-solicitud").inner_text() == "En revisión"
    sign_out(page)

    # 4. The reviewer checks every document and approves.
    sign_in(page, base, "revisora")
    page.goto(f"{base}/cuentas/solicitudes/{req.pk}/revisar/")
    for doc in req.documents.all():
        card = page.locator(f"#doc-{doc.pk}")
        card.get_by_label("Válido", exact=True).check()
        card.get_by_role("button", name="Guardar revisión del documento").click()
        page.wait_for_load_state()
    page.get_by_label("Aprobar").check()
    page.get_by_role("button", name="Registrar resolución").click()
    page.wait_for_url(re.compile(r".*/cuentas/revision/(#.*)?$"))
    sign_out(page)
    req.refresh_from_db()
    assert req.status == "approved" and req.account.status == "pending_letter"

    # 5. The new user activates the account, signs in and must accept the letter first.
    activation = next(m for m in mail.outbox if "begona.munoz@isp.gob.mx" in m.to)
    link = re.search(r"https?://\S+/cuentas/activar/\S+/", activation.body).group(0)
    page.goto(link)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Crear contraseña").click()
    page.wait_for_url(f"{base}/cuenta/entrar/")
    sign_in(page, base, req.account.username, NEW_PASSWORD)
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/cuentas/carta/")
    screenshot(page, "letter")
    page.get_by_label("Domicilio").fill("Calle Álamo 12, Col. Peñitas, Monterrey")
    page.get_by_label(re.compile(r"^Identificación:?( \(obligatorio\))?$")).select_option(label="Credencial para votar")
    page.get_by_label("Folio de la identificación").fill("IDMEX1234567")
    page.get_by_label("Leí la carta completa").check()
    page.get_by_role("button", name="Aceptar la carta").click()
    page.wait_for_url(f"{base}/cuentas/cartas/")

    with page.expect_download() as letter_download:
        page.get_by_role("link", name="Descargar PDF").click()
    letter_path = tmp_path / "carta.pdf"
    letter_download.value.save_as(letter_path)
    text = pdf_text(pdftotext, letter_path)
    for expected in (
        "Begoña Muñoz Téllez",
        "Calle Álamo 12, Col. Peñitas",
        "SP-4411",
        "IDMEX1234567",
        "Unidad de Análisis Táctico",
        "Instituto de Señalización Pública",
    ):
        assert expected in text, expected

    page.get_by_role("link", name="Ir a mi tablero").click()
    page.wait_for_url(f"{base}/")
    screenshot(page, "dashboard")
    assert page.get_by_role("heading", level=1).inner_text() == "Tablero de consulta"
    assert "Begoña" in page.locator("header").inner_text()
