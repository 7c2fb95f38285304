"""Correcting an agreement's data while it is still a draft (issue 21).

Once in force, its terms change only through an amendment (``amendment_create``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Agreement
from .common import _check_actor, _event, _save

# The data a draft's form edits; parties and witnesses are set when it is registered.
DRAFT_FIELDS = (
    "folio",
    "title",
    "kind",
    "purpose",
    "signing_place",
    "signed_on",
    "term_kind",
    "term_years",
    "term_until",
    "notice_days",
    "notice_day_kind",
    "rescission_answer_days",
    "officer_report_months",
)


@transaction.atomic
def agreement_draft_update(*, agreement, actor, data: dict) -> Agreement:
    """Change a draft's data; refused once it is in force. Records which fields changed."""
    _check_actor(actor, "agreements.change_agreement", agreement=agreement, platform=True)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_draft:
        raise ValidationError(_("Solo se pueden corregir los datos de un convenio en borrador."), code="wrong_state")
    changed = []
    for name in DRAFT_FIELDS:
        if name in data and getattr(agreement, name) != data[name]:
            setattr(agreement, name, data[name])
            changed.append(name)
    if not changed:
        return agreement
    agreement.full_clean()
    _save(agreement, actor)
    _event("agreement_updated", actor=actor, target=agreement, fields=changed)
    return agreement
