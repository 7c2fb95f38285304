"""Memberships (request, decision, exit, termination) and notices to members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from kernel.notifications.services import notify

from .. import rules
from ..models import (
    Document,
    Institution,
    MemberNotice,
    Membership,
)
from .common import _check_actor, _each_committed, _event, _files_removed_on_failure, _recipients, _save
from .documents import _document_upload


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
    notify(
        recipients=_recipients([]),
        template="agreement_membership_requested",
        context={"membership": membership},
        related=membership,
    )
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
    from kernel import calendar

    membership.follow_up_due = calendar.add_business_days(timezone.localdate(), Membership.FOLLOW_UP_BUSINESS_DAYS)
    _save(membership, actor)
    _event("membership_accepted", actor=actor, target=membership, institution=membership.institution)
    notify(
        recipients=_recipients([membership.institution]),
        template="agreement_membership_decided",
        context={"membership": membership},
        related=membership,
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
        related=membership,
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
        related=membership,
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
        recipients=_member_recipients(members),
        template="agreement_member_notice",
        context={"notice": notice},
        related=notice,
    )
    return notice


def _member_recipients(members):
    """The administrators of ``members`` and the responsible person each member named (001 Cap.
    III.3 VI), each person once; a responsible person whose account is no longer active is skipped."""
    people = {u.pk: u for u in _recipients(members)}
    current = Membership.objects.filter(
        institution__in=members, status__in=Membership.CURRENT_STATUSES, responsible_user__isnull=False
    ).select_related("responsible_user")
    for membership in current:
        user = membership.responsible_user
        if user is not None and user.is_active and user.institution_id == membership.institution_id:
            people.setdefault(user.pk, user)
    return list(people.values())


@transaction.atomic
def membership_set_responsible(*, membership, actor, user) -> Membership:
    """The member names the person (an account of its own) who receives and answers notices."""
    _check_actor(actor, "agreements.change_membership", obj=membership, institution=membership.institution)
    if user.institution_id != membership.institution_id:
        raise ValidationError({"user": _("La persona responsable debe tener una cuenta de la misma institución.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.responsible_user = user
    _save(membership, actor)
    _event("membership_responsible_set", actor=actor, target=membership, institution=membership.institution)
    return membership


def membership_follow_up_submit(*, membership, actor, entitled_users_file, commitment_letter_file) -> Membership:
    """After registration the member sends the list of people entitled to use the platform and its
    commitment letter (001 Cap. III.1 II). Both are required; a refusal leaves no stored file."""
    _check_actor(actor, "agreements.change_membership", obj=membership, institution=membership.institution)
    if entitled_users_file is None or commitment_letter_file is None:
        raise ValidationError(_("Adjunte la relación de personas con derecho de uso y la carta compromiso."))
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.status != Membership.Status.ACCEPTED:
            raise ValidationError(_("Solo una membresía aceptada envía estos documentos."))
        if membership.follow_up_sent_on is not None:
            raise ValidationError(_("Estos documentos ya se enviaron."))
        docs = []
        for kind_title, file in (
            (_("Relación de personas con derecho de uso"), entitled_users_file),
            (_("Carta compromiso"), commitment_letter_file),
        ):
            document = _document_upload(
                actor=actor,
                institution=membership.institution,
                kind=Document.Kind.MEMBERSHIP,
                title=kind_title,
                file=file,
            )
            stored_names.append(document.file.name)
            docs.append(document)
        membership.entitled_users_document, membership.commitment_letter = docs
        membership.follow_up_sent_on = timezone.localdate()
        _save(membership, actor)
        _event("membership_documents_sent", actor=actor, target=membership, institution=membership.institution)
        return membership
