from django.apps import AppConfig
from django.db.models.signals import post_migrate

from kernel import search


def _sync_profiles(sender, **kwargs):
    from accounts.services import profile_sync_builtin

    profile_sync_builtin()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from . import (
            checks,  # noqa: F401 - registers the portal's deployment checks
            lookups,
        )

        lookups.register()
        search.register()  # the search function on the demo's SQLite connections
        # portal is the last installed app: every other app's permissions exist by now.
        post_migrate.connect(_sync_profiles, sender=self, dispatch_uid="portal_sync_profiles")
