"""Scope filtering for ``visible_to(user)`` querysets (kernel: imports no app).

Every profile carries a scope (``accounts.models.Profile.Scope``):

- ``platform``: the whole platform (commission profiles);
- ``institution``: rows of the user's own institution;
- ``assigned``: only the objects granted to the user one by one
  (``accounts.services.grant_assignment``, stored as django-guardian object permissions).

An app's queryset calls ``scope_queryset`` from its ``visible_to`` and says how its rows reach
an institution, e.g. for agreements whose parties are institutions::

    class AgreementQuerySet(models.QuerySet):
        def visible_to(self, user):
            return scope_queryset(self, user, institution_lookup="parties__institution")

``institution_lookup`` may be ``None`` for rows that belong to no institution (then the
institution scope sees nothing). The user object is read duck-typed (``is_authenticated``,
``is_superuser``, ``profile.scope``, ``institution_id``) so this module needs no app import.
"""

PLATFORM = "platform"
INSTITUTION = "institution"
ASSIGNED = "assigned"


def user_scope(user) -> str | None:
    """The scope of ``user``'s profile, or None for anonymous visitors and accounts without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return PLATFORM
    profile = getattr(user, "profile", None)
    return profile.scope if profile is not None else None


def assigned_queryset(queryset, user, perm=None):
    """The rows of ``queryset`` granted to ``user`` by object permission (default ``view_<model>``)."""
    from guardian.shortcuts import get_objects_for_user

    meta = queryset.model._meta
    perm = perm or f"{meta.app_label}.view_{meta.model_name}"
    # Only explicit object grants count: a model-level permission must not widen an assignment.
    return get_objects_for_user(user, perm, klass=queryset, with_superuser=False, accept_global_perms=False)


def scope_queryset(queryset, user, *, institution_lookup="institution", perm=None):
    """Narrow ``queryset`` to what ``user``'s scope reaches. Deny by default."""
    scope = user_scope(user)
    if scope == PLATFORM:
        return queryset
    if scope == INSTITUTION:
        if institution_lookup is None or not user.institution_id:
            return queryset.none()
        return queryset.filter(**{institution_lookup: user.institution_id}).distinct()
    if scope == ASSIGNED:
        return assigned_queryset(queryset, user, perm)
    return queryset.none()
