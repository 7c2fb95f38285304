"""Writes on accounts and profiles. Views and tasks call these; these never read ``request``."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit import services as audit
from audit.services import record_event
from kernel.notifications.services import notify

from . import lockout, selectors
from .capabilities import ALL_PORTAL_PERMISSIONS, BUILTIN_PROFILES, PORTAL_APPS
from .models import ConfidentialityLetter, LetterKind, Profile, User
from .selectors import commission_admins, institution_admins
from .sessions import end_sessions, end_user_sessions


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
            group, _created = Group.objects.get_or_create(name=spec["name"])
            profile = Profile(code=code, group=group, is_builtin=True)
        changed = profile.pk is None or any(
            getattr(profile, field) != spec[field] for field in ("name", "description", "scope")
        )
        for field in ("name", "description", "scope"):
            setattr(profile, field, spec[field])
        profile.is_builtin = True
        if changed or not profile.is_active:
            profile.is_active = True
            profile.save()
        wanted = set(_permissions_for(spec["permissions"]))
        if set(profile.group.permissions.all()) != wanted:
            profile.group.permissions.set(wanted)


def _unique_group_name(name, exclude_pk=None):
    """Groups are named after their profile; a stale group of the same name gets a suffix."""
    candidate, n = name, 1
    while Group.objects.filter(name=candidate).exclude(pk=exclude_pk).exists():
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def check_commission_actor(actor, *perms):
    """The service's own gate for the commission's writes (the view's declared rule is the first):
    ``actor`` None is the system (data migrations, tasks, the demo seed); a person needs the
    platform scope and every permission in ``perms``. Raises PermissionDenied otherwise."""
    if actor is None:
        return
    if not (actor.is_authenticated and actor.is_active and actor.has_platform_scope and actor.has_perms(perms)):
        raise PermissionDenied


def _check_permissions(permissions):
    allowed = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    outside = set(permissions) - set(allowed)
    if outside:
        raise ValidationError(_("Solo se pueden elegir permisos de las aplicaciones del portal."))


@transaction.atomic
def profile_create(
    *, actor, code, name, scope, permissions, description="", requires_second_factor: bool = False
) -> Profile:
    """Add a profile to the catalog, backed by a new group holding ``permissions``."""
    check_commission_actor(actor, "accounts.add_profile")
    _check_permissions(permissions)
    group = Group(name=_unique_group_name(name))
    group._history_user = actor  # type: ignore[attr-defined]
    group.save()
    profile = Profile(
        code=code,
        name=name,
        description=description,
        scope=scope,
        group=group,
        is_active=True,
        requires_second_factor=requires_second_factor,
    )
    profile.full_clean()
    profile._history_user = actor  # type: ignore[attr-defined]
    profile.save()
    group.permissions.set(permissions)
    record_event(
        category="business",
        action="profile_created",
        actor=actor,
        target=profile,
        detail={"code": code, "scope": scope, "permissions": sorted(_dotted(permissions))},
    )
    return profile


@transaction.atomic
def profile_update(
    *, actor, profile, name, scope, permissions, description="", requires_second_factor: bool | None = None
) -> Profile:
    """Change a custom profile. Its users get the new rights at their next request."""
    check_commission_actor(actor, "accounts.change_profile")
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.is_builtin:
        raise ValidationError(_("Los perfiles predefinidos se definen en la tabla de capacidades y no se editan aquí."))
    _check_permissions(permissions)
    old_scope = profile.scope
    profile.name, profile.scope, profile.description = name, scope, description
    if requires_second_factor is not None:
        profile.requires_second_factor = requires_second_factor
    profile.full_clean()
    profile._history_user = actor
    profile.save()
    group = profile.group
    if group.name != name:
        group.name = _unique_group_name(name, exclude_pk=group.pk)
        group._history_user = actor
        group.save()
    before = set(group.permissions.all())
    if before != set(permissions):
        group._history_user = actor
        group.permissions.set(permissions)
    if scope != old_scope:
        # A scope change can widen or narrow every holder's reach: they sign in again.
        end_sessions(users=profile.users.all())
    record_event(
        category="business",
        action="profile_updated",
        actor=actor,
        target=profile,
        detail={
            "scope": [old_scope, scope],
            "added": sorted(_dotted(set(permissions) - before)),
            "removed": sorted(_dotted(before - set(permissions))),
        },
    )
    return profile


@transaction.atomic
def profile_deactivate(*, actor, profile) -> Profile:
    """Withdraw a custom profile from the catalog; refused while live accounts still hold it."""
    check_commission_actor(actor, "accounts.change_profile")
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.is_builtin:
        raise ValidationError(_("Los perfiles predefinidos no se pueden desactivar."))
    if not profile.is_active:
        raise ValidationError(_("El perfil ya está desactivado."))
    holders = profile.users.filter(status__in=User.LIVE_STATUSES).count()
    if holders:
        raise ValidationError(
            _("%(n)s cuenta(s) vigente(s) tienen este perfil: asígneles otro antes de desactivarlo.") % {"n": holders}
        )
    profile.is_active = False
    profile._history_user = actor
    profile.save(update_fields=["is_active"])
    record_event(category="business", action="profile_deactivated", actor=actor, target=profile)
    return profile


@transaction.atomic
def profile_activate(*, actor, profile) -> Profile:
    check_commission_actor(actor, "accounts.change_profile")
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.is_active:
        raise ValidationError(_("El perfil ya está activo."))
    profile.is_active = True
    profile._history_user = actor
    profile.save(update_fields=["is_active"])
    record_event(category="business", action="profile_activated", actor=actor, target=profile)
    return profile


def _dotted(permissions):
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


@transaction.atomic
def user_create(*, username, institution, profile, password=None, actor=None, **fields) -> User:
    """Create an account with exactly one profile; its group mirrors the profile.

    The commission creates accounts: a reviewer approving an account request, or an administrator.
    """
    if actor is not None and not selectors.is_reviewer(actor):
        check_commission_actor(actor, "accounts.add_user")
    user = User(username=username, institution=institution, profile=profile, **fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    if actor is not None:
        user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    user.groups.set([profile.group])
    return user


def check_profile_assignable(*, user, profile, actor=None):
    """Raise ValidationError (Spanish) when ``profile`` cannot be given to ``user``."""
    if not profile.is_active:
        raise ValidationError(_("El perfil está desactivado y no se puede asignar."))
    if profile.scope == Profile.Scope.PLATFORM and not (user.institution_id and user.institution.is_commission):
        raise ValidationError(_("Un perfil de alcance de toda la plataforma solo se asigna a personal de la Comisión."))
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Nadie puede cambiar su propio perfil; pídalo a otra persona administradora."))


@transaction.atomic
def user_set_profile(*, user, profile, actor) -> User:
    """Swap a user's profile and group in one transaction and end their sessions.

    The user keeps no right of the old profile past their next request: the sessions are deleted
    here, and ``portal.middleware.AccountStateMiddleware`` refuses any session whose recorded
    profile differs from the current one.
    """
    if actor is not None and not actor.has_perm("accounts.change_user"):
        raise PermissionDenied
    if actor is not None and not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise PermissionDenied  # a person out of the actor's scope
    user = User.objects.select_for_update(of=("self",)).select_related("institution", "profile").get(pk=user.pk)
    profile = Profile.objects.select_related("group").get(pk=profile.pk)  # its current state, not a stale copy
    check_profile_assignable(user=user, profile=profile, actor=actor)
    old = user.profile
    if old is not None and old.pk == profile.pk:
        return user
    user.profile = profile
    user._history_user = actor
    user.save(update_fields=["profile"])
    user.groups.set([profile.group])
    if old is not None and old.scope == Profile.Scope.ASSIGNED and profile.scope != Profile.Scope.ASSIGNED:
        _revoke_all_assignments(user)
    ended = end_user_sessions(user=user)
    record_event(
        category="business",
        action="profile_changed",
        actor=actor,
        institution=user.institution,
        target=user,
        detail={"from": old.code if old else None, "to": profile.code, "sessions_ended": ended},
    )
    return user


# --- Object-level grants (profiles whose scope is "assigned") -------------------------------


def assignment_permission(obj) -> str:
    """The object permission an assignment grants: ``<app>.view_<model>``."""
    meta = obj._meta
    return f"{meta.app_label}.view_{meta.model_name}"


def can_manage_assignments(actor) -> bool:
    """Commission administrators grant and revoke assigned objects (platform scope and the
    permission to change accounts)."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.has_platform_scope
        and actor.has_perm("accounts.change_user")
    )


