"""Obligations and the compliance recorded against them."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import compliance_sources, rules
from ..models import (
    ComplianceRecord,
    Document,
    Obligation,
)
from .common import _check_actor, _event, _files_removed_on_failure, _save
from .documents import _document_upload


@transaction.atomic
def obligation_create(
    *, agreement, actor, party, description, schedule, starts_on, due_on=None, business_days=None, ends_on=None
):
    _check_actor(actor, "agreements.add_obligation", agreement=agreement)
    if party.agreement_id != agreement.pk:
        raise ValidationError(_("La parte obligada debe ser parte del convenio."))
    obligation = Obligation(
        agreement=agreement,
        party=party,
        description=description,
        schedule=schedule,
        starts_on=starts_on,
        due_on=due_on,
        business_days=business_days,
        ends_on=ends_on,
    )
    obligation.full_clean()
    _save(obligation, actor)
    _event("obligation_created", actor=actor, target=agreement)
    return obligation


def obligation_next_due(obligation, *, today=None):
    """(period_start, due date) of the earliest unfulfilled period, or None."""
    today = today or timezone.localdate()
    done = set(obligation.records.values_list("period_start", flat=True))
    return rules.obligation_next_due(obligation, done=done, today=today)


def compliance_create(*, obligation, actor, evidence_file=None, **fields) -> ComplianceRecord:
    """Store the evidence (if any) and record the period's compliance in one transaction.

    A refused record (e.g. a period already recorded) leaves no document, stored file or event.
    """
    _check_actor(
        actor,
        "agreements.add_compliancerecord",
        agreement=obligation.agreement,
        institution=obligation.party.institution,
    )
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        evidence = None
        if evidence_file:
            evidence = _document_upload(
                actor=actor,
                institution=obligation.party.institution,
                agreement=obligation.agreement,
                kind=Document.Kind.EVIDENCE,
                title=_("Evidencia de cumplimiento"),
                file=evidence_file,
            )
            stored_names.append(evidence.file.name)
        return compliance_record(obligation=obligation, actor=actor, evidence=evidence, **fields)


@transaction.atomic
def compliance_record(
    *,
    obligation,
    actor,
    period_start,
    delivered_on,
    delivered_by,
    supply_ok,
    quality_ok,
    timeliness_ok=None,
    evidence=None,
    notes="",
) -> ComplianceRecord:
    """Record one period's delivery and its three marks; timeliness defaults to 'on or before due'."""
    _check_actor(
        actor,
        "agreements.add_compliancerecord",
        agreement=obligation.agreement,
        institution=obligation.party.institution,
    )
    due = rules.period_due_date(
        schedule=obligation.schedule, period_start=period_start, business_days=obligation.business_days
    )
    valid_periods = {
        p
        for p, _d in rules.obligation_periods(
            schedule=obligation.schedule,
            starts_on=obligation.starts_on,
            due_on=obligation.due_on,
            business_days=obligation.business_days,
            ends_on=obligation.ends_on,
            until=max(delivered_on, period_start) + timedelta(days=400),
        )
    }
    if compliance_sources.computed_ids(Obligation.objects.filter(pk=obligation.pk)):
        raise ValidationError(
            _(
                "El cumplimiento de esta obligación se calcula con las entregas de datos validadas; "
                "no se registra a mano (la Comisión puede corregir la evaluación con un motivo)."
            ),
            code="computed",
        )
    if period_start not in valid_periods:
        raise ValidationError(_("Ese periodo no corresponde al calendario de la obligación."))
    if obligation.records.filter(period_start=period_start).exists():
        raise ValidationError(_("Ya se registró el cumplimiento de ese periodo."))
    record = ComplianceRecord(
        obligation=obligation,
        period_start=period_start,
        due_on=due,
        delivered_on=delivered_on,
        delivered_by=delivered_by,
        evidence=evidence,
        supply_ok=supply_ok,
        timeliness_ok=(delivered_on <= due) if timeliness_ok is None else timeliness_ok,
        quality_ok=quality_ok,
        notes=notes,
        recorded_by=actor,
    )
    _save(record, actor)
    _event("compliance_recorded", actor=actor, target=obligation.agreement, period=period_start)
    return record
