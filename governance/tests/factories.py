"""Helpers to build governance rows through the services (history and events included)."""

from datetime import date, datetime, time

from django.utils import timezone

from agreements.tests.factories import pdf_upload
from governance import services


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def held_session(*, body, actor=None, on=date(2026, 2, 10), kind="ordinary"):
    session = services.session_convene(
        actor=actor, body=body, kind=kind, starts_at=aware(on), agenda="1. Lista de asistencia", place="Sala 1"
    )
    return services.session_hold(actor=actor, session=session, held_on=on)


def acuerdo(*, session, institutions, actor=None, text="Entregar el diagnóstico", **deadline):
    deadline = deadline or {"deadline_kind": "fixed", "deadline_date": date(2026, 3, 31)}
    return services.acuerdo_create(
        actor=actor, session=session, text=text, responsible_institutions=list(institutions), **deadline
    )


def pdf(name="documento.pdf"):
    return pdf_upload(name)