def _check_assignment_actor(*, actor, user, obj):
    """``actor`` None is the system (a data migration, the shell); anyone else must be a commission
    administrator who sees both the person and the object, and not the person themself."""
    if actor is None:
        return
    if not can_manage_assignments(actor):
        raise PermissionDenied
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise PermissionDenied
    if not type(obj)._default_manager.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied
    if actor.pk == user.pk:
        raise ValidationError(_("Nadie puede asignarse registros a sí mismo; pídalo a otra persona administradora."))


@transaction.atomic
def assignment_grant(*, user, obj, actor):
    """Let ``user`` (a profile with the "assigned" scope) see ``obj``, e.g. one agreement.

    Stored as a django-guardian object permission; read back by ``kernel.scoping``.
    """
    _check_assignment_actor(actor=actor, user=user, obj=obj)
    if user.profile is None or user.profile.scope != Profile.Scope.ASSIGNED:
        raise ValidationError(_("Solo los perfiles con alcance de convenios asignados reciben asignaciones."))
    perm = assignment_permission(obj)
    assign_perm(perm, user, obj)
    record_event(
        category="business",
        action="assignment_granted",
        actor=actor,
        institution=user.institution,
        target=user,
        detail={"object": f"{obj._meta.label}:{obj.pk}", "permission": perm},
    )


