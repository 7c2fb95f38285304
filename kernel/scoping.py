"""Scope filtering for ``visible_to(user)`` querysets (kernel: imports no app).

Every profile carries a scope (``accounts.models.Profile.Scope``):

- ``platform``: the whole platform (commission profiles);
- ``institution``: rows of the user's own institution;
- ``assigned``: only the objects granted to the user one by one
  (``accounts.services.assignment_grant``, stored as django-guardian object permissions).

An app's queryset calls ``scope_queryset`` from its ``visible_to`` and says how its rows reach
an institution, e.g. for agreements whose parties are institutions::

    class AgreementQuerySet(models.QuerySet):
        def visible_to(self, user):
            return scope_queryset(self, user, institution_lookup="parties__institution")

``institution_lookup`` may be ``None`` for rows that belong to no institution (then the
institution scope sees nothing by that path). Rows that belong to a person (a letter, the user
row itself) name that person with ``own_lookup``: everyone sees their own. This is the one place
of the scope rule: every tenant-owned model's ``visible_to`` calls it.
The user object is read duck-typed (``is_authenticated``, ``is_superuser``, ``profile.scope``,
``institution_id``, ``has_perm``) so this module needs no app import.
"""

from django.db.models import Q

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


def scope_queryset(
    queryset, user, *, institution_lookup="institution", perm=None, own_lookup=None, requires=None, through=None
):
    """Narrow ``queryset`` to what ``user``'s scope reaches. Deny by default.

    - ``institution_lookup``: path from a row to its institution's id (``None``: rows of no
      institution, the institution scope then sees none by this path);
    - ``perm``: the object permission an assignment grants (default ``<app>.view_<model>``);
    - ``own_lookup``: path from a row to the person it belongs to (e.g. ``"user"`` for a letter,
      ``"pk"`` for the user model): a signed-in user always sees their own rows, whatever the scope;
    - ``requires``: a model-level permission needed to see more than one's own rows;
    - ``through``: ``{lookup: visible_parents}``, rows hanging on a parent the user sees (e.g. a
      document of a visible agreement) are visible too.
    """
    scope = user_scope(user)
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    own = Q(**{own_lookup: user.pk}) if own_lookup else None
    if scope is None or (requires and not user.has_perm(requires)):
        return queryset.filter(own) if own is not None else queryset.none()
    if scope == PLATFORM:
        return queryset
    if scope == INSTITUTION:
        if institution_lookup is None or not user.institution_id:
            reached = Q(pk__in=[])
        else:
            reached = Q(**{institution_lookup: user.institution_id})
    elif scope == ASSIGNED:
        reached = Q(pk__in=assigned_queryset(queryset.model._default_manager.all(), user, perm).values("pk"))
    else:
        reached = Q(pk__in=[])
    for lookup, parents in (through or {}).items():
        reached |= Q(**{f"{lookup}__in": parents.values("pk")})
    if own is not None:
        reached |= own
    if scope == INSTITUTION:
        # A to-many path (e.g. an agreement's parties) may repeat a row: keep each once.
        return queryset.filter(reached).distinct()
    return queryset.filter(reached)
