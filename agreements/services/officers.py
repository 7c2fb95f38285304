"""Link officers: designation and the parties' designation deadlines."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.notifications.services import notify

from .. import rules
from ..models import (
    AgreementParty,
    LinkOfficer,
)
from .common import _check_actor, _event, _party_institutions, _recipients, _save


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
def party_set_designation_deadline(*, party, actor, due_on):
    """The commission sets (or clears) the date by which a party must name its link officer."""
    _check_actor(actor, "agreements.change_agreementparty", agreement=party.agreement)
    party = AgreementParty.objects.select_for_update().get(pk=party.pk)
    party.officer_designation_due = due_on
    _save(party, actor)
    _event("officer_deadline_set", actor=actor, target=party.agreement, institution=party.institution, due_on=due_on)
    return party
