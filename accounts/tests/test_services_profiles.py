"""Profile catalog services, profile assignment and object-level assignments."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import Profile, User
from accounts.tests.factories import UserFactory, profile
from agreements.models import Institution
from agreements.tests.factories import CommissionFactory, InstitutionFactory
from kernel.scoping import scope_queryset

pytestmark = pytest.mark.django_db


def perm(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.fixture
def admin():
    return UserFactory(profile=profile("commission_admin"), institution=CommissionFactory())


def make_profile(admin, name="Consulta de cuentas", scope=Profile.Scope.INSTITUTION, perms=("accounts.view_user",)):
    return services.profile_create(
        actor=admin, code=name.lower().replace(" ", "_"), name=name, scope=scope, permissions=[perm(p) for p in perms]
    )


def test_profile_create_backs_the_profile_with_a_group_holding_the_permissions(admin):
    created = make_profile(admin)
    assert created.is_active and not created.is_builtin
    assert list(created.group.permissions.values_list("codename", flat=True)) == ["view_user"]
    assert created.history.get().history_user == admin


def test_permission_changes_are_kept_in_the_group_history(admin):
    created = make_profile(admin)
    services.profile_update(
        actor=admin,
        profile=created,
        name=created.name,
        scope=created.scope,
        permissions=[perm("accounts.view_user"), perm("accounts.view_profile")],
    )
    latest = created.group.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == admin
    assert {p.permission.codename for p in latest.permissions.all()} == {"view_user", "view_profile"}


def test_profiles_can_only_hold_permissions_of_the_portals_apps(admin):
    outside = Permission.objects.get(content_type__app_label="sessions", codename="view_session")
    with pytest.raises(ValidationError):
        services.profile_create(actor=admin, code="x", name="X", scope="institution", permissions=[outside])


def test_builtin_profiles_are_neither_edited_nor_deactivated(admin):
    analyst = profile("analyst")
    with pytest.raises(ValidationError):
        services.profile_update(actor=admin, profile=analyst, name="Otro", scope="platform", permissions=[])
    with pytest.raises(ValidationError):
        services.profile_deactivate(actor=admin, profile=analyst)


def test_a_profile_held_by_live_accounts_cannot_be_deactivated(admin):
    created = make_profile(admin)
    holder = UserFactory(profile=created)
    with pytest.raises(ValidationError, match="cuenta"):
        services.profile_deactivate(actor=admin, profile=created)
    holder.status = User.Status.CANCELLED
    holder.save()
    services.profile_deactivate(actor=admin, profile=created)
    created.refresh_from_db()
    assert not created.is_active
    services.profile_activate(actor=admin, profile=created)
    created.refresh_from_db()
    assert created.is_active


def test_assigning_a_profile_swaps_the_group_records_history_and_ends_sessions(admin, client):
    user = UserFactory()
    client.force_login(user)
    assert Session.objects.count() == 1
    target = make_profile(admin)
    services.user_set_profile(user=user, profile=target, actor=admin)
    user.refresh_from_db()
    assert user.profile == target
    assert list(user.groups.all()) == [target.group]
    assert Session.objects.count() == 0
    last = user.history.order_by("-history_date", "-history_id").first()
    assert last.profile_id == target.pk and last.history_user == admin


def test_profile_assignment_is_refused_when_the_rule_says_so(admin):
    member_user = UserFactory()
    with pytest.raises(ValidationError, match="Comisión"):
        services.user_set_profile(user=member_user, profile=profile("auditor"), actor=admin)
    with pytest.raises(ValidationError, match="propio"):
        services.user_set_profile(user=admin, profile=profile("auditor"), actor=admin)
    inactive = make_profile(admin, name="Retirado")
    services.profile_deactivate(actor=admin, profile=inactive)
    with pytest.raises(ValidationError, match="desactivado"):
        services.user_set_profile(user=member_user, profile=inactive, actor=admin)
    institution_admin = UserFactory(profile=profile("institution_admin"), institution=member_user.institution)
    with pytest.raises(PermissionDenied):
        services.user_set_profile(user=member_user, profile=profile("institution_admin"), actor=institution_admin)
    member_user.refresh_from_db()
    assert member_user.profile.code == "analyst"


def test_an_assigned_scope_sees_only_what_was_granted(admin):
    assigned = make_profile(admin, name="Analista asignado", scope=Profile.Scope.ASSIGNED, perms=())
    user = UserFactory(profile=assigned)
    first, second, third = InstitutionFactory(), InstitutionFactory(), InstitutionFactory()
    services.assignment_grant(user=user, obj=first, actor=admin)
    services.assignment_grant(user=user, obj=second, actor=admin)
    user = User.objects.get(pk=user.pk)
    visible = scope_queryset(Institution.objects.all(), user, institution_lookup="pk")
    assert set(visible) == {first, second}
    assert third not in visible
    services.assignment_revoke(user=user, obj=second, actor=admin)
    user = User.objects.get(pk=user.pk)
    assert set(scope_queryset(Institution.objects.all(), user, institution_lookup="pk")) == {first}


def test_assignments_are_only_for_the_assigned_scope_and_end_with_it(admin):
    analyst = UserFactory()
    with pytest.raises(ValidationError):
        services.assignment_grant(user=analyst, obj=InstitutionFactory(), actor=admin)
    assigned = make_profile(admin, name="Asignado", scope=Profile.Scope.ASSIGNED, perms=())
    services.user_set_profile(user=analyst, profile=assigned, actor=admin)
    analyst.refresh_from_db()
    services.assignment_grant(user=analyst, obj=InstitutionFactory(), actor=admin)
    services.user_set_profile(user=analyst, profile=profile("analyst"), actor=admin)
    services.user_set_profile(user=analyst, profile=assigned, actor=admin)
    analyst = User.objects.get(pk=analyst.pk)
    assert scope_queryset(Institution.objects.all(), analyst, institution_lookup="pk").count() == 0


def test_scope_queryset_per_scope(admin):
    own, other = InstitutionFactory(), InstitutionFactory()
    member = UserFactory(institution=own)
    qs = Institution.objects.filter(pk__in=[own.pk, other.pk])
    assert set(scope_queryset(qs, admin, institution_lookup="pk")) == {own, other}
    assert set(scope_queryset(qs, member, institution_lookup="pk")) == {own}
    assert scope_queryset(qs, member, institution_lookup=None).count() == 0
