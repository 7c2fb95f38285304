"""The commission's non-working days."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .common import _check_actor, _event, _save

# --- Commission's non-working days -----------------------------------------------------------


@transaction.atomic
def non_working_day_add(*, actor, day, description):
    _check_actor(actor, "agreements.add_nonworkingday", platform=True)
    from ..models import NonWorkingDay

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
