"""Writes on data supply: catalogs, layouts, deliveries (submit, validate, accept, reject),
receipts, the computed evaluation and the files' retention.

Every function takes keyword-only arguments and an explicit ``actor`` (None for the system), checks
permission and scope, runs in one transaction, writes through models that keep history and
records a business event. A zip's password is an argument of ``delivery_submit`` only: it opens
the zip in the request and is neither stored, logged nor passed to the worker.
"""

import csv
import io
import secrets
import shutil
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, Institution, Obligation
from audit.export import csv_safe_row
from kernel.evidence.models import EvidenceKind
from kernel.evidence.services import issue_pdf
from kernel.notifications import recipients
from kernel.notifications.services import notify
from kernel.writes import business_event, save_as

from . import validation
from .models import Catalog, CatalogEntry, Delivery, Evaluation, Layout, LayoutField

# --- helpers ---------------------------------------------------------------------------------


# Saved with the actor as the history row's author; each write's business event (kernel.writes).
_save = save_as
_event = business_event


def _require(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied


def _is_platform(actor) -> bool:
    return bool(getattr(actor, "has_platform_scope", False) or getattr(actor, "is_superuser", False))


def _require_institution(actor, institution: Institution) -> None:
    """The actor acts for ``institution`` (its own) or for the whole platform (the commission)."""
    if not (_is_platform(actor) or actor.institution_id == institution.pk):
        raise PermissionDenied


def _full_name(user) -> str:
    name = getattr(user, "full_name", "") or user.get_full_name()
    return name or user.get_username()


# --- Catalogs --------------------------------------------------------------------------------

MAX_CATALOG_BYTES = 5 * 1024 * 1024


def _catalog_lines(file) -> list[tuple[str, str]]:
    file.seek(0)
    data = file.read(MAX_CATALOG_BYTES + 1)
    if not data:
        raise ValidationError(_("El catálogo está vacío."), code="empty")
    if len(data) > MAX_CATALOG_BYTES:
        raise ValidationError(_("El catálogo pasa de 5 MB."), code="too_large")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = "|" if "|" in first else (";" if ";" in first and "," not in first else ",")
    entries: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 2 or not row[0].strip():
            raise ValidationError(
                _("Línea %(n)d del catálogo: debe tener la clave y su significado.") % {"n": number}, code="bad_line"
            )
        code, meaning = row[0].strip(), row[1].strip()
        if len(code) > 40 or len(meaning) > 255:
            raise ValidationError(_("Línea %(n)d del catálogo: clave o significado demasiado largos.") % {"n": number})
        if code in entries:
            raise ValidationError(
                _("Línea %(n)d del catálogo: la clave %(code)s está repetida.") % {"n": number, "code": code}
            )
        entries[code] = meaning
    if not entries:
        raise ValidationError(_("El catálogo no tiene claves."), code="empty")
    return list(entries.items())


@transaction.atomic
def catalog_upload(*, actor, institution: Institution, code: str, name: str, file) -> Catalog:
    """A new version of the institution's catalog from a file of "clave|significado" lines."""
    _require(actor, "supply.add_catalog")
    _require_institution(actor, institution)
    entries = _catalog_lines(file)
    last = Catalog.objects.select_for_update().filter(institution=institution, code=code).order_by("-version").first()
    catalog = _save(
        Catalog(
            institution=institution,
            code=code,
            name=name,
            version=(last.version + 1) if last else 1,
            entry_count=len(entries),
            created_by=actor,
        ),
        actor,
    )
    # Entries are immutable parts of this version (no history of their own): written at once.
    CatalogEntry.objects.bulk_create(CatalogEntry(catalog=catalog, code=c, meaning=m) for c, m in entries)
    _event(
        "catalog_uploaded",
        actor=actor,
        target=catalog,
        institution=institution,
        code=code,
        version=catalog.version,
        entries=len(entries),
    )
    return catalog


def current_catalogs(institution: Institution) -> dict[str, frozenset[str]]:
    """Each catalog code of the institution -> the codes of its latest version."""
    latest: dict[str, Catalog] = {}
    for catalog in Catalog.objects.filter(institution=institution).order_by("code", "-version"):
        latest.setdefault(catalog.code, catalog)
    return {
        code: frozenset(CatalogEntry.objects.filter(catalog=catalog).values_list("code", flat=True))
        for code, catalog in latest.items()
    }


# --- Layouts ---------------------------------------------------------------------------------


@transaction.atomic
def layout_create_default(*, actor, agreement: Agreement, code: str | None = None) -> Layout:
    """The annex's 10-field layout of the beneficiaries' register, for ``agreement``."""
    _require(actor, "supply.add_layout")
    if actor is not None and not _is_platform(actor):
        raise PermissionDenied
    code = code or f"{validation.DEFAULT_LAYOUT_CODE}-{agreement.pk}"
    if Layout.objects.filter(code=code).exists():
        raise ValidationError(_("Ya existe un layout con la clave %(code)s.") % {"code": code}, code="duplicate")
    spec = validation.DEFAULT_LAYOUT
    layout = _save(
        Layout(
            agreement=agreement,
            code=code,
            name=_("Padrón de derechohabientes (carga inicial, Anexo técnico)"),
            delimiter=spec.delimiter,
            encoding=spec.encoding,
            has_header=spec.has_header,
            key_position=(spec.key_field + 1) if spec.key_field is not None else None,
        ),
        actor,
    )
    for position, field_spec in enumerate(spec.fields, start=1):
        _save(
            LayoutField(
                layout=layout,
                position=position,
                name=field_spec.name,
                kind=field_spec.kind,
                required=field_spec.required,
                max_length=field_spec.max_length,
                catalog_code=field_spec.catalog,
            ),
            actor,
        )
    _event("layout_created", actor=actor, target=layout, code=layout.code)
    return layout


def layout_spec(layout: Layout, institution: Institution | None) -> validation.LayoutSpec:
    """The validator's view of a layout, with the institution's current catalogs."""
    fields = tuple(
        validation.FieldSpec(f.name, f.kind, f.required, f.max_length, f.catalog_code)
        for f in layout.fields.order_by("position")
    )
    return validation.LayoutSpec(
        fields=fields,
        delimiter=layout.delimiter,
        encoding=layout.encoding,
        has_header=layout.has_header,
        key_field=(layout.key_position - 1) if layout.key_position else None,
        catalogs=current_catalogs(institution) if institution is not None else {},
    )


# --- Deliveries ------------------------------------------------------------------------------


def _store(stream, *, folder: str, ext: str) -> str:
    """Copy a binary stream to private storage under a random name, without reading it whole."""
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(stream, spool, 1024 * 1024)
        spool.seek(0)
        return default_storage.save(f"{folder}/{secrets.token_hex(16)}.{ext}", File(spool))


def _delete(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def delivery_due_on(obligation: Obligation | None, period_start: date) -> date | None:
    if obligation is None:
        return None
    from agreements.rules import period_due_date

    return period_due_date(
        schedule=obligation.schedule, period_start=period_start, business_days=obligation.business_days
    )


def delivery_submit(
    *,
    actor,
    agreement: Agreement,
    institution: Institution,
    layout: Layout,
    kind: str,
    period_start: date,
    file,
    obligation: Obligation | None = None,
    password: str | None = None,
    replacement_reason: str = "",
    place: str = "portal",
) -> Delivery:
    """Receive a file for a period: keep it privately, open a zip here (its password is used now
    and forgotten) and queue the validation. Bad archives are refused before anything is kept."""
    _require(actor, "supply.add_delivery")
    _require_institution(actor, institution)
    if not agreement.parties.filter(institution=institution).exists() or layout.agreement_id != agreement.pk:
        raise PermissionDenied
    if obligation is not None and obligation.agreement_id != agreement.pk:
        raise PermissionDenied
    if place != "portal" and not _is_platform(actor):
        raise PermissionDenied  # only the commission registers a load received on a disk
    if kind == Delivery.Kind.PERIODIC and obligation is None:
        raise ValidationError(_("Elija la obligación y el periodo que cubre la entrega."), code="period")
    already = Delivery.objects.filter(
        agreement=agreement,
        institution=institution,
        period_start=period_start,
        kind=kind,
        status=Delivery.Status.ACCEPTED,
    ).exists()
    if already and not replacement_reason.strip():
        raise ValidationError(
            _("Ya hay una entrega aceptada para ese periodo: escriba el motivo de la sustitución."), code="replacement"
        )
    folder = f"supply/{institution.pk}"
    size, sha256 = validation.file_digest(file)
    if size == 0:
        raise ValidationError(_("El archivo está vacío."), code="empty")
    max_bytes = validation.max_upload_bytes()
    if size > max_bytes:
        raise ValidationError(_("El archivo pasa del máximo permitido (2 GB)."), code="too_large")
    stored = text_name = ""
    try:
        with validation.open_delivery(file, password=password or None) as (stream, _total, inner):
            zipped = bool(inner)
            if zipped:
                text_name = _store(stream, folder=folder, ext="txt")
        file.seek(0)
        stored = _store(file, folder=folder, ext="zip" if zipped else "txt")
        text_name = text_name or stored
        with transaction.atomic():
            delivery = _save(
                Delivery(
                    agreement=agreement,
                    institution=institution,
                    layout=layout,
                    obligation=obligation,
                    kind=kind,
                    period_start=period_start,
                    due_on=delivery_due_on(obligation, period_start),
                    file_name=validation.base_name(getattr(file, "name", "") or "entrega.txt"),
                    inner_name=inner,
                    stored_name=stored,
                    text_name=text_name,
                    bytes=size,
                    sha256=sha256,
                    place=place or "portal",
                    replacement_reason=replacement_reason.strip(),
                    delivered_by=actor,
                    deliverer_name=_full_name(actor),
                    deliverer_position=getattr(actor, "position", ""),
                    received_at=timezone.now(),
                ),
                actor,
            )
            _event(
                "delivery_received",
                actor=actor,
                target=delivery,
                institution=institution,
                sha256=sha256,
                bytes=size,
                period=period_start,
            )
            from .tasks import validate_delivery

            transaction.on_commit(lambda: validate_delivery.delay(delivery.pk))
    except BaseException:
        _delete(text_name if text_name != stored else "")
        _delete(stored)
        raise
    return delivery


PROGRESS_KEY = "supply:progress:{}"


def progress_of(delivery: Delivery) -> int:
    """The validation's progress in percent (kept in the shared cache, not in the history log)."""
    if delivery.status != Delivery.Status.VALIDATING:
        return 100 if delivery.status not in (Delivery.Status.RECEIVED,) else 0
    return int(caches["shared"].get(PROGRESS_KEY.format(delivery.pk), 0))


REPORT_HEADER = ["linea", "campo", "problema", "valor"]


def delivery_validate(*, delivery_pk: int) -> Delivery:
    """Run the validator over the stored text (the worker calls this): counts, errors per field,
    duplicates, the error report (CSV in private storage) and the period's evaluation."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_pk)
        if delivery.status != Delivery.Status.RECEIVED:
            return delivery
        delivery.start_validation()
        _save(delivery, None)
    spec = layout_spec(delivery.layout, delivery.institution)
    cache = caches["shared"]
    key = PROGRESS_KEY.format(delivery.pk)
    failure = ""
    result = None
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="") as report:
        writer = csv.writer(report)
        writer.writerow(REPORT_HEADER)

        def on_error(error: validation.LineError) -> None:
            writer.writerow(csv_safe_row([error.line, error.field, error.message, error.masked()]))

        def on_progress(done: int, total: int) -> None:
            cache.set(key, int(100 * done / total) if total else 100, 3600)

        try:
            with default_storage.open(delivery.text_name, "rb") as handle:
                result = validation.validate(handle, spec, on_error=on_error, on_progress=on_progress)
        except ValidationError as error:
            failure = " ".join(error.messages)
        except FileNotFoundError:
            failure = _("El archivo de la entrega ya no está en el almacenamiento.")
        report_name = ""
        if result is not None and result.invalid:
            report.seek(0)
            data = io.BytesIO(report.read().encode("utf-8"))
            report_name = default_storage.save(
                f"supply/{delivery.institution_id}/errores-{secrets.token_hex(12)}.csv", File(data)
            )
    cache.delete(key)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_pk)
        delivery.validated_at = timezone.now()
        delivery.error_report_name = report_name
        if result is None or result.valid == 0:
            delivery.failure = failure or _("Ningún registro es válido: revise el reporte de errores.")
            delivery.fail_validation()
        else:
            delivery.pass_validation()
        if result is not None:
            delivery.records, delivery.valid, delivery.invalid = result.records, result.valid, result.invalid
            delivery.duplicate_keys = result.duplicate_keys
            delivery.errors_per_field = dict(result.errors_per_field)
            delivery.first_errors = [
                {"line": e.line, "field": e.field, "problem": e.message, "value": e.masked()}
                for e in result.first_errors
            ]
            delivery.notices = [str(n) for n in result.notices]
        _save(delivery, None)
        _event(
            "delivery_validated",
            actor=None,
            target=delivery,
            institution=delivery.institution,
            records=delivery.records,
            valid=delivery.valid,
            invalid=delivery.invalid,
            status=delivery.status,
        )
        people = recipients.institution_admins([delivery.institution])
        if delivery.status == Delivery.Status.FAILED:
            notify(
                recipients=people, template="supply_delivery_failed", context={"delivery": delivery}, related=delivery
            )
        elif not delivery.meets_quality:
            notify(recipients=people, template="supply_quality_low", context={"delivery": delivery}, related=delivery)
        evaluation_compute_for(delivery)
    return delivery


def _decider(actor, delivery: Delivery) -> None:
    _require(actor, "supply.decide_delivery")
    if not _is_platform(actor):
        raise PermissionDenied


@transaction.atomic
def delivery_accept(*, actor, delivery: Delivery, note: str = "") -> Delivery:
    """The commission accepts a validated delivery: a receipt with a folio (Anexo técnico's fields)
    and the period's evaluation. An earlier accepted delivery of the period is replaced."""
    _decider(actor, delivery)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != Delivery.Status.VALIDATED:
        raise ValidationError(_("Solo se acepta una entrega validada."), code="state")
    previous = Delivery.objects.select_for_update().filter(
        agreement=delivery.agreement_id,
        institution=delivery.institution_id,
        period_start=delivery.period_start,
        kind=delivery.kind,
        status=Delivery.Status.ACCEPTED,
    )
    for old in previous:
        old.replace()
        _save(old, actor)
        _event("delivery_replaced", actor=actor, target=old, institution=old.institution, by=delivery.pk)
    delivery.accept()
    delivery.accepted_by = actor
    delivery.receiver_name = _full_name(actor)
    delivery.receiver_position = getattr(actor, "position", "")
    delivery.accepted_at = timezone.now()
    delivery.decision_note = note.strip()
    delivery.receipt_folio = f"REC-{timezone.localdate():%Y}-{secrets.token_hex(5).upper()}"
    # Signed PAdES, with a verification folio and QR code, registered with the document (annex:
    # the receipt is the evidence of the initial load).
    issued = issue_pdf(
        kind=EvidenceKind.SUPPLY_RECEIPT, template_name="pdf/supply_receipt.html", context={"delivery": delivery}
    )
    delivery.receipt_name = default_storage.save(
        f"supply/{delivery.institution_id}/recibo-{secrets.token_hex(12)}.pdf", File(io.BytesIO(issued.data))
    )
    delivery.receipt_sha256 = issued.sha256
    _save(delivery, actor)
    _event(
        "delivery_accepted",
        actor=actor,
        target=delivery,
        institution=delivery.institution,
        folio=delivery.receipt_folio,
        receipt_sha256=delivery.receipt_sha256,
    )
    evaluation_compute_for(delivery)
    return delivery


@transaction.atomic
def delivery_reject(*, actor, delivery: Delivery, note: str) -> Delivery:
    _decider(actor, delivery)
    if not note.strip():
        raise ValidationError(_("Escriba el motivo del rechazo."), code="note")
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != Delivery.Status.VALIDATED:
        raise ValidationError(_("Solo se rechaza una entrega validada."), code="state")
    delivery.reject()
    delivery.decision_note = note.strip()
    _save(delivery, actor)
    _event("delivery_rejected", actor=actor, target=delivery, institution=delivery.institution)
    notify(
        recipients=recipients.institution_admins([delivery.institution]),
        template="supply_delivery_rejected",
        context={"delivery": delivery},
        related=delivery,
    )
    evaluation_compute_for(delivery)
    return delivery


def delivery_files_expire(*, now: datetime | None = None) -> int:
    """Delete the delivered files whose retention (the layout's days) has run; history-logged."""
    now = now or timezone.now()
    count = 0
    for delivery in Delivery.objects.filter(file_deleted_at__isnull=True).select_related("layout"):
        if delivery.received_at + timedelta(days=delivery.layout.retention_days) > now:
            continue
        with transaction.atomic():
            for name in {delivery.stored_name, delivery.text_name}:
                _delete(name)
            delivery.file_deleted_at = now
            _save(delivery, None)
            _event("delivery_file_deleted", actor=None, target=delivery, institution=delivery.institution)
        count += 1
    return count


# --- Evaluation (000 DÉCIMA OCTAVA) ----------------------------------------------------------

COUNTING = (Delivery.Status.VALIDATED, Delivery.Status.ACCEPTED)


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def evaluation_compute(
    *, agreement: Agreement, institution: Institution, period_start: date, due_on: date, obligation=None
) -> Evaluation:
    """Supply: a delivery of the period passed validation. Timeliness: the first one arrived by the
    due date (Mexico City date). Quality: the accepted one's (else the best one's) share of valid
    records reaches the layout's threshold. Corrections the commission made stay."""
    deliveries = list(
        Delivery.objects.filter(
            agreement=agreement,
            institution=institution,
            period_start=period_start,
            kind=Delivery.Kind.PERIODIC,
            status__in=COUNTING,
        ).select_related("layout")
    )
    evaluation = Evaluation.objects.select_for_update().filter(
        agreement=agreement, institution=institution, period_start=period_start
    ).first() or Evaluation(agreement=agreement, institution=institution, period_start=period_start)
    evaluation.obligation = obligation
    evaluation.due_on = due_on
    chosen = next((d for d in deliveries if d.status == Delivery.Status.ACCEPTED), None) or max(
        deliveries, key=lambda d: d.valid_share, default=None
    )
    evaluation.delivery = chosen
    evaluation.supply_ok = bool(deliveries)
    evaluation.timeliness_ok = bool(deliveries) and min(_local_date(d.received_at) for d in deliveries) <= due_on
    if chosen is not None:
        evaluation.threshold = chosen.layout.quality_threshold
        evaluation.valid_percent = Decimal(str(chosen.valid_percent))
        evaluation.quality_ok = evaluation.valid_percent >= evaluation.threshold
    else:
        evaluation.valid_percent = None
        evaluation.quality_ok = False
    _save(evaluation, None)
    _event(
        "evaluation_computed",
        actor=None,
        target=evaluation,
        institution=institution,
        period=period_start,
        supply=evaluation.supply_ok,
        timeliness=evaluation.timeliness_ok,
        quality=evaluation.quality_ok,
    )
    return evaluation


def evaluation_compute_for(delivery: Delivery) -> Evaluation | None:
    if delivery.kind != Delivery.Kind.PERIODIC or delivery.obligation is None or delivery.due_on is None:
        return None
    return evaluation_compute(
        agreement=delivery.agreement,
        institution=delivery.institution,
        period_start=delivery.period_start,
        due_on=delivery.due_on,
        obligation=delivery.obligation,
    )


@transaction.atomic
def evaluation_correct(
    *,
    actor,
    evaluation: Evaluation,
    supply: bool | None,
    timeliness: bool | None,
    quality: bool | None,
    reason: str,
    note: str = "",
) -> Evaluation:
    """The commission overrides a computed mark (None keeps the computed one), with a reason."""
    _require(actor, "supply.decide_delivery")
    if not _is_platform(actor):
        raise PermissionDenied
    overriding = any(v is not None for v in (supply, timeliness, quality))
    if overriding and not reason.strip():
        raise ValidationError(_("Escriba el motivo de la corrección."), code="reason")
    evaluation.override_supply, evaluation.override_timeliness, evaluation.override_quality = (
        supply,
        timeliness,
        quality,
    )
    evaluation.override_reason = reason.strip()
    evaluation.note = note.strip()
    _save(evaluation, actor)
    _event(
        "evaluation_corrected",
        actor=actor,
        target=evaluation,
        institution=evaluation.institution,
        period=evaluation.period_start,
    )
    return evaluation


def supply_alerts(*, today: date | None = None) -> int:
    """Outbox alerts for periodic obligations of supply: due in 5 business days, and overdue."""
    from agreements.rules import calendar_for, obligation_periods

    today = today or timezone.localdate()
    cal = calendar_for(first=today - timedelta(days=62), until=today + timedelta(days=31))
    sent = 0
    layouts = Layout.objects.values_list("agreement_id", flat=True)
    obligations = Obligation.objects.filter(
        is_active=True,
        agreement_id__in=layouts,
        schedule__in=[Obligation.Schedule.MONTHLY, Obligation.Schedule.FORTNIGHTLY],
    ).select_related("party__institution", "agreement")
    for obligation in obligations:
        institution = obligation.party.institution
        for period, due in obligation_periods(
            schedule=obligation.schedule,
            starts_on=obligation.starts_on,
            due_on=obligation.due_on,
            business_days=obligation.business_days,
            ends_on=obligation.ends_on,
            until=cal.add_business_days(today, 5),
            cal=cal,
        ):
            if due < today - timedelta(days=31):
                continue
            delivered = Delivery.objects.filter(
                agreement=obligation.agreement, institution=institution, period_start=period, status__in=COUNTING
            ).exists()
            if delivered:
                continue
            if due == cal.add_business_days(today, 5):
                template = "supply_delivery_due"
            elif due == cal.add_business_days(today, -1):
                template = "supply_delivery_overdue"
            else:
                continue
            context: dict[str, Any] = {"obligation": obligation, "period": period, "due": due}
            notify(
                recipients=recipients.institution_admins([institution]),
                template=template,
                context=context,
                related=obligation,
                link=reverse("supply:list"),  # where the delivery is made
            )
            sent += 1
    return sent


def evaluation_compute_due(*, today: date | None = None) -> int:
    """Evaluate each closed period (its due date passed) of the data-supply obligations that has
    no evaluation yet: with nothing delivered it counts as no supply, no timeliness, no quality,
    so that the compliance tables count the periods an institution let pass. The last 400 days."""
    from agreements.rules import obligation_periods

    from .compliance import source

    today = today or timezone.localdate()
    since = today - timedelta(days=400)
    obligations = source.computed(Obligation.objects.filter(is_active=True)).select_related(
        "party__institution", "agreement"
    )
    created = 0
    for obligation in obligations:
        institution = obligation.party.institution
        known = set(
            Evaluation.objects.filter(agreement=obligation.agreement, institution=institution).values_list(
                "period_start", flat=True
            )
        )
        for period, due in obligation_periods(
            schedule=obligation.schedule,
            starts_on=obligation.starts_on,
            due_on=obligation.due_on,
            business_days=obligation.business_days,
            ends_on=obligation.ends_on,
            until=today,
        ):
            if due >= today or due < since or period in known:
                continue
            with transaction.atomic():
                evaluation_compute(
                    agreement=obligation.agreement,
                    institution=institution,
                    period_start=period,
                    due_on=due,
                    obligation=obligation,
                )
            created += 1
    return created
