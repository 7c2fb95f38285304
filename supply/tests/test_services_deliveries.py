"""A delivery's life through the services: upload (AES zip), streamed validation in the (eager)
task, the error report, the commission's acceptance with its receipt, and the evaluation
(000 DÉCIMA PRIMERA 2: first 12 business days of the month; DÉCIMA OCTAVA)."""

import io
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import UserFactory, make_agreement, profile
from agreements.models import AgreementParty, Obligation
from supply import samples, services
from supply.models import Delivery, Evaluation

MX = ZoneInfo("America/Mexico_City")


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
    party = AgreementParty.objects.get(agreement=agreement, institution=member)
    obligation = Obligation.objects.create(
        agreement=agreement,
        party=party,
        description="Actualización mensual del padrón",
        schedule=Obligation.Schedule.MONTHLY,
        starts_on=date(2025, 1, 1),
        business_days=12,
    )
    return agreement, layout, admin, obligation


def _submit(setup, data, *, name="padron.txt", period=date(2025, 2, 1), **kwargs):
    agreement, layout, admin, obligation = setup
    validate = kwargs.pop("validate", True)
    delivery = services.delivery_submit(
        actor=kwargs.pop("actor", admin),
        agreement=agreement,
        institution=agreement.parties.get(role="member").institution,
        layout=layout,
        kind=Delivery.Kind.PERIODIC,
        period_start=period,
        obligation=obligation,
        file=SimpleUploadedFile(name, data),
        **kwargs,
    )
    # The task runs after commit (never in a test transaction): run its service here.
    return services.delivery_validate(delivery_pk=delivery.pk) if validate else delivery


def test_aes_zip_validated_errors_reported_then_accepted_with_receipt(
    setup, commission_admin, django_capture_on_commit_callbacks
):
    rows, expected = samples.rows(good=40)
    data = samples.zipped(samples.text(rows), password="s3creta")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = _submit(setup, data, name="padron.zip", password="s3creta", validate=False)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.VALIDATED
    assert (delivery.records, delivery.valid, delivery.invalid, delivery.duplicate_keys) == (45, 40, 5, 1)
    assert delivery.bytes == len(data) and len(delivery.sha256) == 64
    assert [(e["line"], e["field"]) for e in delivery.first_errors] == [(line, f) for line, f, _p in expected]
    # The error report: no delivered value, formulas neutralised, one row per error.
    report = default_storage.open(delivery.error_report_name).read().decode()
    assert report.count("\n") == 6 and "ISS0000" not in report
    # Nothing stored holds the password.
    assert "s3creta" not in repr(delivery.__dict__)
    # The commission accepts: the receipt carries the annex's fields.
    delivery = services.delivery_accept(actor=commission_admin, delivery=delivery)
    assert delivery.status == Delivery.Status.ACCEPTED and delivery.receipt_folio.startswith("REC-")
    pdf_bytes = default_storage.open(delivery.receipt_name).read()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf_bytes, capture_output=True, check=True).stdout.decode()
    for needle in (
        "padron.zip",
        str(len(data)),
        "45",
        delivery.receipt_folio,
        "Jefa de informática",
        "Fecha y hora de la entrega",
        "Lugar de la entrega",
        "portal",
        "Quien recibe",
    ):
        assert needle in text, needle
    evaluation = Evaluation.objects.get(period_start=date(2025, 2, 1))
    assert evaluation.supply_ok and not evaluation.quality_ok  # 40/45 = 88.9 % < 95 %
    assert evaluation.due_on == date(2025, 2, 19)  # 3 Feb 2025 (Constitution Day) is not a business day


def test_wrong_password_loses_nothing_and_keeps_no_file(setup, private_media):
    rows, _ = samples.rows(good=5, bad=False)
    data = samples.zipped(samples.text(rows), password="buena")
    with pytest.raises(ValidationError, match="contraseña"):
        _submit(setup, data, name="padron.zip", password="mala")
    assert not Delivery.objects.exists()
    assert not list(private_media.glob("supply/**/*.*"))


def test_a_second_delivery_for_an_accepted_period_needs_a_reason(setup, commission_admin):
    rows, _ = samples.rows(good=10, bad=False)
    first = _submit(setup, samples.text(rows))
    first.refresh_from_db()
    services.delivery_accept(actor=commission_admin, delivery=first)
    with pytest.raises(ValidationError, match="motivo"):
        _submit(setup, samples.text(rows))
    second = _submit(setup, samples.text(rows), replacement_reason="Corrección de vigencias")
    second.refresh_from_db()
    services.delivery_accept(actor=commission_admin, delivery=second)
    first.refresh_from_db()
    assert first.status == Delivery.Status.REPLACED


@pytest.mark.parametrize(
    ("received", "on_time"),
    [
        (datetime(2025, 2, 19, 23, 30, tzinfo=MX), True),  # 12th business day, late evening in Mexico City
        (datetime(2025, 2, 20, 9, 0, tzinfo=MX), False),
    ],
)
def test_timeliness_on_the_mexican_calendar(setup, received, on_time):
    rows, _ = samples.rows(good=10, bad=False)
    delivery = _submit(setup, samples.text(rows))
    delivery.refresh_from_db()
    delivery.received_at = received
    delivery.save()
    evaluation = services.evaluation_compute_for(delivery)
    assert evaluation.timeliness_ok is on_time and evaluation.quality_ok


def test_december_period_due_date_crosses_holidays(setup):
    # December 2025: the 12th business day (12 Dec is not a federal holiday here; weekends skipped).
    assert services.delivery_due_on(setup[3], date(2025, 12, 1)) == date(2025, 12, 16)


def test_another_institution_cannot_deliver(setup, other_member):
    outsider = UserFactory(institution=other_member, profile=profile("institution_admin"))
    rows, _ = samples.rows(good=2, bad=False)
    with pytest.raises(PermissionDenied):
        _submit(setup, samples.text(rows), actor=outsider)


def test_member_cannot_accept(setup):
    rows, _ = samples.rows(good=2, bad=False)
    delivery = _submit(setup, samples.text(rows))
    delivery.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.delivery_accept(actor=setup[2], delivery=delivery)


def test_command_prints_the_json_keys(tmp_path):
    from django.core.management import call_command

    rows, _ = samples.rows(good=10)
    path = tmp_path / "padron.txt"
    path.write_bytes(samples.text(rows))
    out = io.StringIO()
    call_command("delivery_validate", str(path), "--format", "json", stdout=out)
    import json

    data = json.loads(out.getvalue())
    assert {"records", "valid", "invalid", "errors_per_field", "duplicate_keys", "bytes", "sha256"} <= set(data)
    assert data["records"] == 15 and data["duplicate_keys"] == 1
