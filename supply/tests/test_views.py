"""A data delivery through the pages (the Django test client, the real login form): the
institution's administrator uploads the Technical annex's 10-field file and sees its validation
result; a bad file is refused in Spanish and the form keeps what was typed; the commission accepts
and downloads the receipt PDF; another institution's delivery does not exist for a stranger."""

import io
from datetime import date

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory, make_agreement, profile
from agreements.models import AgreementParty, Obligation
from supply import samples, services
from supply.models import Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(commission, commission_admin, member):
    agreement = make_agreement(institution=member, commission=commission)
    layout = services.layout_create_default(actor=commission_admin, agreement=agreement)
    admin = UserFactory(institution=member, profile=profile("institution_admin"), position="Jefa de informática")
    for code, entries in (
        (layout.fields.get(position=1).catalog_code, samples.MEDICAL_UNITS),
        (layout.fields.get(position=3).catalog_code, samples.BENEFICIARY_TYPES),
    ):
        body = "".join(f"{k}|{m}\n" for k, m in entries.items()).encode()
        services.catalog_upload(actor=admin, institution=member, code=code, name=code, file=io.BytesIO(body))
    Obligation.objects.create(
        agreement=agreement,
        party=AgreementParty.objects.get(agreement=agreement, institution=member),
        description="Actualización mensual del padrón",
        schedule=Obligation.Schedule.MONTHLY,
        starts_on=date(2025, 1, 1),
        business_days=12,
    )
    return layout, admin


def _upload(client, layout, name, data, **extra):
    """The create page's own period choices: the last one offered (an update of a period)."""
    page = client.get(reverse("supply:create"))
    assert page.status_code == 200
    period = [value for value, _label in page.context["form"].fields["period"].choices if value][-1]
    return client.post(
        reverse("supply:create"),
        {
            "layout": layout.pk,
            "kind": Delivery.Kind.PERIODIC,
            "period": period,
            "file": _named(name, data),
            **extra,
        },
    )


def _named(name, data):
    """An upload the test client posts as multipart, under this file name."""
    file = io.BytesIO(data)
    file.name = name
    return file


def _deliver(client, login, setup, django_capture_on_commit_callbacks):
    layout, admin = setup
    login(admin)
    rows, expected = samples.rows(good=40)
    # The validation task runs once the upload's transaction commits (eager in tests).
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, layout, "padron.txt", samples.text(rows))
    delivery = Delivery.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supply:detail", args=[delivery.pk])
    return delivery, expected


def test_institution_uploads_and_sees_the_validation_result(client, login, setup, django_capture_on_commit_callbacks):
    delivery, expected = _deliver(client, login, setup, django_capture_on_commit_callbacks)
    page = client.get(reverse("supply:detail", args=[delivery.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Entrega recibida; la validación está en curso." in html
    assert "Validada, en revisión de la Comisión" in html
    assert "padron.txt" in html and delivery.sha256 in html
    # 45 records, 40 valid, 5 with errors, one repeated key; the first errors list the lines.
    delivery.refresh_from_db()
    assert (delivery.records, delivery.valid, delivery.invalid, delivery.duplicate_keys) == (45, 40, 5, 1)
    assert "Errores por campo" in html and "Descargar el reporte completo de errores (CSV)" in html
    for line, _field, _problem in expected:
        assert f"<td>{line}</td>" in html
    # The member cannot decide on its own delivery: no decision form for it.
    assert "Aceptar y emitir recibo" not in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("padron.rar", b"Rar!\x1a\x07\x00", "Ese formato no se acepta: comprima el archivo en .zip."),
        (
            "padron.zip",
            samples.zipped(samples.text(samples.rows(good=5, bad=False)[0]), password="buena"),
            "La contraseña del zip no es correcta.",
        ),
    ],
    ids=["rar", "wrong-zip-password"],
)
def test_a_bad_file_is_refused_in_spanish_and_the_form_keeps_its_values(client, login, setup, name, data, message):
    layout, admin = setup
    login(admin)
    response = _upload(
        client, layout, name, data, password="mala", replacement_reason="Corrección de vigencias de marzo"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert not Delivery.objects.exists()
    form = response.context["form"]
    assert form.data["layout"] == str(layout.pk) and form.data["kind"] == Delivery.Kind.PERIODIC
    assert "Corrección de vigencias de marzo" in html  # what was typed stays on the page
    assert f'value="{layout.pk}" selected' in html
    assert "mala" not in html  # the password is never echoed back


def test_commission_accepts_and_downloads_the_receipt(
    client, login, setup, commission_admin, django_capture_on_commit_callbacks
):
    delivery, _expected = _deliver(client, login, setup, django_capture_on_commit_callbacks)
    client.logout()
    login(commission_admin)
    page = client.get(reverse("supply:detail", args=[delivery.pk]))
    assert "Aceptar y emitir recibo" in page.content.decode()
    response = client.post(reverse("supply:decide", args=[delivery.pk, "aceptar"]), {"note": "Sin observaciones"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.ACCEPTED
    assert "Entrega aceptada; el recibo está listo." in client.get(response["Location"]).content.decode()
    receipt = client.get(reverse("supply:receipt", args=[delivery.pk]))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt["Content-Disposition"] == f'attachment; filename="recibo-{delivery.receipt_folio}.pdf"'
    assert b"".join(receipt.streaming_content).startswith(b"%PDF-")


def test_another_institutions_delivery_answers_404(
    client, login, setup, other_member, django_capture_on_commit_callbacks
):
    delivery, _expected = _deliver(client, login, setup, django_capture_on_commit_callbacks)
    client.logout()
    stranger = UserFactory(institution=other_member, profile=profile("institution_admin"))
    login(stranger)
    for url in (
        reverse("supply:detail", args=[delivery.pk]),
        reverse("supply:errors", args=[delivery.pk]),
        reverse("supply:receipt", args=[delivery.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "padron.txt" not in client.get(reverse("supply:list")).content.decode()
