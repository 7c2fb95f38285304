"""The history log's events about access reviews, registered once (see ``audit.events``)."""

from django.utils.translation import gettext_lazy as _

from audit.events import BUSINESS, EventType, register


def _event(name, label, *, detail=()):
    return EventType(name, BUSINESS, label, detail=detail)


register(
    _event("review_campaign_opened", _("revisión de accesos abierta"), detail=("due_on", "items", "institutions")),
    _event("review_reminder_sent", _("recordatorio de revisión de accesos enviado"), detail=("days_before", "pending")),
    _event(
        "review_campaign_closed",
        _("revisión de accesos cerrada"),
        detail=("confirmed", "revoked", "suspended"),
    ),
    _event("review_item_confirmed", _("cuenta ratificada en la revisión de accesos"), detail=("campaign",)),
    _event("review_item_revoked", _("cuenta revocada en la revisión de accesos"), detail=("campaign", "reason")),
    _event(
        "review_late_answer_refused",
        _("respuesta tardía a la revisión de accesos rechazada"),
        detail=("campaign", "due_on"),
    ),
    _event("review_account_suspended", _("cuenta suspendida por no ratificarse"), detail=("campaign",)),
    _event("review_account_cancelled", _("cuenta cancelada por revocación"), detail=("campaign", "reason")),
)
