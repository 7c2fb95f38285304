"""Writes on agreements, officers, signatories, memberships and notices.

Every function takes keyword-only arguments and an explicit ``actor`` (None for the system),
runs in one transaction, asks the model whether a transition may happen (the state machines are
declared on the models), performs it through the model's transition method, saves through models
that keep history, records a business event and notifies inside the same transaction.
"""

import logging
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import record_event
from kernel import documents
from kernel.notifications import recipients
from kernel.notifications.services import notify

from . import rules, selectors
from .models import (
    Agreement,
    AgreementParty,
    Amendment,
    ComplianceRecord,
    Document,
    Institution,
    LinkOfficer,
    MemberNotice,
    Membership,
    Obligation,
    SentAlert,
    Signatory,
    TerminationNotice,
)

logger = logging.getLogger(__name__)


def _save(instance, actor, **kwargs):
    if actor is not None:
        instance._history_user = actor
    instance.save(**kwargs)
    return instance


def _event(action, *, actor, target, institution=None, **detail):
    record_event(
        category="business",
        action=action,
        actor=actor,
        institution=institution,
        target=target,
        detail={k: (v.isoformat() if isinstance(v, date) else v) for k, v in detail.items()},
    )


def _check_actor(actor, perm, *, agreement=None, institution=None, obj=None, platform=False):
    """The service's own gate (the view's declared rule stays the first one).

    ``actor`` None is the system (tasks, data migrations, the demo seed). A person must hold
    ``perm`` and reach what is written: the agreement and ``obj`` through their scope
    (``visible_to``), the institution as their own unless their scope is the whole platform;
    ``platform`` writes (the commission's) need the platform scope. Raises PermissionDenied.
    """
    if actor is None:
        return
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(perm)):
        raise PermissionDenied
    if platform and not actor.has_platform_scope:
        raise PermissionDenied
    if agreement is not None and not Agreement.objects.visible_to(actor).filter(pk=agreement.pk).exists():
        raise PermissionDenied
    if obj is not None and not type(obj)._default_manager.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied
    if institution is not None and not (actor.has_platform_scope or actor.institution_id == institution.pk):
        raise PermissionDenied


def _recipients(institutions):
    # The people behind each role come from the accounts app through the kernel's hook.
    people = {u.pk: u for u in recipients.commission_admins()}
    for user in recipients.institution_admins(i for i in institutions if not i.is_commission):
        people.setdefault(user.pk, user)
    return list(people.values())


def _party_institutions(agreement):
    return [p.institution for p in agreement.parties.select_related("institution")]


# --- Documents -------------------------------------------------------------------------------


