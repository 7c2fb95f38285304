from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "supply"
    verbose_name = "Suministro de datos"

    def ready(self):
        from . import events  # noqa: F401 - registers its history-log events
