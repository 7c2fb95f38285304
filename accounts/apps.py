from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import remember_rights

        user_logged_in.connect(remember_rights, dispatch_uid="accounts_remember_rights")

        # Registers its events; connects the login/logout receivers and those that forget a cached
        # standing when its basis changes.
        from . import basis_sessions, events, signals  # noqa: F401
        from .catalog_defaults import ensure_default_documents

        post_migrate.connect(ensure_default_documents, sender=self, dispatch_uid="accounts_default_documents")

        # Lower layers (agreements) find notification recipients through the kernel's hook.
        from kernel.notifications import recipients

        from . import selectors

        recipients.register(
            commission_admins=selectors.commission_admins, institution_admins=selectors.institution_admins
        )
