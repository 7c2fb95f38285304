"""Demo data of data supply: the annex's layout on the main agreement, ISSE's two catalogs, and a
delivery in every state with its evaluation (generated files, invented people)."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.models import Obligation

from . import samples, services, validation
from .models import Delivery, Layout


def seed(ctx):
    agreement = ctx["agreements"]["main"]
    if Layout.objects.filter(agreement=agreement).exists():
        return
    users = ctx["users"]
    commission_admin, member_admin = users["comision.admin"], users["inst1.admin"]
    member = ctx["member1"]
    layout = services.layout_create_default(actor=commission_admin, agreement=agreement)
    for code, entries in (
        (validation.MEDICAL_UNITS, samples.MEDICAL_UNITS),
        (validation.BENEFICIARY_TYPES, samples.BENEFICIARY_TYPES),
    ):
        body = "".join(f"{k}|{m}\n" for k, m in entries.items()).encode()
        services.catalog_upload(actor=member_admin, institution=member, code=code, name=code, file=io.BytesIO(body))
    party = agreement.parties.get(institution=member)
    obligation = Obligation.objects.filter(agreement=agreement, party=party, schedule="monthly").first()
    if obligation is None:
        obligation = Obligation(
            agreement=agreement,
            party=party,
            description="Actualización mensual del padrón de derechohabientes (DÉCIMA PRIMERA 2)",
            schedule=Obligation.Schedule.MONTHLY,
            starts_on=date(timezone.localdate().year - 1, 1, 1),
            business_days=12,
        )
        obligation._history_user = commission_admin
        obligation.save()
    this_month = timezone.localdate().replace(day=1)

    def month(n):
        y, m = divmod(this_month.year * 12 + this_month.month - 1 - n, 12)
        return date(y, m + 1, 1)

    def submit(data, *, name, period, kind=Delivery.Kind.PERIODIC, validate=True, **kwargs):
        delivery = services.delivery_submit(
            actor=kwargs.pop("actor", member_admin),
            agreement=agreement,
            institution=member,
            layout=layout,
            kind=kind,
            period_start=period,
            obligation=obligation if kind == Delivery.Kind.PERIODIC else None,
            file=SimpleUploadedFile(name, data),
            **kwargs,
        )
        return services.delivery_validate(delivery_pk=delivery.pk) if validate else delivery

    good, _ = samples.rows(good=60, bad=False)
    mixed, _ = samples.rows(good=30)
    # Initial load received on a disk, registered by the commission, accepted (with its receipt).
    initial = submit(
        samples.zipped(samples.text(good), password="demo-2024"),
        name="carga-inicial.zip",
        period=month(6),
        kind=Delivery.Kind.INITIAL,
        password="demo-2024",
        actor=commission_admin,
        place="Centro de Mando, disco duro",
    )
    services.delivery_accept(actor=commission_admin, delivery=initial)
    # Accepted then replaced, for the period three months ago.
    first = submit(samples.text(good), name="padron-1.txt", period=month(3))
    services.delivery_accept(actor=commission_admin, delivery=first)
    second = submit(
        samples.text(good), name="padron-1-corregido.txt", period=month(3), replacement_reason="Vigencias corregidas"
    )
    services.delivery_accept(actor=commission_admin, delivery=second)
    # Rejected by the commission; failed validation; validated awaiting decision (with errors).
    rejected = submit(samples.text(mixed), name="padron-2.txt", period=month(2))
    services.delivery_reject(actor=commission_admin, delivery=rejected, note="Faltan registros de la región sur.")
    submit(samples.text(good, delimiter=","), name="padron-2-coma.csv", period=month(2))
    submit(samples.text(mixed, encoding="cp1252"), name="padron-3.txt", period=month(1))
    # Received (queued) and validating (in progress).
    submit(samples.text(good), name="padron-4.txt", period=this_month, validate=False)
    validating = submit(samples.text(good), name="padron-4-bis.txt", period=this_month, validate=False)
    validating.start_validation()
    validating.save()
    # A commission note on one evaluation.
    evaluation = services.evaluation_compute_for(second)
    if evaluation is not None:
        services.evaluation_correct(
            actor=commission_admin,
            evaluation=evaluation,
            supply=None,
            timeliness=True,
            quality=None,
            reason="Prórroga acordada por oficio.",
            note="Entrega en disco por falla de red.",
        )
