"""The history-log permission moved from portal to audit: nobody's rights change on the way."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Profile

BEFORE = ("portal", "0001_initial")
AFTER = ("portal", "0002_history_log_permission_to_audit")


def migrate(target):
    # The executor alone: no post_migrate, so permissions are only what the migrations make.
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.fixture
def before_the_move(db):
    migrate(BEFORE)
    yield
    migrate(AFTER)


def test_every_group_holding_the_old_permission_holds_audits_after_the_move(before_the_move):
    old = Permission.objects.get(content_type__app_label="portal", codename="view_history_log")
    custom = Group.objects.create(name="Bitácora de su institución")
    custom.permissions.add(old)
    auditor = Profile.objects.get(code="auditor").group
    assert auditor.permissions.filter(pk=old.pk).exists()

    migrate(AFTER)

    for group in (custom, auditor):
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert "audit.view_history_log" in held and "portal.view_history_log" not in held
    assert not Permission.objects.filter(content_type__app_label="portal", codename="view_history_log").exists()
    # A profile without it does not gain it.
    assert not Profile.objects.get(code="analyst").group.permissions.filter(codename="view_history_log").exists()
