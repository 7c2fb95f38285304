from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Gobernanza de convenios"

    def ready(self):
        from . import events  # noqa: F401 - registers its history-log events
