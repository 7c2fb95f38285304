"""Writes on governance bodies, sessions, acuerdos, pilot programs and consent-evidence requests.

Every function takes keyword-only arguments and an explicit ``actor`` (None for the system: the
daily job, the demo), checks the actor's permission and scope, runs in one transaction, performs
the model's declared transition, writes through models that keep history, records a business
event and notifies inside the same transaction.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from agreements.models import Agreement, AgreementParty, Institution, Obligation
from kernel import calendar, documents
from kernel.notifications import recipients
from kernel.notifications.services import notify
from kernel.scoping import PLATFORM, user_scope
from kernel.writes import business_event, save_as

from .models import (
    Acuerdo,
    AcuerdoResponsible,
    Attendance,
    Body,
    BodyParty,
    ConsentEvidenceRequest,
    ConsentProcessing,
    Document,
    FollowUpNote,
    Member,
    PilotProgram,
    SentAlert,
    Session,
    pilot_cap,
)

# Saved with the actor as the history row's author; each write's business event (kernel.writes).
_save = save_as
_event = business_event


def _check(actor, perm: str, *, institutions: Iterable[Any] | None = None) -> None:
    """``actor`` None is the system. Otherwise the actor needs ``perm``; with ``institutions`` None
    only the commission (platform scope) may act; else an institution's user acts only when its
    institution is one of ``institutions``."""
    if actor is None:
        return
    if not actor.has_perm(perm):
        raise PermissionDenied(_("Su perfil no permite esta acción."))
    if user_scope(actor) == PLATFORM:
        return
    allowed = {getattr(i, "pk", i) for i in institutions or ()}
    if institutions is None or actor.institution_id not in allowed:
        raise PermissionDenied(_("Esta acción corresponde a otra institución o a la Comisión."))


def _recipients(institutions: Iterable[Any]) -> list[Any]:
    people = {u.pk: u for u in recipients.commission_admins()}
    for user in recipients.institution_admins(i for i in institutions if not i.is_commission):
        people.setdefault(user.pk, user)
    return list(people.values())


def _body_institutions(body: Body) -> list[Institution]:
    return [p.institution for p in body.parties.select_related("institution")]


# --- Documents -------------------------------------------------------------------------------


def _store(*, actor, institution, kind, title, file, body=None, agreement=None) -> Document:
    """Validate by content (PDF or image), store privately under a random name, record the SHA-256."""
    folder = f"governance/bodies/{body.pk}" if body else f"governance/agreements/{agreement.pk}"
    stored = documents.store_private(file, folder=folder)
    document = Document(
        institution=institution,
        body=body,
        agreement=agreement,
        kind=kind,
        title=title[:200],
        file=stored.name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
    )
    _save(document, actor)
    _event(
        "governance_document_uploaded",
        actor=actor,
        target=document,
        institution=institution,
        sha256=stored.sha256,
        kind=kind,
    )
    return document


def _actor_institution(actor, fallback: Institution) -> Institution:
    if actor is not None and user_scope(actor) != PLATFORM and actor.institution_id:
        return actor.institution
    return fallback


def _commission() -> Institution:
    return Institution.objects.get(kind=Institution.Kind.COMMISSION)


# --- Bodies and members ----------------------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    actor,
    kind: str,
    name: str,
    code: str,
    agreement: Agreement | None = None,
    institutions: Sequence[Institution] = (),
    purpose: str = "",
) -> Body:
    """A committee or working table of an agreement (its parties sit on it), or a standalone body
    such as a conference of several institutions."""
    _check(actor, "governance.add_body")
    code = code.strip().upper()
    if Body.objects.filter(code=code).exists():
        raise ValidationError(_("Ya existe un órgano con la clave %(code)s.") % {"code": code})
    seated = list(institutions)
    if agreement is not None:
        seated += [p.institution for p in agreement.parties.select_related("institution")]
    seated_by_pk = {i.pk: i for i in seated}
    if len(seated_by_pk) < 2:
        raise ValidationError(_("Un órgano necesita al menos dos instituciones."))
    body = _save(Body(kind=kind, name=name, code=code, agreement=agreement, purpose=purpose, created_by=actor), actor)
    for institution in seated_by_pk.values():
        _save(BodyParty(body=body, institution=institution), actor)
    _event("body_created", actor=actor, target=body, code=code)
    return body


@transaction.atomic
def member_appoint(
    *,
    actor,
    body: Body,
    institution: Institution,
    full_name: str,
    position: str,
    notified_on: date,
    email: str = "",
    effective_from: date | None = None,
    notice_file=None,
    replaces: Member | None = None,
) -> Member:
    """Appoint a representative; with ``replaces`` it is a substitution, which needs the written
    notice and takes effect on its date (or a later one): the previous member ends the day before."""
    _check(actor, "governance.add_member", institutions=[institution])
    if not body.parties.filter(institution=institution).exists():
        raise ValidationError(_("La institución no forma parte de este órgano."))
    starts = effective_from or notified_on
    if starts < notified_on:
        raise ValidationError(_("La designación no puede surtir efectos antes del aviso por escrito."))
    notice = None
    if notice_file is not None:
        notice = _store(
            actor=actor,
            institution=institution,
            kind=Document.Kind.NOTICE,
            title=_("Aviso por escrito de %(name)s") % {"name": full_name},
            file=notice_file,
            body=body,
        )
    if replaces is not None:
        replaces = Member.objects.select_for_update().get(pk=replaces.pk)
        if replaces.body_id != body.pk or replaces.institution_id != institution.pk:
            raise ValidationError(_("Solo se sustituye a un integrante de la misma institución y órgano."))
        if replaces.effective_until is not None and replaces.effective_until < starts:
            raise ValidationError(_("Ese integrante ya había dejado el órgano."))
        if hasattr(replaces, "replaced_by"):
            raise ValidationError(_("Ese integrante ya fue sustituido."))
        if notice is None:
            raise ValidationError(_("La sustitución requiere el aviso por escrito."))
        if starts <= replaces.effective_from:
            raise ValidationError(_("La sustitución debe surtir efectos después del inicio del integrante actual."))
        replaces.effective_until = starts - timedelta(days=1)
        _save(replaces, actor)
    member = Member(
        body=body,
        institution=institution,
        full_name=full_name,
        position=position,
        email=email,
        notified_on=notified_on,
        effective_from=starts,
        notice=notice,
        replaces=replaces,
        created_by=actor,
    )
    _save(member, actor)
    _event(
        "body_member_substituted" if replaces else "body_member_appointed",
        actor=actor,
        target=body,
        institution=institution,
        effective_from=starts,
    )
    return member


# --- Sessions --------------------------------------------------------------------------------


@transaction.atomic
def session_convene(
    *, actor, body: Body, kind: str, starts_at: datetime, agenda: str, place: str = "", is_virtual: bool = False
) -> Session:
    """Convene a session; it is numbered within the body and the year: ``CT-2026-02``."""
    _check(actor, "governance.add_session")
    body = Body.objects.select_for_update().get(pk=body.pk)
    year = timezone.localtime(starts_at).year
    last = body.sessions.filter(year=year).aggregate(n=Max("number"))["n"] or 0
    session = Session(
        body=body,
        year=year,
        number=last + 1,
        kind=kind,
        starts_at=starts_at,
        agenda=agenda,
        place=place,
        is_virtual=is_virtual,
        created_by=actor,
    )
    _save(session, actor)
    _event("session_convened", actor=actor, target=session, code=session.code)
    notify(
        recipients=_recipients(_body_institutions(body)),
        template="governance_session_convened",
        context={"session": session, "body": body},
        related=session,
    )
    return session


@transaction.atomic
def session_hold(*, actor, session: Session, held_on: date | None = None) -> Session:
    _check(actor, "governance.change_session")
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not can_proceed(session.hold):
        if session.status != Session.Status.CONVENED:
            raise ValidationError(_("La sesión ya se había celebrado."))
        raise ValidationError(_("La sesión no puede darse por celebrada antes de su fecha y hora."))
    session.hold(held_on=held_on or timezone.localdate())
    _save(session, actor)
    _event("session_held", actor=actor, target=session, code=session.code, held_on=session.held_on)
    return session


@transaction.atomic
def attendance_record(*, actor, session: Session, entries: Sequence[tuple[Member, str, str]]) -> list[Attendance]:
    """Record who attended: (member, present|absent|represented, represented by)."""
    _check(actor, "governance.change_session")
    if session.status == Session.Status.MINUTES_SIGNED:
        raise ValidationError(_("El acta ya está firmada: la asistencia no puede cambiar."))
    rows = []
    for member, status, represented_by in entries:
        if member.body_id != session.body_id:
            raise ValidationError(_("Solo se registra la asistencia de integrantes del órgano."))
        if status == Attendance.Status.REPRESENTED and not represented_by.strip():
            raise ValidationError(_("Indique quién representó a %(name)s.") % {"name": member.full_name})
        row = Attendance.objects.filter(session=session, member=member).first() or Attendance(
            session=session, member=member
        )
        row.status = status
        row.represented_by = represented_by.strip() if status == Attendance.Status.REPRESENTED else ""
        rows.append(_save(row, actor))
    _event("attendance_recorded", actor=actor, target=session, code=session.code)
    return rows


@transaction.atomic
def session_sign_minutes(*, actor, session: Session, file) -> Session:
    """Upload the signed minutes; only a session that was held has minutes."""
    _check(actor, "governance.change_session")
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.HELD:
        raise ValidationError(_("Solo se carga el acta firmada de una sesión ya celebrada."))
    session.minutes = _store(
        actor=actor,
        institution=_commission(),
        kind=Document.Kind.MINUTES,
        title=_("Acta de la sesión %(code)s") % {"code": session.code},
        file=file,
        body=session.body,
    )
    session.sign_minutes()
    _save(session, actor)
    _event("session_minutes_signed", actor=actor, target=session, code=session.code, sha256=session.minutes.sha256)
    return session


# --- Acuerdos --------------------------------------------------------------------------------


@transaction.atomic
def acuerdo_create(
    *,
    actor,
    session: Session,
    text: str,
    responsible_institutions: Sequence[Institution],
    deadline_kind: str,
    deadline_date: date | None = None,
    deadline_business_days: int | None = None,
    responsible_people: str = "",
    linked_party: AgreementParty | None = None,
    linked_obligation: Obligation | None = None,
) -> Acuerdo:
    """An acuerdo reached in a held session, numbered within it (``CT-2026-02/03``)."""
    _check(actor, "governance.add_acuerdo")
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.HELD:
        raise ValidationError(_("Los acuerdos se registran en una sesión celebrada cuya acta no se ha firmado."))
    if not responsible_institutions and not responsible_people.strip():
        raise ValidationError(_("Indique al menos una institución o persona responsable."))
    seated = set(session.body.parties.values_list("institution_id", flat=True))
    if any(i.pk not in seated for i in responsible_institutions):
        raise ValidationError(_("Las instituciones responsables deben formar parte del órgano."))
    if deadline_kind == Acuerdo.DeadlineKind.FIXED:
        if deadline_date is None:
            raise ValidationError(_("Indique la fecha «a más tardar»."))
        if deadline_date < session.date:
            raise ValidationError(_("La fecha «a más tardar» no puede ser anterior a la sesión."))
        deadline_business_days = None
    else:
        if not deadline_business_days:
            raise ValidationError(_("Indique el número de días hábiles desde la sesión."))
        deadline_date = None
    last = session.acuerdos.aggregate(n=Max("number"))["n"] or 0
    acuerdo = Acuerdo(
        session=session,
        number=last + 1,
        text=text,
        responsible_people=responsible_people,
        deadline_kind=deadline_kind,
        deadline_date=deadline_date,
        deadline_business_days=deadline_business_days,
        linked_party=linked_party,
        linked_obligation=linked_obligation,
        created_by=actor,
    )
    _save(acuerdo, actor)
    for institution in responsible_institutions:
        _save(AcuerdoResponsible(acuerdo=acuerdo, institution=institution), actor)
    _event("acuerdo_reached", actor=actor, target=acuerdo, code=acuerdo.code, due_on=acuerdo.due_on)
    notify(
        recipients=_recipients(responsible_institutions),
        template="governance_acuerdo_reached",
        context={"acuerdo": acuerdo},
        related=acuerdo,
    )
    return acuerdo


def _responsible_ids(acuerdo: Acuerdo) -> list[int]:
    return list(acuerdo.responsibles.values_list("institution_id", flat=True))


@transaction.atomic
def acuerdo_start(*, actor, acuerdo: Acuerdo) -> Acuerdo:
    _check(actor, "governance.change_acuerdo", institutions=_responsible_ids(acuerdo))
    acuerdo = Acuerdo.objects.select_for_update().get(pk=acuerdo.pk)
    if not can_proceed(acuerdo.start):
        raise ValidationError(_("Solo un acuerdo pendiente puede pasar a «en proceso»."))
    acuerdo.start()
    _save(acuerdo, actor)
    _event("acuerdo_started", actor=actor, target=acuerdo, code=acuerdo.code)
    return acuerdo


@transaction.atomic
def acuerdo_complete(*, actor, acuerdo: Acuerdo, evidence_file=None, note: str = "", today=None) -> Acuerdo:
    """Mark an acuerdo done: the evidence document is required (the system closes one whose linked
    designation or obligation is fulfilled without it)."""
    _check(actor, "governance.change_acuerdo", institutions=_responsible_ids(acuerdo))
    acuerdo = Acuerdo.objects.select_for_update().get(pk=acuerdo.pk)
    if not acuerdo.is_open:
        raise ValidationError(_("El acuerdo ya está cerrado."))
    if evidence_file is not None:
        acuerdo.evidence = _store(
            actor=actor,
            institution=_actor_institution(actor, _commission()),
            kind=Document.Kind.EVIDENCE,
            title=_("Evidencia del acuerdo %(code)s") % {"code": acuerdo.code},
            file=evidence_file,
            body=acuerdo.session.body,
        )
    if not can_proceed(acuerdo.complete):
        raise ValidationError(_("Para dar un acuerdo por cumplido adjunte la evidencia."))
    acuerdo.complete(on=today or timezone.localdate())
    _save(acuerdo, actor)
    if note.strip():
        _save(FollowUpNote(acuerdo=acuerdo, text=note.strip(), author=actor), actor)
    _event("acuerdo_fulfilled", actor=actor, target=acuerdo, code=acuerdo.code, by_link=acuerdo.closed_by_link)
    notify(
        recipients=_recipients(_body_institutions(acuerdo.session.body)),
        template="governance_acuerdo_fulfilled",
        context={"acuerdo": acuerdo},
        related=acuerdo,
    )
    return acuerdo


@transaction.atomic
def acuerdo_cancel(*, actor, acuerdo: Acuerdo, reason: str, today=None) -> Acuerdo:
    _check(actor, "governance.delete_acuerdo")
    acuerdo = Acuerdo.objects.select_for_update().get(pk=acuerdo.pk)
    if not acuerdo.is_open:
        raise ValidationError(_("El acuerdo ya está cerrado."))
    acuerdo.cancel_reason = reason.strip()
    if not can_proceed(acuerdo.cancel):
        raise ValidationError(_("Para cancelar un acuerdo escriba el motivo."))
    acuerdo.cancel(on=today or timezone.localdate())
    _save(acuerdo, actor)
    _event("acuerdo_cancelled", actor=actor, target=acuerdo, code=acuerdo.code, reason=acuerdo.cancel_reason)
    return acuerdo


@transaction.atomic
def acuerdo_note_add(*, actor, acuerdo: Acuerdo, text: str) -> FollowUpNote:
    """A follow-up note by the commission or by an institution that sits on the body."""
    seated = list(acuerdo.session.body.parties.values_list("institution_id", flat=True))
    _check(actor, "governance.add_followupnote", institutions=seated)
    if not text.strip():
        raise ValidationError(_("Escriba la nota de seguimiento."))
    note = _save(FollowUpNote(acuerdo=acuerdo, text=text.strip(), author=actor), actor)
    _event("acuerdo_note_added", actor=actor, target=acuerdo, code=acuerdo.code)
    return note


def _link_fulfilled(acuerdo: Acuerdo) -> bool:
    """The designation has a link officer, or the obligation has a delivery since the session."""
    if acuerdo.linked_party is not None:
        return acuerdo.linked_party.officers.exists()
    if acuerdo.linked_obligation is not None:
        return acuerdo.linked_obligation.records.filter(delivered_on__gte=acuerdo.session.date).exists()
    return False


@transaction.atomic
def acuerdos_close_by_link(*, today=None) -> int:
    """Acuerdos tied to a link officer designation or an obligation close themselves when it is done."""
    today = today or timezone.localdate()
    closed = 0
    candidates = Acuerdo.objects.open().filter(Q(linked_party__isnull=False) | Q(linked_obligation__isnull=False))
    for pk in list(candidates.values_list("pk", flat=True)):
        acuerdo = Acuerdo.objects.select_for_update().select_related("session__body").get(pk=pk)
        if not _link_fulfilled(acuerdo):
            continue
        acuerdo.closed_by_link = True
        acuerdo.complete(on=today)
        _save(acuerdo, None)
        _event("acuerdo_fulfilled", actor=None, target=acuerdo, code=acuerdo.code, by_link=True)
        closed += 1
    return closed


# --- Pilot programs --------------------------------------------------------------------------


def _party_ids(agreement: Agreement) -> list[int]:
    return list(agreement.parties.values_list("institution_id", flat=True))


@transaction.atomic
def pilot_request(
    *,
    actor,
    agreement: Agreement,
    requested_by: Institution,
    title: str,
    requested_on: date,
    request_file,
    description: str = "",
) -> PilotProgram:
    """004 DÉCIMA PRIMERA: a party requests a pilot program in writing."""
    _check(actor, "governance.add_pilotprogram", institutions=[requested_by])
    if requested_by.pk not in _party_ids(agreement):
        raise ValidationError(_("La institución solicitante debe ser parte del convenio."))
    document = _store(
        actor=actor,
        institution=requested_by,
        kind=Document.Kind.PILOT_REQUEST,
        title=_("Solicitud del programa piloto «%(title)s»") % {"title": title},
        file=request_file,
        agreement=agreement,
    )
    pilot = PilotProgram(
        agreement=agreement,
        requested_by=requested_by,
        title=title,
        description=description,
        request_document=document,
        requested_on=requested_on,
    )
    _save(pilot, actor)
    _event("pilot_requested", actor=actor, target=pilot, institution=requested_by, requested_on=requested_on)
    notify(
        recipients=_recipients([requested_by]),
        template="governance_pilot_requested",
        context={"pilot": pilot},
        related=pilot,
    )
    return pilot


def _justify(*, actor, pilot: PilotProgram, reason: str, justification_file) -> None:
    pilot.extension_reason = reason.strip()
    if justification_file is not None:
        pilot.extension_document = _store(
            actor=actor,
            institution=_actor_institution(actor, _commission()),
            kind=Document.Kind.JUSTIFICATION,
            title=_("Justificación del programa piloto «%(title)s»") % {"title": pilot.title},
            file=justification_file,
            agreement=pilot.agreement,
        )


def _beyond_cap_message(pilot: PilotProgram) -> str:
    assert pilot.starts_on is not None
    return _(
        "Un programa piloto no puede exceder seis meses desde su inicio (hasta el %(cap)s) sin "
        "circunstancias justificadas por escrito: escriba el motivo y adjunte el documento."
    ) % {"cap": pilot_cap(pilot.starts_on).strftime("%d/%m/%Y")}


@transaction.atomic
def pilot_start(
    *,
    actor,
    pilot: PilotProgram,
    starts_on: date,
    ends_on: date | None = None,
    reason: str = "",
    justification_file=None,
) -> PilotProgram:
    """Start a requested pilot: it ends six months after its start at the latest, unless a written
    justification (reason and document) is recorded."""
    _check(actor, "governance.change_pilotprogram")
    pilot = PilotProgram.objects.select_for_update().get(pk=pilot.pk)
    if pilot.status != PilotProgram.Status.REQUESTED:
        raise ValidationError(_("Solo se inicia un programa piloto solicitado."))
    if starts_on < pilot.requested_on:
        raise ValidationError(_("El programa piloto no puede iniciar antes de su solicitud por escrito."))
    pilot.starts_on = starts_on
    pilot.ends_on = ends_on or pilot_cap(starts_on)
    if pilot.ends_on <= starts_on:
        raise ValidationError(_("El término debe ser posterior al inicio."))
    if pilot.ends_on > pilot_cap(starts_on):
        _justify(actor=actor, pilot=pilot, reason=reason, justification_file=justification_file)
    if not can_proceed(pilot.start):
        raise ValidationError(_beyond_cap_message(pilot))
    pilot.start()
    _save(pilot, actor)
    _event("pilot_started", actor=actor, target=pilot, starts_on=pilot.starts_on, ends_on=pilot.ends_on)
    return pilot


@transaction.atomic
def pilot_extend(*, actor, pilot: PilotProgram, ends_on: date, reason: str, justification_file) -> PilotProgram:
    """Extend a running pilot beyond its end: needs the written circumstances (reason and document)
    whenever the new end passes six months from the start."""
    _check(actor, "governance.change_pilotprogram")
    pilot = PilotProgram.objects.select_for_update().get(pk=pilot.pk)
    if pilot.status != PilotProgram.Status.STARTED:
        raise ValidationError(_("Solo se amplía un programa piloto en curso."))
    if pilot.ends_on is not None and ends_on <= pilot.ends_on:
        raise ValidationError(_("La nueva fecha de término debe ser posterior a la actual."))
    pilot.ends_on = ends_on
    _justify(actor=actor, pilot=pilot, reason=reason, justification_file=justification_file)
    if not can_proceed(pilot.extend):
        raise ValidationError(_beyond_cap_message(pilot))
    pilot.extend()
    _save(pilot, actor)
    _event("pilot_extended", actor=actor, target=pilot, ends_on=ends_on)
    return pilot


@transaction.atomic
def pilot_end(*, actor, pilot: PilotProgram, on: date | None = None) -> PilotProgram:
    _check(actor, "governance.change_pilotprogram")
    pilot = PilotProgram.objects.select_for_update().get(pk=pilot.pk)
    if not can_proceed(pilot.end):
        raise ValidationError(_("Solo concluye un programa piloto en curso."))
    pilot.end(on=on or timezone.localdate())
    _save(pilot, actor)
    _event("pilot_ended", actor=actor, target=pilot, ended_on=pilot.ended_on)
    return pilot


# --- Consent evidence ------------------------------------------------------------------------


@transaction.atomic
def consent_processing_mark(*, actor, agreement: Agreement, responsible: Institution, notes: str = ""):
    """The commission marks an agreement as processing personal data with the holders' consent."""
    _check(actor, "governance.add_consentprocessing")
    if responsible.pk not in _party_ids(agreement):
        raise ValidationError(_("La institución responsable debe ser parte del convenio."))
    if ConsentProcessing.objects.filter(agreement=agreement).exists():
        raise ValidationError(_("El convenio ya está marcado."))
    mark = _save(ConsentProcessing(agreement=agreement, responsible=responsible, notes=notes, marked_by=actor), actor)
    _event("consent_processing_marked", actor=actor, target=agreement, institution=responsible)
    return mark


