from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"

    def ready(self):
        from .catalog_defaults import ensure_default_documents

        post_migrate.connect(ensure_default_documents, sender=self, dispatch_uid="accounts_default_documents")
