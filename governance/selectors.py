"""Reads on governance bodies, sessions, acuerdos, pilots and consent requests, always scoped."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.models import Agreement, Institution
from kernel import calendar

from .models import (
    Acuerdo,
    AcuerdoQuerySet,
    AcuerdoResponsible,
    Body,
    ConsentEvidenceRequest,
    Document,
    Incident,
    PilotProgram,
    Session,
)


def body_list(*, user, filters=None):
    from .filters import BodyFilter

    qs = Body.objects.visible_to(user).select_related("agreement").prefetch_related("parties__institution")
    return qs if filters is None else BodyFilter(filters, queryset=qs)


def body_get(*, user, pk) -> Body:
    return get_object_or_404(Body.objects.visible_to(user), pk=pk)


def session_get(*, user, pk) -> Session:
    return get_object_or_404(Session.objects.visible_to(user).select_related("body", "minutes"), pk=pk)


def _acuerdos(user) -> AcuerdoQuerySet:
    qs: AcuerdoQuerySet = Acuerdo.objects.visible_to(user)
    return qs.select_related("session__body", "evidence").prefetch_related(
        Prefetch("responsibles", queryset=AcuerdoResponsible.objects.select_related("institution"))
    )


def acuerdo_list(*, user, filters=None):
    from .filters import AcuerdoFilter

    qs = _acuerdos(user)
    return qs if filters is None else AcuerdoFilter(filters, queryset=qs, user=user)


def acuerdo_get(*, user, pk) -> Acuerdo:
    return get_object_or_404(_acuerdos(user), pk=pk)


def follow_up(*, user, body: Body | None = None, institution: Institution | None = None, today=None) -> dict[str, Any]:
    """Open acuerdos of a body or of an institution (as responsible), in three groups."""
    today = today or timezone.localdate()
    qs = _acuerdos(user).open()
    if body is not None:
        qs = qs.filter(session__body=body)
    if institution is not None:
        qs = qs.filter(responsibles__institution=institution).distinct()
    horizon = calendar.add_business_days(today, Acuerdo.DUE_SOON_BUSINESS_DAYS)
    rows = list(qs.order_by("due_on", "session__starts_at", "number"))
    return {
        "overdue": [a for a in rows if a.due_on < today],
        "due_soon": [a for a in rows if today <= a.due_on <= horizon],
        "pending": [a for a in rows if a.due_on > horizon],
        "today": today,
    }


def pilot_list(*, user, filters=None):
    from .filters import PilotFilter

    qs = PilotProgram.objects.visible_to(user).select_related("agreement", "requested_by")
    return qs if filters is None else PilotFilter(filters, queryset=qs)


def pilot_get(*, user, pk) -> PilotProgram:
    return get_object_or_404(PilotProgram.objects.visible_to(user).select_related("agreement", "requested_by"), pk=pk)


def consent_list(*, user, filters=None):
    from .filters import ConsentFilter

    qs = ConsentEvidenceRequest.objects.visible_to(user).select_related("agreement", "requested_by", "requested_from")
    return qs if filters is None else ConsentFilter(filters, queryset=qs)


def consent_get(*, user, pk) -> ConsentEvidenceRequest:
    return get_object_or_404(
        ConsentEvidenceRequest.objects.visible_to(user).select_related("agreement", "requested_by", "requested_from"),
        pk=pk,
    )


def incident_list(*, user, filters=None):
    """Incidents of the user's institution (all of them for the commission), newest first."""
    from .filters import IncidentFilter

    qs = Incident.objects.visible_to(user).select_related("institution")
    return qs if filters is None else IncidentFilter(filters, queryset=qs)


def incident_get(*, user, pk) -> Incident:
    return get_object_or_404(Incident.objects.visible_to(user).select_related("institution", "reported_by"), pk=pk)


def document_get(*, user, pk) -> Document:
    return get_object_or_404(Document.objects.visible_to(user), pk=pk)


def agreements_for_pilots(*, user) -> QuerySet[Agreement]:
    return Agreement.objects.visible_to(user).filter(status=Agreement.Status.IN_FORCE)


def dashboard(*, user, today: date | None = None) -> dict[str, Any]:
    """What the dashboard shows about governance: acuerdos overdue and due soon that involve the
    user's institution (all for the commission), overdue consent-evidence requests, pilots ending."""
    today = today or timezone.localdate()
    acuerdos = _acuerdos(user)
    if user.institution_id and not user.has_platform_scope:
        acuerdos = acuerdos.filter(responsibles__institution=user.institution_id).distinct()
    horizon = calendar.add_business_days(today, Acuerdo.DUE_SOON_BUSINESS_DAYS)
    return {
        "acuerdos_overdue": list(acuerdos.overdue(today).order_by("due_on")[:10]),
        "acuerdos_due_soon": list(
            acuerdos.open().filter(due_on__gte=today, due_on__lte=horizon).order_by("due_on")[:10]
        ),
        "consent_overdue": list(
            ConsentEvidenceRequest.objects.visible_to(user)
            .overdue(today)
            .select_related("agreement", "requested_by", "requested_from")[:10]
        ),
        "incidents_open": list(
            Incident.objects.visible_to(user).open().select_related("institution").order_by("-occurred_at")[:10]
        ),
        "pilots_ending": list(
            PilotProgram.objects.visible_to(user)
            .filter(status=PilotProgram.Status.STARTED, ends_on__lte=today + timedelta(days=30))
            .select_related("agreement")[:10]
        ),
    }


def institutions_in_bodies(*, user) -> QuerySet[Institution]:
    bodies = Body.objects.visible_to(user).values("pk")
    return Institution.objects.filter(Q(body_parties__body__in=bodies)).distinct()
