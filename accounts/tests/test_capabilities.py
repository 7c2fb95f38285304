"""The capability table is written once (accounts/capabilities.py) and the README, the data
migration and the groups all agree with it."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from accounts.capabilities import BUILTIN_PROFILES, PORTAL_APPS, permission_names, readme_table
from accounts.models import Profile
from accounts.services import profile_sync_builtin

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_carries_the_capability_table_verbatim():
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- capability-table:start")
    end = text.index("<!-- capability-table:end -->")
    table = text[text.index("\n", start) + 1 : end]
    assert table == readme_table(), "README.md is stale: paste accounts.capabilities.readme_table() into it"


@pytest.mark.django_db
def test_builtin_profiles_exist_after_migrate_with_exactly_the_tables_permissions():
    every = {
        f"{a}.{c}"
        for a, c in Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).values_list(
            "content_type__app_label", "codename"
        )
    }
    assert set(Profile.objects.filter(is_builtin=True).values_list("code", flat=True)) == set(BUILTIN_PROFILES)
    for code, spec in BUILTIN_PROFILES.items():
        profile = Profile.objects.get(code=code)
        assert profile.scope == spec["scope"] and profile.name == spec["name"] and profile.is_active
        held = {f"{p.content_type.app_label}.{p.codename}" for p in profile.group.permissions.all()}
        assert held == permission_names(spec["permissions"], every), code


@pytest.mark.django_db
def test_the_data_migration_leaves_a_first_version_in_the_history_log():
    profile = Profile.objects.get(code="analyst")
    assert profile.history.filter(history_type="+").exists()
    assert profile.group.history.filter(history_type="+").exists()


@pytest.mark.django_db
def test_sync_restores_a_builtin_group_that_was_tampered_with():
    group = Profile.objects.get(code="analyst").group
    group.permissions.add(Permission.objects.get(codename="change_profile"))
    profile_sync_builtin()
    assert not group.permissions.filter(codename="change_profile").exists()


def test_capability_table_uses_only_known_scopes():
    assert {spec["scope"] for spec in BUILTIN_PROFILES.values()} <= set(Profile.Scope.values)
