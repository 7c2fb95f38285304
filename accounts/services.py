"""Writes on accounts and profiles. Views and tasks call these; these never read ``request``."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .capabilities import ALL_PORTAL_PERMISSIONS, BUILTIN_PROFILES, PORTAL_APPS
from .models import Profile, User


def _permissions_for(spec):
    if spec == ALL_PORTAL_PERMISSIONS:
        return list(Permission.objects.filter(content_type__app_label__in=PORTAL_APPS))
    found = []
    for dotted in spec:
        app_label, codename = dotted.split(".", 1)
        try:
            found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        except Permission.DoesNotExist:
            raise LookupError(f"The capability table names a permission that does not exist: {dotted}") from None
    return found


@transaction.atomic
def profile_sync_builtin():
    """Create or update the built-in profiles and their groups from the capability table.

    Idempotent; runs after every migration so new models' permissions reach the profiles.
    """
    for code, spec in BUILTIN_PROFILES.items():
        profile = Profile.objects.filter(code=code).select_related("group").first()
        if profile is None:
            group, _ = Group.objects.get_or_create(name=spec["name"])
            profile = Profile(code=code, group=group, is_builtin=True)
        for field in ("name", "description", "scope"):
            setattr(profile, field, spec[field])
        profile.is_builtin = True
        profile.save()
        wanted = set(_permissions_for(spec["permissions"]))
        if set(profile.group.permissions.all()) != wanted:
            profile.group.permissions.set(wanted)


@transaction.atomic
def user_create(*, username, institution, profile, password=None, actor=None, **fields) -> User:
    """Create an account with exactly one profile; its group mirrors the profile."""
    user = User(username=username, institution=institution, profile=profile, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    if actor is not None:
        user._history_user = actor
    user.save()
    user.groups.set([profile.group])
    return user


@transaction.atomic
def user_set_profile(*, user, profile, actor) -> User:
    """Swap a user's profile and group in one transaction."""
    user.profile = profile
    user._history_user = actor
    user.save(update_fields=["profile"])
    user.groups.set([profile.group])
    return user
