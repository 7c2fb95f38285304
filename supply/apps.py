from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "supply"
    verbose_name = "Suministro de datos"

    def ready(self):
        from agreements import compliance_sources

        from . import compliance, events  # noqa: F401 - events registers its history-log events

        compliance_sources.register(compliance.source)
