from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The notification outbox (kernel): e-mail and in-app messages written with the causing event."""

    name = "kernel.notifications"
    label = "notifications"
    verbose_name = _("Notificaciones")

    def ready(self):
        from . import events  # noqa: F401 - registers its history-log events
