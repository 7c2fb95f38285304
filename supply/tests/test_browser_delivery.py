"""Issue 17's journey in Chromium, on the demo data: ISSE's administrator uploads a file with known
errors, watches the validation advance, reads the errors (values hidden), uploads a corrected file;
the commission accepts it; both download the receipt, whose text carries the annex's fields.

The test plays the Celery worker: the upload's task is queued (not run inside the request, as
eager mode would), then the real service validates it in another thread, held halfway through
the file so that the page can show the progress between two reloads."""

import re
import subprocess
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import require_binary
from kernel.pdf_dates import long_date
from portal.tests.browsing import demo_password, sign_in
from supply import samples, services, tasks, validation
from supply.models import Delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, private_media):
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


class Worker:
    """Queued validations, run on demand in a thread; ``hold`` stops one at its first progress."""

    def __init__(self, monkeypatch):
        self.queued: list[int] = []
        self.halfway, self.go_on = threading.Event(), threading.Event()
        self.hold = False
        monkeypatch.setattr(tasks.validate_delivery, "delay", self.queued.append)
        original = validation.validate

        def validate(fileobj, layout, *, on_progress=None, **kwargs):
            def progress(done, total):
                on_progress(done, total)
                if self.hold and done < total and not self.halfway.is_set():
                    self.halfway.set()
                    assert self.go_on.wait(60)

            return original(fileobj, layout, on_progress=progress, progress_every=10, **kwargs)

        monkeypatch.setattr(validation, "validate", validate)

    def start(self) -> threading.Thread:
        pk = self.queued.pop()

        def run():
            try:
                services.delivery_validate(delivery_pk=pk)
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread


def loaded(page):
    page.wait_for_load_state("domcontentloaded")


def upload(page, base, path, period_value):
    page.goto(f"{base}/suministro/")
    loaded(page)
    page.get_by_role("link", name="Entregar datos").click()
    loaded(page)
    page.get_by_label("Layout (convenio)").select_option(index=1)  # the agreement's only layout
    page.get_by_label("Tipo de entrega").select_option(label="Actualización del periodo")
    page.get_by_label(re.compile(r"^Periodo")).select_option(value=period_value)
    page.get_by_label(re.compile(r"^Archivo")).set_input_files(str(path))
    page.get_by_role("button", name="Entregar").click()
    loaded(page)
    assert "/nueva/" not in page.url, page.locator("main").inner_text()  # the form's errors, if refused


def receipt_text(page, tmp_path, name):
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Descargar recibo")).click()
    pdf = tmp_path / f"{name}.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # noqa: S603
        [require_binary("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pdf.read_bytes(), text


def test_upload_errors_corrected_file_accepted_and_receipt_for_both(
    live_server, page, demo, screenshot, tmp_path, monkeypatch
):
    from accounts.models import User

    base = live_server.url
    worker = Worker(monkeypatch)
    member_admin, commission_admin = (
        User.objects.get(username="inst1.admin"),
        User.objects.get(username="comision.admin"),
    )
    # The period a month ago: validated but not yet accepted in the demo (no replacement needed).
    pending = Delivery.objects.filter(status=Delivery.Status.VALIDATED, file_name="padron-3.txt").get()
    period_value = f"{pending.obligation_id}:{pending.period_start.isoformat()}"

    rows, expected = samples.rows(good=40)
    with_errors = tmp_path / "padron-con-errores.txt"
    with_errors.write_bytes(samples.text(rows))
    secret_name = rows[0][3] + " " + rows[0][4]  # a person's name: must never reach the page

    sign_in(page, base, "inst1.admin", demo_password())
    upload(page, base, with_errors, period_value)
    assert page.get_by_text("Entrega recibida; la validación está en curso.").is_visible()
    assert "Recibida, por validar" in page.locator("#estado").inner_text()

    worker.hold = True
    thread = worker.start()
    assert worker.halfway.wait(60)
    page.get_by_role("link", name="Actualizar el avance").click()
    loaded(page)
    assert "Validando" in page.locator("#estado").inner_text()
    progress = int(page.get_by_label("Avance de la validación").get_attribute("value"))
    assert 0 < progress < 100
    screenshot(page, "validando")
    worker.go_on.set()
    thread.join(60)

    page.get_by_role("link", name="Actualizar el avance").click()
    loaded(page)
    assert "Validada, en revisión de la Comisión" in page.locator("#estado").inner_text()
    errors = page.locator("#errores tbody tr")
    assert errors.count() == len(expected)
    for n, (line, field, problem) in enumerate(expected):
        cells = errors.nth(n).locator("td").all_inner_texts()
        assert cells[0] == str(line) and cells[1] == field
        assert cells[2] == str(validation.PROBLEMS[problem])
    assert secret_name not in page.content() and rows[0][8] not in page.content()
    assert page.get_by_role("link", name=re.compile("reporte completo de errores")).is_visible()
    screenshot(page, "errores")

    corrected_rows, _ = samples.rows(good=44, bad=False)
    corrected = tmp_path / "padron-corregido.txt"
    corrected.write_bytes(samples.text(corrected_rows))
    upload(page, base, corrected, period_value)
    worker.hold = False
    worker.start().join(60)
    page.get_by_role("link", name="Actualizar el avance").click()
    loaded(page)
    assert "Validada, en revisión de la Comisión" in page.locator("#estado").inner_text()
    assert page.locator("#errores").count() == 0
    delivery_url = page.url
    page.get_by_role("button", name="Cerrar sesión").click()
    loaded(page)

    sign_in(page, base, "comision.admin", demo_password())
    page.goto(delivery_url)
    loaded(page)
    page.get_by_label("Observaciones").fill("Recibido completo.")
    page.get_by_role("button", name="Aceptar y emitir recibo").click()
    loaded(page)
    assert page.get_by_text("Entrega aceptada; el recibo está listo.").is_visible()
    screenshot(page, "aceptada")
    commission_pdf, text = receipt_text(page, tmp_path, "comision")
    page.get_by_role("button", name="Cerrar sesión").click()
    loaded(page)

    delivery = Delivery.objects.get(file_name="padron-corregido.txt")
    assert delivery.status == Delivery.Status.ACCEPTED
    flat = re.sub(r"\s+", "", text)
    for value in (
        delivery.receipt_folio,
        "portal",  # place
        "padron-corregido.txt",
        str(corrected.stat().st_size),  # bytes
        str(len(corrected_rows)),  # records
        member_admin.get_full_name(),
        member_admin.position,
        commission_admin.get_full_name(),
        commission_admin.position,
    ):
        assert value and value in text, value
    # Date and time of the delivery, and the receiver's acceptance time, in the PDFs' long style
    # (the cell may wrap them).
    for moment in (delivery.received_at, delivery.accepted_at):
        assert re.sub(r"\s+", "", long_date(moment, with_time=True)) in flat, long_date(moment, with_time=True)
    assert delivery.sha256 in flat  # the digest may wrap in the PDF's narrow cell

    sign_in(page, base, "inst1.admin", demo_password())
    page.goto(delivery_url)
    loaded(page)
    member_pdf, member_text = receipt_text(page, tmp_path, "institucion")
    assert member_pdf == commission_pdf and delivery.receipt_folio in member_text
