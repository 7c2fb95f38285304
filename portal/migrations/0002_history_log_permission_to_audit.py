"""The history-log permission moves from portal.Capability to the audit app (audit.view_history_log).

The permission row itself changes owner (its content type): every group that held
portal.view_history_log, a built-in profile or one the commission made, holds
audit.view_history_log with the same id, and the groups' history (simple-history keeps each
version's permission ids) still names it. Only where both rows already exist (a database where
permissions were created in between) are grants copied, and the old row is deleted unless the
history log refers to it. The shell does this because it is the layer that knows both apps.
"""

from django.db import migrations

CODENAME = "view_history_log"


def _move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    HistoricalGroupPermission = apps.get_model("accounts", "HistoricalGroup_permissions")
    old = Permission.objects.filter(content_type__app_label=source[0], codename=CODENAME).first()
    if old is None:  # a new database: permissions are created after the whole migrate run
        return
    content_type, _ = ContentType.objects.get_or_create(app_label=target[0], model=target[1])
    new = Permission.objects.filter(content_type=content_type, codename=CODENAME).first()
    if new is None:
        old.content_type = content_type
        old.save(update_fields=["content_type"])
        return
    for group in Group.objects.filter(permissions=old):
        group.permissions.add(new)
    if not HistoricalGroupPermission.objects.filter(permission_id=old.pk).exists():
        old.delete()


def forwards(apps, schema_editor):
    _move(apps, ("portal", "capability"), ("audit", "event"))


def backwards(apps, schema_editor):
    _move(apps, ("audit", "event"), ("portal", "capability"))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("audit", "0004_history_log_permission"),
        ("accounts", "0003_group_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="capability",
            options={
                "default_permissions": (),
                "managed": False,
                "permissions": [
                    ("review_requests", "Revisar y resolver solicitudes de cuentas"),
                    ("manage_institution", "Administrar su institución"),
                    ("view_admin_dashboard", "Ver el tablero de la Comisión"),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