@transaction.atomic
def consent_request_create(
    *,
    actor,
    agreement: Agreement,
    requested_by: Institution,
    folios: str,
    due_on: date,
    requested_on: date | None = None,
) -> ConsentEvidenceRequest:
    """A party asks the institution that keeps the consents for the evidence of specific records."""
    _check(actor, "governance.add_consentevidencerequest", institutions=[requested_by])
    mark = ConsentProcessing.objects.filter(agreement=agreement).select_related("responsible").first()
    if mark is None:
        raise ValidationError(_("El convenio no está marcado como tratamiento de datos con consentimiento."))
    if requested_by.pk == mark.responsible_id or requested_by.pk not in _party_ids(agreement):
        raise ValidationError(
            _("Solicita la evidencia otra parte del convenio, no quien resguarda los consentimientos.")
        )
    lines = [line.strip() for line in folios.splitlines() if line.strip()]
    if not lines:
        raise ValidationError(_("Indique al menos un folio de consentimiento."))
    requested_on = requested_on or timezone.localdate()
    if due_on <= requested_on:
        raise ValidationError(_("La fecha límite debe ser posterior a la solicitud."))
    request = ConsentEvidenceRequest(
        agreement=agreement,
        requested_by=requested_by,
        requested_from=mark.responsible,
        folios="\n".join(lines),
        requested_on=requested_on,
        due_on=due_on,
        created_by=actor,
    )
    _save(request, actor)
    _event(
        "consent_evidence_requested",
        actor=actor,
        target=request,
        institution=requested_by,
        folios=len(lines),
        due_on=due_on,
    )
    notify(
        recipients=_recipients([mark.responsible]),
        template="governance_consent_requested",
        context={"request": request},
        related=request,
    )
    return request


