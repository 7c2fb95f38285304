"""The catalog of authorized signatures: submission and decisions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from kernel.notifications.services import notify

from ..models import (
    Document,
    Signatory,
)
from .common import _check_actor, _event, _recipients, _save
from .documents import _document_upload


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