@transaction.atomic
def assignment_revoke(*, user, obj, actor):
    """Withdraw a grant of ``assignment_grant``; the person stops seeing ``obj`` at once."""
    _check_assignment_actor(actor=actor, user=user, obj=obj)
    perm = assignment_permission(obj)
    remove_perm(perm, user, obj)
    record_event(
        category="business",
        action="assignment_revoked",
        actor=actor,
        institution=user.institution,
        target=user,
        detail={"object": f"{obj._meta.label}:{obj.pk}", "permission": perm},
    )


def _revoke_all_assignments(user):
    from guardian.models import UserObjectPermission

    UserObjectPermission.objects.filter(user=user).delete()


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
    if not user.can_suspend:
        return user
    user.suspend()
    user._history_user = None  # the system, not a person
    user._change_reason = "lockout"
    user.save(update_fields=["status", "status_changed_at"])
    ended = end_user_sessions(user=user)
    alerted = commission_admin_lockout_alert(user=user, kind="suspension", at=user.status_changed_at)
    audit.record_event(
        category="auth",
        action="suspension",
        actor=None,
        username=user.username,
        institution=user.institution,
        target=user,
        detail={"reason": "lockout", "logins_ended": ended},
    )
    account_page = reverse("accounts:user_detail", args=[user.pk])
    recipients = [user]
    if user.institution_id is not None:
        recipients += [a for a in institution_admins(institution=user.institution) if a.pk not in {user.pk, *alerted}]
    notify(
        recipients=recipients,
        template="account_suspended",
        context={"account": user, "suspended_at": user.status_changed_at},
        related=user,
        # The suspended person cannot sign in: the sign-in page says why; administrators open the account.
        link=lambda reader: reverse("login") if reader.pk == user.pk else account_page,
    )
    return user


def commission_admin_lockout_alert(*, user, kind: str, at, until=None) -> set[int]:
    """Tell the other commission administrators that one of them was locked or suspended by the
    lockout policy (``kind``: "lock" or "suspension"). Anyone can trigger it by typing wrong
    passwords for an administrator's username, so the others must know at once: they can lift it
    (or a server operator can: ``manage.py account_reactivate``). Returns the ids told."""
    if user.profile_id is None or user.profile.code != "commission_admin":
        return set()
    others = list(commission_admins().exclude(pk=user.pk).order_by("pk"))
    if others:
        notify(
            recipients=others,
            template="commission_admin_locked",
            context={"account": user, "kind": kind, "at": at, "until": until},
            related=user,
            link=reverse("accounts:user_detail", args=[user.pk]),
        )
    return {other.pk for other in others}


