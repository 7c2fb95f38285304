from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import remember_rights

        user_logged_in.connect(remember_rights, dispatch_uid="accounts_remember_rights")

        from . import signals  # noqa: F401 - connects the login/logout receivers
