from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Bitácora"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals, triggers  # noqa: F401 - checks registers itself

        signals.connect_celery_signals()
        # Every migrate (and the test database's creation) installs the append-only triggers on
        # every log table, including historical tables of models added later.
        post_migrate.connect(triggers.install_after_migrate, dispatch_uid="audit_append_only_triggers")