def reactivated_status(user) -> str:
    """The status a reactivated account returns to: active if it accepted its confidentiality
    letter (and any required signed scan was validated), else pending_letter."""
    has_letter = ConfidentialityLetter.objects.filter(
        user=user, kind=LetterKind.USER, scan_status__in=ConfidentialityLetter.SCAN_SETTLED
    ).exists()
    return User.Status.ACTIVE if has_letter else User.Status.PENDING_LETTER


@transaction.atomic
def account_reactivate_by_operator(*, username: str, operator: str, reason: str) -> User:
    """A server operator lifts a lockout suspension or lock (``manage.py account_reactivate``).

    The way back when nobody who could do it in the portal can sign in, e.g. every commission
    administrator suspended by someone typing wrong passwords for their usernames. There is no
    portal user acting: the history log names the operator (``operator``, their OS user and host)
    and keeps the reason. Raises ``User.DoesNotExist`` for an unknown username and
    ``ValidationError`` when there is nothing to lift or no reason.
    """
    reason = (reason or "").strip()
    operator = (operator or "").strip()
    if not reason:
        raise ValidationError(_("Indique el motivo de la reactivación."), code="reason_required")
    if not operator:
        raise ValueError("The operator must be named")
    name = User.normalize_username(username)
    # Same lock order as a login attempt (throttle row, then user row): no deadlock.
    state = lockout._locked_row(name)
    user = User.objects.select_for_update().get(username=name)
    previous = user.status
    locked = state.locked_until is not None and state.locked_until > timezone.now()
    if previous == User.Status.CANCELLED:
        raise ValidationError(_("La cuenta está cancelada; no se reactiva."), code="cancelled")
    if previous != User.Status.SUSPENDED and not locked and state.suspended_at is None:
        lockout.clear(username=name)  # drop the empty row _locked_row made
        raise ValidationError(_("La cuenta no está suspendida ni bloqueada."), code="nothing_to_lift")
    if previous == User.Status.SUSPENDED:
        # Back to the live status it had before the suspension (its history says which).
        before = user.history.filter(status__in=User.LIVE_STATUSES).order_by("-history_date").first()
        user.status = before.status if before is not None else reactivated_status(user)
        user.suspended_for = ""
        user.status_changed_at = timezone.now()
        user._history_user = None  # no portal user: the operator is named in the reason and the event
        user._change_reason = f"operador {operator}: {reason}"[:100]
        user.save(update_fields=["status", "status_changed_at"])
    lockout.clear(username=name)
    audit.record_event(
        category="auth",
        action="reactivation",
        actor=None,
        username=user.username,
        institution=user.institution,
        target=user,
        detail={
            "reason": reason,
            "by": f"operador del servidor {operator} (manage.py account_reactivate)",
            "previous_status": previous,
            "status": user.status,
            "was_locked": locked,
        },
    )
    return user


def account_reactivate(*, user, actor, reason: str, status=User.Status.ACTIVE) -> User:
    """Lift a suspension: only a commission administrator, with a reason.

    Clears the failed-login counters and the lock history (the portal's and django-axes'), so
    the user starts afresh. Also called when the commission approves a reactivation request;
    ``status`` may then be ``pending_letter`` for an account that still owes its letter.
    """
    if not can_reactivate(actor):
        raise PermissionDenied
    return _lift_suspension(user=user, actor=actor, reason=reason, status=status)


def _lift_suspension(*, user, actor, reason: str, status=User.Status.ACTIVE) -> User:
    """The reactivation itself; the caller has checked the actor: ``account_reactivate`` (a
    commission administrator, directly) or the approval of a reactivation request (a reviewer:
    the commission reactivates on a request, 000 OCTAVA 5)."""
    if status not in User.LIVE_STATUSES:
        raise ValueError(f"A reactivated account must be live, not {status!r}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indique el motivo de la reactivación."), code="reason_required")
    with transaction.atomic():
        # Same lock order as a login attempt (throttle row, then user row): no deadlock.
        lockout._locked_row(User.normalize_username(user.username))
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.can_be_reactivated:
            raise ValidationError(_("Solo se puede reactivar una cuenta suspendida."), code="not_suspended")
        user.reactivate(to=status)
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