@transaction.atomic
def consent_request_answer(
    *, actor, request: ConsentEvidenceRequest, files: Sequence[Any], answer: str = "", today=None
) -> ConsentEvidenceRequest:
    """The institution that keeps the consents answers with documents."""
    _check(actor, "governance.change_consentevidencerequest", institutions=[request.requested_from_id])
    request = ConsentEvidenceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ConsentEvidenceRequest.Status.REQUESTED:
        raise ValidationError(_("La solicitud ya no está abierta."))
    for index, file in enumerate(files, start=1):
        document = _store(
            actor=actor,
            institution=request.requested_from,
            kind=Document.Kind.CONSENT,
            title=_("Evidencia de consentimiento %(n)s") % {"n": index},
            file=file,
            agreement=request.agreement,
        )
        request.documents.add(document)
    if not can_proceed(request.mark_answered):
        raise ValidationError(_("Adjunte al menos un documento con la evidencia."))
    request.answer = answer.strip()
    request.mark_answered(on=today or timezone.localdate())
    _save(request, actor)
    _event(
        "consent_evidence_answered",
        actor=actor,
        target=request,
        institution=request.requested_from,
        documents=request.documents.count(),
    )
    notify(
        recipients=_recipients([request.requested_by]),
        template="governance_consent_answered",
        context={"request": request},
        related=request,
    )
    return request


