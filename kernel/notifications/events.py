"""The history log's events about the notification outbox, registered once (see ``audit.events``)."""

from django.utils.translation import gettext_lazy as _

from audit.events import BUSINESS, EventType, register

register(
    EventType("notification_failed", BUSINESS, _("notificación fallida"), detail=("template", "attempts")),
    EventType(
        "notification_resent",
        BUSINESS,
        _("notificación reenviada"),
        detail=("template", "previous_error"),
        aliases=("notification_resend",),
    ),
)
