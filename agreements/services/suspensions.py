"""The commission suspends a member institution at once, and lifts it (001, Cap. III.4 III).

Only the record: the accounts it blocks are suspended and restored by
``accounts.services_basis`` (agreements does not import accounts), in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Institution, InstitutionSuspension
from .common import _check_actor, _event, _save


@transaction.atomic
def institution_suspension_start(*, institution, actor, reason, text) -> InstitutionSuspension:
    """Record an immediate suspension of a member institution, with its cause and motivation."""
    _check_actor(actor, "agreements.suspend_institution", platform=True)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.is_commission:
        raise ValidationError(_("La Comisión no se suspende a sí misma."), code="commission")
    if reason not in InstitutionSuspension.Reason.values:
        raise ValidationError(_("Elija una causa de suspensión."), code="reason")
    if not (text or "").strip():
        raise ValidationError(_("Explique los hechos que motivan la suspensión."), code="text")
    if InstitutionSuspension.objects.in_effect().filter(institution=institution).exists():
        raise ValidationError(_("Esta institución ya está suspendida."), code="already")
    suspension = InstitutionSuspension(institution=institution, reason=reason, text=text.strip(), started_by=actor)
    try:
        with transaction.atomic():
            _save(suspension, actor)
    except IntegrityError:
        raise ValidationError(_("Esta institución ya está suspendida."), code="already") from None
    _event("institution_suspended", actor=actor, target=suspension, institution=institution, reason=reason)
    return suspension


@transaction.atomic
def institution_suspension_lift(*, suspension, actor, note) -> InstitutionSuspension:
    """Lift an immediate suspension; the accounts it blocked are restored by the caller."""
    _check_actor(actor, "agreements.suspend_institution", platform=True)
    suspension = InstitutionSuspension.objects.select_for_update().get(pk=suspension.pk)
    if not suspension.can_lift:
        raise ValidationError(_("Esta suspensión ya fue levantada."), code="lifted")
    if not (note or "").strip():
        raise ValidationError(_("Indique por qué se levanta la suspensión."), code="note")
    suspension.lift(by=actor, note=note.strip())
    _save(suspension, actor)
    _event("institution_suspension_lifted", actor=actor, target=suspension, institution=suspension.institution)
    return suspension