@contextmanager
def _files_removed_on_failure():
    """Yield a list to note stored file names in; they are deleted if the block raises.

    Storage is not transactional: wrapped around a ``transaction.atomic`` block, a write refused
    after its file was stored leaves neither the row nor the file behind.
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def document_upload(*, actor, institution, kind, title, file, agreement=None, image_only=False) -> Document:
    """Validate by content, store privately under a random name and record the SHA-256."""
    _check_actor(actor, "agreements.add_document", agreement=agreement, institution=institution)
    return _document_upload(
        actor=actor,
        institution=institution,
        kind=kind,
        title=title,
        file=file,
        agreement=agreement,
        image_only=image_only,
    )


def _document_upload(*, actor, institution, kind, title, file, agreement=None, image_only=False) -> Document:
    """``document_upload`` for the services that checked their actor already (a document that is
    part of a signatory, a membership, an amendment or a compliance record)."""
    kinds = documents.IMAGE_KINDS if image_only else documents.DOCUMENT_KINDS
    folder = f"agreements/{agreement.pk}" if agreement else f"institutions/{institution.pk}"
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        stored = documents.store_private(file, folder=folder, kinds=kinds)
        stored_names.append(stored.name)
        return _document_save(
            actor=actor, institution=institution, agreement=agreement, kind=kind, title=title, stored=stored
        )


def _document_save(*, actor, institution, agreement, kind, title, stored) -> Document:
    document = Document(
        institution=institution,
        agreement=agreement,
        kind=kind,
        title=title or stored.original_name,
        file=stored.name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
    )
    _save(document, actor)
    _event("document_uploaded", actor=actor, target=document, institution=institution, sha256=stored.sha256)
    return document


# --- Agreements ------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor,
    folio,
    title,
    kind,
    purpose,
    term_kind,
    parties,
    signed_on=None,
    signing_place="",
    term_years=None,
    term_until=None,
    notice_days=30,
    notice_day_kind=Agreement.DayKind.NATURAL,
    rescission_answer_days=10,
    previous=None,
) -> Agreement:
    """Create a draft agreement; ``parties`` is a list of (institution, role); two or more."""
    _check_actor(actor, "agreements.add_agreement", platform=True)
    institutions = [inst for inst, _role in parties]
    if len(set(i.pk for i in institutions)) < 2:
        raise ValidationError(_("Un convenio necesita al menos dos instituciones distintas como partes."))
    if not any(inst.is_commission for inst in institutions):
        raise ValidationError(_("La Comisión debe ser parte del convenio."))
    agreement = Agreement(
        folio=folio,
        title=title,
        kind=kind,
        purpose=purpose,
        signing_place=signing_place,
        signed_on=signed_on,
        term_kind=term_kind,
        term_years=term_years,
        term_until=term_until,
        notice_days=notice_days,
        notice_day_kind=notice_day_kind,
        rescission_answer_days=rescission_answer_days,
        previous=previous,
    )
    agreement.full_clean()
    _save(agreement, actor)
    for institution, role in parties:
        _save(AgreementParty(agreement=agreement, institution=institution, role=role), actor)
    _event("agreement_created", actor=actor, target=agreement, folio=folio)
    return agreement


@transaction.atomic
def agreement_activate(*, agreement, actor, today=None) -> Agreement:
    """Draft -> in force, once signed and not already past its end date."""
    _check_actor(actor, "agreements.change_agreement", agreement=agreement)
    today = today or timezone.localdate()
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_draft:
        raise ValidationError(_("Solo un convenio en borrador puede entrar en vigor."))
    if not agreement.is_signed:
        raise ValidationError(_("Registre la fecha de firma antes de declarar el convenio vigente."))
    if agreement.end_date is not None and agreement.end_date < today:
        raise ValidationError(_("La vigencia de este convenio ya terminó."))
    agreement.activate()
    _save(agreement, actor, update_fields=["status"])
    _event("agreement_activated", actor=actor, target=agreement)
    return agreement


@transaction.atomic
def agreement_renew(*, agreement, actor, folio, signed_on, term_kind=None, term_years=None, term_until=None):
    """A renewal is a new period linked to the previous one, with the same parties."""
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in Agreement.RENEWABLE_STATUSES:
        raise ValidationError(_("Solo se renueva un convenio vigente o vencido."))
    if hasattr(agreement, "renewal"):
        raise ValidationError(_("Este convenio ya fue renovado."))
    renewal = agreement_create(
        actor=actor,
        folio=folio,
        title=agreement.title,
        kind=agreement.kind,
        purpose=agreement.purpose,
        signing_place=agreement.signing_place,
        signed_on=signed_on,
        term_kind=term_kind or agreement.term_kind,
        term_years=term_years if term_years is not None else agreement.term_years,
        term_until=term_until,
        notice_days=agreement.notice_days,
        notice_day_kind=agreement.notice_day_kind,
        rescission_answer_days=agreement.rescission_answer_days,
        parties=[(p.institution, p.role) for p in agreement.parties.select_related("institution")],
        previous=agreement,
    )
    _event("agreement_renewed", actor=actor, target=agreement, renewal=renewal.folio)
    return renewal


def _each_committed(what, items, work, describe=repr) -> int:
    """Run ``work(item)`` for every item in its own transaction (the daily job's steps): a failing
    item is rolled back and logged, and the others go on. Returns how many items ``work`` did."""
    done = 0
    for item in items:
        try:
            with transaction.atomic():
                done += bool(work(item))
        except Exception:  # noqa: BLE001 - one item's failure must not undo or stop the others
            logger.exception("daily job: %s failed for %s; the other items went on", what, describe(item))
    return done


def agreements_expire_due(*, today=None) -> int:
    """System: agreements in force whose end date has passed become expired, each on its own."""
    today = today or timezone.localdate()

    def expire(pk):
        agreement = Agreement.objects.select_for_update().get(pk=pk)
        if not agreement.is_in_force or agreement.end_date is None or agreement.end_date >= today:
            return False  # changed since the list was read
        agreement.expire()
        _save(agreement, None, update_fields=["status"])
        _event("agreement_expired", actor=None, target=agreement)
        return True

    due = Agreement.objects.filter(status=Agreement.Status.IN_FORCE, end_date__lt=today).order_by("pk")
    return _each_committed("agreement expiry", list(due.values_list("pk", flat=True)), expire)


AMENDABLE_FIELDS = ("title", "purpose", "term_kind", "term_years", "term_until", "notice_days", "notice_day_kind")


def amendment_create(*, agreement, actor, signed_on, summary, file, new_terms: dict) -> Amendment:
    """Store the signed addendum and register the amendment in one transaction.

    A refused amendment (e.g. it changes no term) leaves no document, no stored file, no event.
    """
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=agreement)
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        commission = agreement.parties.get(role=AgreementParty.Role.COMMISSION).institution
        document = _document_upload(
            actor=actor,
            institution=commission,
            agreement=agreement,
            kind=Document.Kind.AMENDMENT,
            title=_("Adenda de %(folio)s") % {"folio": agreement.folio},
            file=file,
        )
        stored_names.append(document.file.name)
        return amendment_register(
            agreement=agreement,
            actor=actor,
            signed_on=signed_on,
            summary=summary,
            document=document,
            new_terms=new_terms,
        )


@transaction.atomic
def amendment_register(*, agreement, actor, signed_on, summary, document, new_terms: dict) -> Amendment:
    """Record a signed addendum and apply the terms it changes; the amendment keeps old -> new."""
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_in_force:
        raise ValidationError(_("Solo se modifica un convenio vigente."))
    if agreement.signed_on and signed_on < agreement.signed_on:
        raise ValidationError(_("La modificación no puede ser anterior a la firma del convenio."))
    unknown = set(new_terms) - set(AMENDABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Estos términos no se modifican por adenda: %(f)s") % {"f": ", ".join(sorted(unknown))})
    old_end = agreement.end_date
    changes = {}
    for field, value in new_terms.items():
        old = getattr(agreement, field)
        if old != value:
            changes[field] = [str(old) if old is not None else "", str(value) if value is not None else ""]
            setattr(agreement, field, value)
    if not changes:
        raise ValidationError(_("La modificación no cambia ningún término del convenio."))
    agreement.full_clean()
    _save(agreement, actor)
    if agreement.end_date != old_end:
        changes["end_date"] = [str(old_end or ""), str(agreement.end_date or "")]
    number = agreement.amendments.count() + 1
    amendment = _save(
        Amendment(
            agreement=agreement,
            number=number,
            signed_on=signed_on,
            summary=summary,
            document=document,
            changes=changes,
            created_by=actor,
        ),
        actor,
    )
    _event("agreement_amended", actor=actor, target=agreement, number=number, fields=sorted(changes))
    return amendment


# --- Early termination and rescission --------------------------------------------------------


@transaction.atomic
def termination_notice_create(
    *, agreement, actor, kind, notifying_party, notified_on, reason, pending_matters="", document=None
) -> TerminationNotice:
    """A written notice of early termination or rescission, with its dates computed."""
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_in_force:
        raise ValidationError(_("Solo se puede dar aviso sobre un convenio vigente."))
    if notifying_party.agreement_id != agreement.pk:
        raise ValidationError(_("La parte que notifica debe ser parte del convenio."))
    if agreement.termination_notices.filter(status__in=TerminationNotice.OPEN_STATUSES).exists():
        raise ValidationError(_("Ya hay un aviso en trámite para este convenio."))
    notice = TerminationNotice(
        agreement=agreement,
        kind=kind,
        notifying_party=notifying_party,
        notified_on=notified_on,
        reason=reason,
        pending_matters=pending_matters,
        document=document,
        created_by=actor,
    )
    if kind == TerminationNotice.Kind.EARLY_TERMINATION:
        notice.effective_on = rules.termination_effective_date(
            notified_on=notified_on, notice_days=agreement.notice_days, day_kind=agreement.notice_day_kind
        )
    else:
        notice.answer_due_on = rules.rescission_answer_deadline(
            notified_on=notified_on, answer_days=agreement.rescission_answer_days
        )
    _save(notice, actor)
    _event("termination_notice_given", actor=actor, target=agreement, kind=kind, notified_on=notified_on)
    notify(
        recipients=_recipients(_party_institutions(agreement)),
        template="agreement_termination_notice",
        context={"agreement": agreement, "notice": notice},
        related=notice,
    )
    return notice


@transaction.atomic
def rescission_answer(*, notice, actor, answer, answered_on) -> TerminationNotice:
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=notice.agreement)
    notice = TerminationNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.awaits_answer:
        raise ValidationError(_("Solo se responde un aviso de rescisión en plazo."))
    if answered_on > notice.answer_due_on:
        raise ValidationError(_("El plazo para responder venció el %(d)s.") % {"d": f"{notice.answer_due_on:%d/%m/%Y}"})
    notice.answer_received(answer=answer, answered_on=answered_on)
    _save(notice, actor)
    _event("rescission_answered", actor=actor, target=notice.agreement)
    return notice


@transaction.atomic
def termination_finalize(*, notice, actor, today=None) -> Agreement:
    """Make a notice final once its period has run: the agreement ends terminated or rescinded."""
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=notice.agreement)
    today = today or timezone.localdate()
    notice = TerminationNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.is_open:
        raise ValidationError(_("Este aviso ya no está en trámite."))
    agreement = Agreement.objects.select_for_update().get(pk=notice.agreement_id)
    if not agreement.is_in_force:
        raise ValidationError(_("El convenio ya no está vigente; este aviso solo puede retirarse."))
    if notice.kind == TerminationNotice.Kind.EARLY_TERMINATION:
        if today < notice.effective_on:
            raise ValidationError(
                _("La terminación surte efectos el %(d)s; aún no es definitiva.")
                % {"d": f"{notice.effective_on:%d/%m/%Y}"}
            )
        agreement.terminate()
    else:
        if notice.awaits_answer and today <= notice.answer_due_on:
            raise ValidationError(
                _("La otra parte puede responder hasta el %(d)s.") % {"d": f"{notice.answer_due_on:%d/%m/%Y}"}
            )
        agreement.rescind()
    notice.finalize(today=today)
    _save(notice, actor)
    _save(agreement, actor, update_fields=["status"])
    _event("agreement_ended", actor=actor, target=agreement, kind=notice.kind)
    return agreement


@transaction.atomic
def termination_withdraw(*, notice, actor) -> TerminationNotice:
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=notice.agreement)
    notice = TerminationNotice.objects.select_for_update().get(pk=notice.pk)
    if not notice.is_open:
        raise ValidationError(_("Este aviso ya no está en trámite."))
    notice.withdraw()
    _save(notice, actor)
    _event("termination_notice_withdrawn", actor=actor, target=notice.agreement)
    return notice


def terminations_apply_due(*, today=None) -> int:
    """System: early terminations whose effective date has arrived become final, each on its own."""
    today = today or timezone.localdate()
    notices = TerminationNotice.objects.filter(
        kind=TerminationNotice.Kind.EARLY_TERMINATION,
        status=TerminationNotice.Status.PENDING,
        effective_on__lte=today,
        agreement__status=Agreement.Status.IN_FORCE,
    ).order_by("pk")
    return _each_committed(
        "early termination", list(notices), lambda notice: termination_finalize(notice=notice, actor=None, today=today)
    )


# --- Obligations and compliance --------------------------------------------------------------


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


# --- Link officers ---------------------------------------------------------------------------


@transaction.atomic
def officer_designate(
    *, party, actor, role, full_name, position, phone, email, address, functions, notified_on, effective_from=None
) -> LinkOfficer:
    """Designate a party's link officer; if one is in office for that role, this is a substitution:
    the new one takes effect the next calendar day (or the later date given) and the previous one
    ends the day before. The previous record stays as history."""
    _check_actor(actor, "agreements.add_linkofficer", agreement=party.agreement, institution=party.institution)
    starts = rules.officer_effective_from(notified_on=notified_on, requested=effective_from)
    previous = (
        LinkOfficer.objects.select_for_update().filter(party=party, role=role, effective_until__isnull=True).first()
    )
    if previous is not None:
        if starts <= previous.effective_from:
            raise ValidationError(_("La sustitución debe surtir efectos después del inicio del enlace actual."))
        previous.effective_until = starts - timedelta(days=1)
        _save(previous, actor)
    officer = LinkOfficer(
        party=party,
        role=role,
        full_name=full_name,
        position=position,
        phone=phone,
        email=email,
        address=address,
        functions=functions,
        notified_on=notified_on,
        effective_from=starts,
        replaces=previous,
        created_by=actor,
    )
    officer.full_clean(exclude=["replaces"])
    _save(officer, actor)
    _event(
        "officer_substituted" if previous else "officer_designated",
        actor=actor,
        target=party.agreement,
        institution=party.institution,
        effective_from=starts,
    )
    notify(
        recipients=_recipients(_party_institutions(party.agreement)),
        template="agreement_officer_designated",
        context={"agreement": party.agreement, "party": party, "officer": officer, "previous": previous},
        related=officer,
    )
    return officer


# --- Signature catalog -----------------------------------------------------------------------


@transaction.atomic
def signatory_submit(
    *, institution, actor, full_name, position, rank, specimen_file, valid_from, valid_until=None, attested
) -> Signatory:
    """The institution administrator sends an authorized signature, attesting its authenticity."""
    _check_actor(actor, "agreements.add_signatory", institution=institution)
    if not attested:
        raise ValidationError(_("Confirme que su institución verificó la autenticidad de la firma."))
    if actor is not None and not actor.is_superuser and actor.institution_id != institution.pk:
        raise ValidationError(_("Solo puede enviar firmas de su propia institución."))
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(_("La vigencia no puede terminar antes de empezar."))
    specimen = _document_upload(
        actor=actor,
        institution=institution,
        kind=Document.Kind.SPECIMEN,
        title=f"Firma de {full_name}",
        file=specimen_file,
        image_only=True,
    )
    signatory = Signatory(
        institution=institution,
        full_name=full_name,
        position=position,
        rank=rank,
        specimen=specimen,
        valid_from=valid_from,
        valid_until=valid_until,
        attested=True,
        submitted_by=actor,
    )
    _save(signatory, actor)
    _event("signatory_submitted", actor=actor, target=signatory, institution=institution)
    notify(
        recipients=_recipients([]),
        template="agreement_signatory_submitted",
        context={"signatory": signatory},
        related=signatory,
    )
    return signatory


def _signatory_decide(*, signatory, actor, transition, note, action):
    """Perform ``transition`` (the name of one of Signatory's transition methods) if it may happen."""
    _check_actor(actor, "agreements.decide_signatory", obj=signatory)
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    move = getattr(signatory, transition)
    if not can_proceed(move):
        raise ValidationError(
            _("La firma está «%(s)s»; no se puede hacer esto.") % {"s": signatory.get_status_display()}
        )
    move(by=actor, note=note)
    _save(signatory, actor)
    _event(action, actor=actor, target=signatory, institution=signatory.institution)
    notify(
        recipients=_recipients([signatory.institution]),
        template="agreement_signatory_decided",
        context={"signatory": signatory},
        related=signatory,
    )
    return signatory


@transaction.atomic
def signatory_register(*, signatory, actor, note="") -> Signatory:
    return _signatory_decide(
        signatory=signatory,
        actor=actor,
        transition="register",
        note=note,
        action="signatory_registered",
    )


@transaction.atomic
def signatory_reject(*, signatory, actor, note) -> Signatory:
    if not note.strip():
        raise ValidationError(_("Indique el motivo del rechazo."))
    return _signatory_decide(
        signatory=signatory,
        actor=actor,
        transition="reject",
        note=note,
        action="signatory_rejected",
    )


@transaction.atomic
def signatory_revoke(*, signatory, actor, note) -> Signatory:
    if not note.strip():
        raise ValidationError(_("Indique el motivo de la revocación."))
    return _signatory_decide(
        signatory=signatory,
        actor=actor,
        transition="revoke",
        note=note,
        action="signatory_revoked",
    )


def signatory_can_sign(signatory, *, on=None) -> bool:
    """Only registered, current signatories may sign requests (used by the onboarding issue)."""
    return Signatory.objects.current(on=on).filter(pk=signatory.pk).exists()


# --- Memberships -----------------------------------------------------------------------------


@transaction.atomic
def membership_request(
    *, institution, actor, responsible_name, agreement_proof, responsible_letter, security_statement
) -> Membership:
    """An institution asks to be registered as a member, with the three documents of 001."""
    _check_actor(actor, "agreements.add_membership", institution=institution)
    if institution.is_commission:
        raise ValidationError(_("La Comisión no se registra como integrante."))
    if Membership.objects.filter(institution=institution, status__in=Membership.CURRENT_STATUSES).exists():
        raise ValidationError(_("La institución ya tiene una membresía vigente o en trámite."))
    docs = {}
    for field, file, title in (
        ("agreement_proof", agreement_proof, _("Constancia del convenio firmado")),
        ("responsible_letter", responsible_letter, _("Oficio de designación del responsable")),
        ("security_statement", security_statement, _("Manifiesto de medidas de seguridad")),
    ):
        docs[field] = _document_upload(
            actor=actor, institution=institution, kind=Document.Kind.MEMBERSHIP, title=str(title), file=file
        )
    membership = _save(
        Membership(institution=institution, responsible_name=responsible_name, requested_by=actor, **docs), actor
    )
    _event("membership_requested", actor=actor, target=membership, institution=institution)
    notify(recipients=_recipients([]), template="agreement_membership_requested", context={"membership": membership})
    return membership


def _membership_locked(membership, may, message):
    """The membership, locked, if the predicate named ``may`` holds for it; else ``message``."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not getattr(membership, may):
        raise ValidationError(message)
    return membership


@transaction.atomic
def membership_accept(*, membership, actor, note="") -> Membership:
    _check_actor(actor, "agreements.decide_membership", obj=membership)
    membership = _membership_locked(membership, "awaits_decision", _("Solo se resuelve una solicitud pendiente."))
    membership.accept(by=actor, note=note)
    _save(membership, actor)
    _event("membership_accepted", actor=actor, target=membership, institution=membership.institution)
    notify(
        recipients=_recipients([membership.institution]),
        template="agreement_membership_decided",
        context={"membership": membership},
    )
    return membership


@transaction.atomic
def membership_deny(*, membership, actor, reason, note="") -> Membership:
    _check_actor(actor, "agreements.decide_membership", obj=membership)
    if reason not in Membership.DenyReason.values:
        raise ValidationError(_("Elija una de las causas de negativa previstas."))
    membership = _membership_locked(membership, "awaits_decision", _("Solo se resuelve una solicitud pendiente."))
    membership.deny(by=actor, reason=reason, note=note)
    _save(membership, actor)
    _event("membership_denied", actor=actor, target=membership, institution=membership.institution, reason=reason)
    notify(
        recipients=_recipients([membership.institution]),
        template="agreement_membership_decided",
        context={"membership": membership},
    )
    return membership


@transaction.atomic
def membership_exit(*, membership, actor, requested_on=None, ends_on=None, reason="") -> Membership:
    """The member leaves at any time: on the date given, or else the next business day."""
    _check_actor(actor, "agreements.change_membership", obj=membership)
    requested_on = requested_on or timezone.localdate()
    if ends_on is not None and ends_on < requested_on:
        raise ValidationError(_("La fecha de baja no puede ser anterior a hoy."))
    membership = _membership_locked(membership, "can_leave", _("Solo una membresía aceptada puede darse de baja."))
    membership.leave(ends_on=rules.member_exit_date(requested_on=requested_on, given=ends_on), reason=reason)
    _save(membership, actor)
    _event(
        "membership_exit_requested",
        actor=actor,
        target=membership,
        institution=membership.institution,
        ends_on=membership.ends_on,
    )
    return membership


@transaction.atomic
def membership_terminate(*, membership, actor, reason, notified_on=None) -> Membership:
    """The commission ends a membership with 5 calendar days' notice."""
    _check_actor(actor, "agreements.decide_membership", obj=membership)
    if not reason.strip():
        raise ValidationError(_("Indique el motivo de la terminación."))
    notified_on = notified_on or timezone.localdate()
    membership = _membership_locked(membership, "can_terminate", _("Solo se termina una membresía aceptada."))
    membership.terminate(
        ends_on=rules.membership_termination_date(notified_on=notified_on, days=Membership.TERMINATION_NOTICE_DAYS),
        reason=reason,
    )
    _save(membership, actor)
    _event("membership_terminated", actor=actor, target=membership, institution=membership.institution)
    notify(
        recipients=_recipients([membership.institution]),
        template="agreement_membership_terminated",
        context={"membership": membership},
    )
    return membership


def memberships_close_due(*, today=None) -> int:
    """System: memberships whose end date has arrived end, each on its own."""
    today = today or timezone.localdate()

    def close(pk):
        membership = Membership.objects.select_for_update().get(pk=pk)
        if not can_proceed(membership.close) or membership.ends_on is None or membership.ends_on > today:
            return False  # changed since the list was read
        membership.close()
        _save(membership, None)
        return True

    due = Membership.objects.filter(status__in=Membership.ENDING_STATUSES, ends_on__lte=today).order_by("pk")
    return _each_committed("membership end", list(due.values_list("pk", flat=True)), close)


# --- Notices to members ----------------------------------------------------------------------


@transaction.atomic
def member_notice_send(*, actor, kind, subject, body, change_on, sent_on=None) -> MemberNotice:
    """Send a notice to every member institution, checking the lead time of its kind (001)."""
    _check_actor(actor, "agreements.add_membernotice", platform=True)
    sent_on = sent_on or timezone.localdate()
    earliest = rules.notice_earliest_change(kind=kind, sent_on=sent_on)
    if change_on < earliest:
        raise ValidationError(
            _("Con este tipo de aviso, el cambio no puede ocurrir antes del %(d)s.") % {"d": f"{earliest:%d/%m/%Y}"}
        )
    notice = _save(
        MemberNotice(kind=kind, subject=subject, body=body, sent_on=sent_on, change_on=change_on, created_by=actor),
        actor,
    )
    members = Institution.objects.filter(kind=Institution.Kind.MEMBER, status=Institution.Status.ACTIVE)
    _event("member_notice_sent", actor=actor, target=notice, kind=kind, change_on=change_on)
    notify(
        recipients=_recipients(members), template="agreement_member_notice", context={"notice": notice}, related=notice
    )
    return notice


# --- Daily job -------------------------------------------------------------------------------

ENDING_WINDOWS = (90, 30, 7)
DUE_SOON_BUSINESS_DAYS = 5


def _alert_once(key) -> bool:
    """True the first time ``key`` is seen; the row makes every later run skip it."""
    if SentAlert.objects.filter(key=key).exists():
        return False
    _save(SentAlert(key=key), None)
    return True


def agreements_daily(*, today=None) -> dict:
    """The daily beat: move dates forward, then announce each event once.

    Every expiry, termination, membership end and alert commits on its own: one that fails (a
    notification that cannot be written, say) is logged and retried the next day, and neither
    undoes nor stops the others.
    """
    from kernel import calendar

    today = today or timezone.localdate()
    sent = {"ending": 0, "due_soon": 0, "overdue": 0, "officer_overdue": 0}
    agreements_expire_due(today=today)
    terminations_apply_due(today=today)
    memberships_close_due(today=today)

    alerts: list[
        tuple[str, str, Any, str, dict[str, Any], Any]
    ] = []  # (key, bucket, institutions, template, context, related)
    for agreement in Agreement.objects.filter(
        status=Agreement.Status.IN_FORCE, end_date__gte=today, end_date__lte=today + timedelta(days=max(ENDING_WINDOWS))
    ).prefetch_related("parties__institution"):
        days_left = (agreement.end_date - today).days
        window = min(w for w in ENDING_WINDOWS if days_left <= w)
        alerts.append(
            (
                f"ending:{window}:{agreement.pk}:{agreement.end_date}",
                "ending",
                _party_institutions(agreement),
                "agreement_ending",
                {"agreement": agreement, "days_left": days_left, "window": window},
                agreement,
            )
        )

    horizon = calendar.add_business_days(today, DUE_SOON_BUSINESS_DAYS)
    obligations = Obligation.objects.filter(is_active=True, agreement__status=Agreement.Status.IN_FORCE).select_related(
        "agreement", "party__institution"
    )
    # Every obligation's next due date in a fixed number of queries (not two per obligation).
    for row in selectors.obligations_with_next_due(obligations=obligations, today=today):
        obligation, period, due = row["obligation"], row["next_period"], row["next_due"]
        if due is None:
            continue
        if due < today:
            key, template, bucket = (
                f"overdue:{obligation.pk}:{period.isoformat()}",
                "agreement_obligation_overdue",
                "overdue",
            )
        elif due <= horizon:
            key, template, bucket = f"due:{obligation.pk}:{period.isoformat()}", "agreement_obligation_due", "due_soon"
        else:
            continue
        context = {"obligation": obligation, "agreement": obligation.agreement, "due": due}
        alerts.append((key, bucket, [obligation.party.institution], template, context, obligation))

    for party in AgreementParty.objects.filter(
        officer_designation_due__lt=today,
        officers__isnull=True,
        agreement__status__in=[Agreement.Status.DRAFT, Agreement.Status.IN_FORCE],
    ).select_related("agreement", "institution"):
        alerts.append(
            (
                f"officer-overdue:{party.pk}:{party.officer_designation_due}",
                "officer_overdue",
                [party.institution],
                "agreement_officer_overdue",
                {"party": party, "agreement": party.agreement},
                party,
            )
        )

    def announce(alert):
        key, bucket, institutions, template, context, related = alert
        if not _alert_once(key):
            return False
        notify(recipients=_recipients(institutions), template=template, context=context, related=related)
        sent[bucket] += 1
        return True

    _each_committed("alert", alerts, announce, describe=lambda alert: alert[0])
    return sent


# --- Commission's non-working days -----------------------------------------------------------


@transaction.atomic
def non_working_day_add(*, actor, day, description):
    _check_actor(actor, "agreements.add_nonworkingday", platform=True)
    from .models import NonWorkingDay

    if NonWorkingDay.objects.filter(date=day).exists():
        raise ValidationError(_("Ese día ya está registrado como inhábil."))
    entry = _save(NonWorkingDay(date=day, description=description), actor)
    _event("non_working_day_added", actor=actor, target=entry, day=day)
    return entry


@transaction.atomic
def non_working_day_remove(*, actor, entry):
    _check_actor(actor, "agreements.delete_nonworkingday", platform=True)
    entry._history_user = actor
    _event("non_working_day_removed", actor=actor, target=entry, day=entry.date)
    entry.delete()


@transaction.atomic
def party_set_designation_deadline(*, party, actor, due_on):
    """The commission sets (or clears) the date by which a party must name its link officer."""
    _check_actor(actor, "agreements.change_agreementparty", agreement=party.agreement)
    party = AgreementParty.objects.select_for_update().get(pk=party.pk)
    party.officer_designation_due = due_on
    _save(party, actor)
    _event("officer_deadline_set", actor=actor, target=party.agreement, institution=party.institution, due_on=due_on)
    return party
