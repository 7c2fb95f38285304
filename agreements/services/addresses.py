"""Each party's address for notices (000 I.5, II.4, VIGÉSIMA PRIMERA)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import rules
from ..models import AgreementParty, PartyAddress
from .common import _check_actor, _event, _save


@transaction.atomic
def party_address_change(*, party, actor, address, notified_on) -> PartyAddress:
    """Record a party's new address for notices. It takes effect 15 natural days after it was
    notified; until then notices stay valid at the previous address (000 VIGÉSIMA PRIMERA)."""
    _check_actor(actor, "agreements.change_agreementparty", agreement=party.agreement, institution=party.institution)
    party = AgreementParty.objects.select_for_update().get(pk=party.pk)
    address = (address or "").strip()
    if not address:
        raise ValidationError({"address": _("Escriba el nuevo domicilio.")})
    if address == party.notice_address(on=notified_on):
        raise ValidationError({"address": _("Ese ya es el domicilio para notificaciones de esta parte.")})
    change = PartyAddress(
        party=party,
        address=address,
        notified_on=notified_on,
        effective_on=rules.address_effective_on(notified_on=notified_on),
        created_by=actor,
    )
    change.full_clean()
    _save(change, actor)
    _event(
        "party_address_changed",
        actor=actor,
        target=party.agreement,
        institution=party.institution,
        notified_on=notified_on,
        effective_on=change.effective_on,
    )
    return change


def notice_address_check(*, party, address, on) -> None:
    """Refuse a notice addressed on ``on`` to an address not in effect for ``party`` that day: a
    new address is used only from 15 natural days after it was notified (000 VIGÉSIMA PRIMERA)."""
    in_effect = party.notice_address(on=on)
    if address.strip() == in_effect.strip():
        return
    pending = party.addresses.filter(address=address.strip(), effective_on__gt=on).order_by("effective_on").first()
    if pending is not None:
        raise ValidationError(
            _("El nuevo domicilio surte efectos el %(date)s; hasta entonces las notificaciones van a: %(prev)s")
            % {"date": f"{pending.effective_on:%d/%m/%Y}", "prev": in_effect}
        )
    raise ValidationError(_("Ese no es el domicilio para notificaciones de esta parte."))
