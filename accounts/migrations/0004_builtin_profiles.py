"""Create the built-in profiles of the capability table (accounts/capabilities.py).

Permissions of apps migrated later reach the profiles through the post_migrate sync
(accounts.services.profile_sync_builtin), which runs after every ``migrate``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from accounts.capabilities import ALL_PORTAL_PERMISSIONS, BUILTIN_PROFILES, PORTAL_APPS


def _ensure_permissions(apps):
    # Permissions are normally created after the whole migrate run; create the ones of the
    # models known so far, so the built-in groups are complete from the start.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_builtin_profiles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Profile = apps.get_model("accounts", "Profile")
    HistoricalProfile = apps.get_model("accounts", "HistoricalProfile")
    HistoricalGroup = apps.get_model("accounts", "HistoricalGroup")
    _ensure_permissions(apps)
    now = timezone.now()
    for code, spec in BUILTIN_PROFILES.items():
        if Profile.objects.filter(code=code).exists():
            continue
        group, _ = Group.objects.get_or_create(name=spec["name"])
        if spec["permissions"] == ALL_PORTAL_PERMISSIONS:
            perms = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
        else:
            perms = []
            for dotted in spec["permissions"]:
                app_label, codename = dotted.split(".", 1)
                perms += list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
        profile = Profile.objects.create(
            code=code,
            name=spec["name"],
            description=spec["description"],
            scope=spec["scope"],
            group=group,
            is_builtin=True,
            is_active=True,
        )
        # The history log starts with the catalog's first version (no actor: the system).
        HistoricalGroup.objects.create(id=group.id, name=group.name, history_date=now, history_type="+")
        HistoricalProfile.objects.create(
            id=profile.id,
            code=profile.code,
            name=profile.name,
            description=profile.description,
            scope=profile.scope,
            group_id=group.id,
            is_builtin=True,
            is_active=True,
            history_date=now,
            history_type="+",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_group_history"),
        ("agreements", "0001_initial"),
        ("portal", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Reversing leaves the rows: users may already hold these profiles.
    operations = [migrations.RunPython(create_builtin_profiles, migrations.RunPython.noop)]
