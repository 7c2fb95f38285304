"""Agreements' lifecycle: creation, activation, renewal, expiry, amendments and terminations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.notifications.services import notify

from .. import rules
from ..models import (
    Agreement,
    AgreementParty,
    AgreementWitness,
    Amendment,
    Document,
    TerminationNotice,
)
from .common import (
    _check_actor,
    _each_committed,
    _event,
    _files_removed_on_failure,
    _party_institutions,
    _recipients,
    _save,
)
from .documents import _document_upload


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
    notice_days=None,
    notice_day_kind=None,
    rescission_answer_days=10,
    previous=None,
    is_reference=False,
    officer_report_months=None,
    witnesses=(),
) -> Agreement:
    """Create a draft agreement; ``parties`` is a list of (institution, role); two or more.

    The early-termination notice, when not given, follows the kind of agreement
    (``rules.termination_notice_default``: 000 VIGÉSIMA SEXTA, 004 VIGÉSIMA PRIMERA).

    ``witnesses`` are (full_name, position, organization) of the people who sign as witnesses
    (004). A reference agreement (``is_reference``, 003) is one between two other parties that the
    commission keeps: the commission is not a party and it grants no accounts
    (``Agreement.objects.granting_access()``)."""
    _check_actor(actor, "agreements.add_agreement", platform=True)
    institutions = [inst for inst, _role in parties]
    if len(set(i.pk for i in institutions)) < 2:
        raise ValidationError(_("Un convenio necesita al menos dos instituciones distintas como partes."))
    if is_reference and any(inst.is_commission for inst in institutions):
        raise ValidationError(_("Un convenio de referencia es entre otras partes: la Comisión no es parte de él."))
    if not is_reference and not any(inst.is_commission for inst in institutions):
        raise ValidationError(_("La Comisión debe ser parte del convenio."))
    default_days, default_kind = rules.termination_notice_default(kind)
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
        notice_days=notice_days if notice_days is not None else default_days,
        notice_day_kind=notice_day_kind or default_kind,
        rescission_answer_days=rescission_answer_days,
        previous=previous,
        is_reference=is_reference,
        officer_report_months=officer_report_months,
    )
    agreement.full_clean()
    _save(agreement, actor)
    for institution, role in parties:
        _save(AgreementParty(agreement=agreement, institution=institution, role=role), actor)
    for full_name, position, organization in witnesses:
        if full_name.strip():
            witness = AgreementWitness(
                agreement=agreement, full_name=full_name.strip(), position=position, organization=organization
            )
            witness.full_clean()
            _save(witness, actor)
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


def agreement_renew(
    *,
    agreement,
    actor,
    folio,
    signed_on,
    renewal_file=None,
    term_kind=None,
    term_years=None,
    term_until=None,
):
    """A renewal is a new period linked to the previous one, with the same parties.

    It needs the parties' prior written agreement (004 VIGÉSIMA): the signed renewal document is
    required and stored on the new period. A refused renewal leaves no stored file behind.
    """
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=agreement)
    if renewal_file is None:
        raise ValidationError(
            {"renewal_file": _("Adjunte el documento de renovación firmado por las partes; sin él no se renueva.")}
        )
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        renewal = _agreement_renew(
            agreement=agreement,
            actor=actor,
            folio=folio,
            signed_on=signed_on,
            term_kind=term_kind,
            term_years=term_years,
            term_until=term_until,
        )
        commission = renewal.parties.filter(role=AgreementParty.Role.COMMISSION).first()
        document = _document_upload(
            actor=actor,
            institution=commission.institution if commission else renewal.parties.first().institution,
            agreement=renewal,
            kind=Document.Kind.RENEWAL,
            title=_("Renovación firmada de %(folio)s") % {"folio": agreement.folio},
            file=renewal_file,
        )
        stored_names.append(document.file.name)
        return renewal


def _agreement_renew(*, agreement, actor, folio, signed_on, term_kind, term_years, term_until):
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
        is_reference=agreement.is_reference,
        officer_report_months=agreement.officer_report_months,
        parties=[(p.institution, p.role) for p in agreement.parties.select_related("institution")],
        previous=agreement,
    )
    _event("agreement_renewed", actor=actor, target=agreement, renewal=renewal.folio)
    return renewal


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


def termination_notice_create(
    *,
    agreement,
    actor,
    kind,
    notifying_party,
    notified_on,
    reason,
    pending_matters="",
    notice_file=None,
    document=None,
) -> TerminationNotice:
    """A written notice of early termination or rescission, with its dates computed.

    The notice is given in writing (000 VIGÉSIMA SEXTA; 004 VIGÉSIMA PRIMERA–SEGUNDA): the signed
    notice is required, as an upload (``notice_file``) or a document already stored for this
    agreement. A refused notice leaves no stored file behind.
    """
    _check_actor(actor, "agreements.manage_agreement_lifecycle", agreement=agreement)
    if notice_file is None and document is None:
        raise ValidationError(
            {"notice_file": _("Adjunte el aviso por escrito firmado; sin él no se registra la terminación.")}
        )
    if document is not None and document.agreement_id != agreement.pk:
        raise ValidationError(_("El aviso firmado debe ser un documento de este convenio."))
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        if notice_file is not None:
            document = _document_upload(
                actor=actor,
                institution=notifying_party.institution,
                agreement=agreement,
                kind=Document.Kind.NOTICE,
                title=_("Aviso firmado de %(kind)s") % {"kind": TerminationNotice.Kind(kind).label.lower()},
                file=notice_file,
            )
            stored_names.append(document.file.name)
        return _termination_notice_register(
            agreement=agreement,
            actor=actor,
            kind=kind,
            notifying_party=notifying_party,
            notified_on=notified_on,
            reason=reason,
            pending_matters=pending_matters,
            document=document,
        )


def _termination_notice_register(
    *, agreement, actor, kind, notifying_party, notified_on, reason, pending_matters, document
) -> TerminationNotice:
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