@transaction.atomic
def consent_request_withdraw(*, actor, request: ConsentEvidenceRequest) -> ConsentEvidenceRequest:
    _check(actor, "governance.add_consentevidencerequest", institutions=[request.requested_by_id])
    request = ConsentEvidenceRequest.objects.select_for_update().get(pk=request.pk)
    if not can_proceed(request.withdraw):
        raise ValidationError(_("La solicitud ya no está abierta."))
    request.withdraw()
    _save(request, actor)
    _event("consent_evidence_withdrawn", actor=actor, target=request, institution=request.requested_by)
    return request


# --- Daily job -------------------------------------------------------------------------------


def _alert_once(key: str) -> bool:
    """True the first time ``key`` is seen; the row makes every later run skip it."""
    if SentAlert.objects.filter(key=key).exists():
        return False
    _save(SentAlert(key=key), None)
    return True


def _acuerdo_institutions(acuerdo: Acuerdo) -> list[Institution]:
    return [r.institution for r in acuerdo.responsibles.all()] or _body_institutions(acuerdo.session.body)


@transaction.atomic
def governance_daily(*, today: date | None = None) -> dict[str, int]:
    """The daily beat: close acuerdos whose linked task is done, end pilots past their end, then
    announce each event once: acuerdos 5 business days before and on their deadline, pilots 30 and
    7 days before their end, consent-evidence requests past their deadline."""
    today = today or timezone.localdate()
    sent = {"closed_by_link": acuerdos_close_by_link(today=today), "acuerdo_due": 0, "acuerdo_deadline": 0}
    sent.update({"pilot_ending": 0, "pilot_ended": 0, "consent_overdue": 0})
    horizon = calendar.add_business_days(today, Acuerdo.DUE_SOON_BUSINESS_DAYS)
    acuerdos = (
        Acuerdo.objects.open()
        .filter(due_on__lte=horizon)
        .select_related("session__body")
        .prefetch_related("responsibles__institution")
    )
    for acuerdo in acuerdos:
        if acuerdo.due_on <= today:
            key, template, bucket = (
                f"acuerdo-deadline:{acuerdo.pk}:{acuerdo.due_on}",
                "governance_acuerdo_deadline",
                "acuerdo_deadline",
            )
        else:
            key, template, bucket = (
                f"acuerdo-due:{acuerdo.pk}:{acuerdo.due_on}",
                "governance_acuerdo_due",
                "acuerdo_due",
            )
        if _alert_once(key):
            notify(
                recipients=_recipients(_acuerdo_institutions(acuerdo)),
                template=template,
                context={"acuerdo": acuerdo, "today": today},
                related=acuerdo,
            )
            sent[bucket] += 1

    for pilot in PilotProgram.objects.filter(status=PilotProgram.Status.STARTED, ends_on__lt=today):
        pilot.end(on=pilot.ends_on)
        _save(pilot, None)
        _event("pilot_ended", actor=None, target=pilot, ended_on=pilot.ended_on)
        sent["pilot_ended"] += 1
    window_max = max(PilotProgram.ENDING_WINDOWS)
    for pilot in PilotProgram.objects.filter(
        status=PilotProgram.Status.STARTED, ends_on__gte=today, ends_on__lte=today + timedelta(days=window_max)
    ).select_related("agreement", "requested_by"):
        assert pilot.ends_on is not None  # filtered on it
        days_left = (pilot.ends_on - today).days
        window = min(w for w in PilotProgram.ENDING_WINDOWS if days_left <= w)
        if _alert_once(f"pilot-ending:{window}:{pilot.pk}:{pilot.ends_on}"):
            notify(
                recipients=_recipients(p.institution for p in pilot.agreement.parties.select_related("institution")),
                template="governance_pilot_ending",
                context={"pilot": pilot, "days_left": days_left},
                related=pilot,
            )
            sent["pilot_ending"] += 1

    for request in ConsentEvidenceRequest.objects.overdue(today).select_related("requested_by", "requested_from"):
        if _alert_once(f"consent-overdue:{request.pk}:{request.due_on}"):
            notify(
                recipients=_recipients([request.requested_by, request.requested_from]),
                template="governance_consent_overdue",
                context={"request": request},
                related=request,
            )
            sent["consent_overdue"] += 1
    return sent
