"""Incidents members report to the commission (001 Cap. IV.1 VII–VIII)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import record_event
from kernel.notifications import recipients
from kernel.notifications.services import notify

from .models import Incident


def _event(action, *, actor, incident):
    record_event(
        category="business",
        action=action,
        actor=actor,
        institution=incident.institution,
        target=incident,
        detail={"severity": incident.severity},
    )


def _save(incident, actor):
    if actor is not None:
        incident._history_user = actor
    incident.save()
    return incident


@transaction.atomic
def incident_report(*, actor, institution, kind, description, occurred_at, severity, affected_systems) -> Incident:
    """A member reports a problem or security incident: what, when, how severe, which systems.
    The commission's administrators are told through the outbox."""
    if actor is not None and not (
        actor.has_perm("governance.add_incident")
        and (actor.has_platform_scope or actor.institution_id == institution.pk)
    ):
        raise PermissionDenied
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("La fecha del incidente no puede ser futura.")})
    incident = Incident(
        institution=institution,
        kind=kind,
        description=description,
        occurred_at=occurred_at,
        severity=severity,
        affected_systems=affected_systems,
        reported_by=actor,
    )
    incident.full_clean(exclude=["reported_by"])
    _save(incident, actor)
    _event("incident_reported", actor=actor, incident=incident)
    notify(
        recipients=recipients.commission_admins(),
        template="governance_incident_reported",
        context={"incident": incident},
        related=incident,
    )
    return incident


def _commission_only(actor):
    if actor is not None and not (actor.has_perm("governance.change_incident") and actor.has_platform_scope):
        raise PermissionDenied


@transaction.atomic
def incident_acknowledge(*, incident, actor) -> Incident:
    """The commission acknowledges receipt of a reported incident."""
    _commission_only(actor)
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not can_proceed(incident.acknowledge):
        raise ValidationError(_("Solo se acusa recibo de un incidente reportado."))
    incident.acknowledge(at=timezone.now())
    _save(incident, actor)
    _event("incident_acknowledged", actor=actor, incident=incident)
    return incident


@transaction.atomic
def incident_close(*, incident, actor, note) -> Incident:
    """The commission closes an incident with a note saying how it was resolved."""
    _commission_only(actor)
    if not (note or "").strip():
        raise ValidationError({"note": _("Escriba la nota de cierre.")})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not can_proceed(incident.close):
        raise ValidationError(_("Este incidente ya está cerrado."))
    incident.close(at=timezone.now(), note=note.strip())
    _save(incident, actor)
    _event("incident_closed", actor=actor, incident=incident)
    return incident
