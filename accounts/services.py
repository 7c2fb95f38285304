"""Writes on accounts and profiles. Views and tasks call these; these never read ``request``."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import services as audit
from portal.notifications.services import notify

from . import lockout
from .capabilities import ALL_PORTAL_PERMISSIONS, BUILTIN_PROFILES, PORTAL_APPS
from .models import Profile, User
from .selectors import institution_admins
from .sessions import end_user_sessions


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


# --- Lockout transitions (policy in accounts/lockout.py) ----------------------------------------


def can_reactivate(actor) -> bool:
    """Only a commission administrator (platform scope and the permission) lifts a suspension."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.has_platform_scope
        and actor.has_perm("accounts.reactivate_user")
    )


@transaction.atomic
def account_suspend_for_lockout(*, user) -> User:
    """Suspend ``user`` after a failed login following an expired lock (000, OCTAVA 5).

    Ends all of the user's sessions, records the suspension and tells the user and the
    institution's administrators. Called by the lockout policy while it holds the attempt lock.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.status == User.Status.SUSPENDED:
        return user
    user.status = User.Status.SUSPENDED
    user.status_changed_at = timezone.now()
    user._history_user = None  # the system, not a person
    user._change_reason = "lockout"
    user.save(update_fields=["status", "status_changed_at"])
    ended = end_user_sessions(user=user)
    audit.record_event(
        category="auth",
        action="suspension",
        actor=None,
        username=user.username,
        institution=user.institution,
        target=user,
        detail={"reason": "lockout", "sessions_ended": ended},
    )
    recipients = [user]
    if user.institution_id is not None:
        recipients += [a for a in institution_admins(institution=user.institution) if a.pk != user.pk]
    notify(
        recipients=recipients,
        template="account_suspended",
        context={"account": user, "suspended_at": user.status_changed_at},
        related=user,
    )
    return user


def account_reactivate(*, user, actor, reason: str) -> User:
    """Lift a suspension: only a commission administrator, with a reason.

    Clears the failed-login counters and the lock history (the portal's and django-axes'), so
    the user starts afresh. Also called when the commission approves a reactivation request.
    """
    if not can_reactivate(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indique el motivo de la reactivación."), code="reason_required")
    with transaction.atomic():
        # Same lock order as a login attempt (throttle row, then user row): no deadlock.
        lockout._locked_row(User.normalize_username(user.username))
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.status != User.Status.SUSPENDED:
            raise ValidationError(_("Solo se puede reactivar una cuenta suspendida."), code="not_suspended")
        user.status = User.Status.ACTIVE
        user.status_changed_at = timezone.now()
        user._history_user = actor
        user._change_reason = reason[:100]
        user.save(update_fields=["status", "status_changed_at"])
        lockout.clear(username=user.username)
        audit.record_event(
            category="auth",
            action="reactivation",
            actor=actor,
            username=user.username,
            institution=user.institution,
            target=user,
            detail={"reason": reason},
        )
    return user
