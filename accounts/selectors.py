"""Reads on accounts, always scoped to what the asking user may see."""

from collections import defaultdict

from django.contrib.auth.models import Permission
from django.db.models import CharField, Count, Q, Value

from kernel.search import search as kernel_search

from .capabilities import PORTAL_APPS
from .models import Profile, User


def user_visible_queryset(user):
    return User.objects.visible_to(user)


def user_list(*, user, search: str = "", institution_id=None, profile_id=None):
    qs = user_visible_queryset(user).select_related("institution", "profile")
    # "jose perez" finds José Pérez; "pere" finds Pérez (kernel.search, a trigram index on PostgreSQL).
    qs = kernel_search(qs, search, User.SEARCH_FIELDS)
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if profile_id:
        qs = qs.filter(profile_id=profile_id)
    return qs


def user_get(*, user, pk):
    """One account within ``user``'s scope; raises User.DoesNotExist (a 404) otherwise."""
    return user_list(user=user).get(pk=pk)


def profile_list(*, user, include_inactive: bool = True):
    """The catalog. It is platform-wide reference data: no tenant owns a profile."""
    if not user.is_authenticated:
        return Profile.objects.none()
    qs = Profile.objects.select_related("group").annotate(
        holders=Count("users", filter=Q(users__status__in=User.LIVE_STATUSES))
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_builtin", "name")


def profile_get(*, user, pk):
    return profile_list(user=user).get(pk=pk)


def profile_permissions(*, profile):
    return profile.group.permissions.select_related("content_type").order_by(
        "content_type__app_label", "content_type__model", "codename"
    )


def assignable_permissions():
    """Permissions a custom profile may hold: those of the portal's own apps, history tables aside."""
    return (
        Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
        .exclude(content_type__model__startswith="historical")
        .select_related("content_type")
        .order_by("content_type__app_label", "content_type__model", "codename")
    )


def assignable_profiles(*, for_user):
    """Active profiles that may be given to ``for_user`` (platform ones only to commission staff)."""
    qs = Profile.objects.filter(is_active=True)
    if not (for_user.institution_id and for_user.institution.is_commission):
        qs = qs.exclude(scope=Profile.Scope.PLATFORM)
    return qs.order_by("name")


def profile_history(*, profile):
    """Versions of the profile and of its group's permissions, newest first."""
    return {
        "profile_versions": profile.history.select_related("history_user").order_by("-history_date")[:50],
        "permission_versions": profile.group.history.select_related("history_user")
        .annotate(permission_count=Count("historicalgroup_permissions"))
        .order_by("-history_date")[:50],
    }


def user_profile_history(*, user):
    return user.history.select_related("history_user", "profile").order_by("-history_date")[:50]


def user_assignments(*, user):
    """The objects granted one by one to ``user`` (profiles with the "assigned" scope)."""
    from guardian.models import UserObjectPermission

    grants = list(
        UserObjectPermission.objects.filter(user=user)
        .select_related("content_type", "permission")
        .order_by("content_type__app_label", "content_type__model", "object_pk")
    )
    wanted = defaultdict(set)
    for grant in grants:
        wanted[grant.content_type].add(grant.object_pk)
    objects = {}  # one query per kind of object, not one per grant
    for content_type, pks in wanted.items():
        model = content_type.model_class()
        if model is not None:
            for obj in model._default_manager.filter(pk__in=pks):
                objects[(content_type.pk, str(obj.pk))] = obj
    found = []
    for grant in grants:
        granted = objects.get((grant.content_type_id, grant.object_pk))
        if granted is not None:
            found.append({"kind": granted._meta.verbose_name, "object": granted, "grant": grant})
    return found


def institution_admins(*, institution):
    """Live accounts that administer ``institution`` (recipients of its notices). An
    assigned-scope profile is not one, whatever its permissions: it sees only what it was
    granted, and a notice about the rest would show it."""
    return User.objects.filter(
        institution=institution,
        status=User.Status.ACTIVE,
        profile__scope__in=[Profile.Scope.INSTITUTION, Profile.Scope.PLATFORM],
        profile__group__permissions__codename="manage_institution",
        profile__group__permissions__content_type__app_label="portal",
    ).distinct()


def commission_admins():
    """Live commission administrators."""
    return User.objects.filter(status=User.Status.ACTIVE, profile__code="commission_admin")


# --- Onboarding (account requests, letters, account changes) ---------------------------------


def all_institution_admins():
    """Live administrators of every member institution (told when the documents catalog changes)."""
    return User.objects.filter(
        status=User.Status.ACTIVE,
        institution__kind="member",
        profile__scope__in=[Profile.Scope.INSTITUTION, Profile.Scope.PLATFORM],
        profile__group__permissions__codename="manage_institution",
        profile__group__permissions__content_type__app_label="portal",
    ).distinct()


def reviewers():
    """Live commission staff who review requests."""
    return User.objects.filter(
        status=User.Status.ACTIVE,
        profile__scope="platform",
        profile__group__permissions__codename="review_requests",
        profile__group__permissions__content_type__app_label="portal",
    ).distinct()


def institution_admins_and_requester(req):
    """Who hears about a decision: the institution's administrators and whoever filed the request."""
    admins = set(institution_admins(institution=req.institution))
    if req.created_by.status == User.Status.ACTIVE:
        admins.add(req.created_by)
    return sorted(admins, key=lambda u: u.pk)


def account_request_list(*, user, status=None, search: str = ""):
    from .models import AccountRequest

    qs = AccountRequest.objects.visible_to(user).select_related("institution", "requested_profile", "agreement")
    if status:
        qs = qs.filter(status=status)
    # Folio, the person's names, CURP or e-mail; accents and case aside (kernel.search).
    return kernel_search(qs, search, AccountRequest.SEARCH_FIELDS)


def account_request_get(*, user, pk):
    """One request in the user's scope; raises ``AccountRequest.DoesNotExist`` outside it."""
    from .models import AccountRequest

    return AccountRequest.objects.visible_to(user).select_related("institution", "created_by").get(pk=pk)


def request_document_get(*, user, pk):
    """A document of a request in the user's scope; raises ``RequestDocument.DoesNotExist`` outside it."""
    from .models import AccountRequest, RequestDocument

    return RequestDocument.objects.select_related("request", "requirement").get(
        pk=pk, request__in=AccountRequest.objects.visible_to(user)
    )


def is_reviewer(user) -> bool:
    """Commission staff who decide requests (000 DÉCIMA: the commission reviews and decides)."""
    return bool(user.is_authenticated and user.has_platform_scope and user.has_perm("portal.review_requests"))


def is_own_matter(actor, item) -> bool:
    """Four eyes: ``item`` (an account request, an account change or a confidentiality letter)
    was filed by ``actor``, or is about ``actor``: the same user, or a person with the same CURP."""
    people = {getattr(item, field, None) for field in ("created_by_id", "user_id", "account_id")}
    if actor.pk in people:
        return True
    curps = {getattr(item, "curp", "")}
    if getattr(item, "user_id", None) is not None:
        curps.add(item.user.curp)
    own_curp = (actor.curp or "").upper()
    return bool(own_curp) and own_curp in {(curp or "").upper() for curp in curps}


def can_decide(actor, item) -> bool:
    """The one predicate of the review queue and of the decide services: a reviewer, and not
    their own matter (``is_own_matter``). Commission staff's requests are decided by another
    commission reviewer."""
    return is_reviewer(actor) and not is_own_matter(actor, item)


def _not_own_matters(user, requests, changes):
    """``is_own_matter`` in the database, for the queue: neither filed by ``user`` nor about them."""
    requests = requests.exclude(created_by=user).exclude(account=user)
    changes = changes.exclude(created_by=user).exclude(user=user)
    if user.curp:
        requests = requests.exclude(curp__iexact=user.curp)
        changes = changes.exclude(user__curp__iexact=user.curp)
    return requests, changes


def review_queue(*, user):
    """Submitted account requests and change requests, soonest due first: the ones ``user`` may
    decide (``can_decide``), so every item of the queue can be decided by whoever sees it.

    A queryset of (pk, due_date, submitted_at, type) rows over both tables, ordered and paged in
    the database (a busy queue holds thousands); ``review_queue_rows`` loads one page's objects.
    """
    from .models import AccountChangeRequest, AccountRequest

    def keys(queryset, kind):
        return (
            queryset.order_by()
            .annotate(type=Value(kind, output_field=CharField()))
            .values_list("pk", "due_date", "submitted_at", "type")
        )

    requests = AccountRequest.objects.visible_to(user).filter(status=AccountRequest.Status.SUBMITTED)
    changes = AccountChangeRequest.objects.visible_to(user).filter(status=AccountChangeRequest.Status.SUBMITTED)
    if not is_reviewer(user):
        requests, changes = requests.none(), changes.none()
    else:
        requests, changes = _not_own_matters(user, requests, changes)
    return keys(requests, "account").union(keys(changes, "change"), all=True).order_by("due_date", "submitted_at")


def review_queue_rows(*, user, keys):
    """The rows of one page of ``review_queue``: [{"type": "account"|"change", "obj": ...}]."""
    from .models import AccountChangeRequest, AccountRequest

    keys = list(keys)
    wanted = {kind: [pk for pk, _due, _sent, k in keys if k == kind] for kind in ("account", "change")}
    found = {
        "account": AccountRequest.objects.visible_to(user).select_related("institution").in_bulk(wanted["account"]),
        "change": AccountChangeRequest.objects.visible_to(user)
        .select_related("institution", "user")
        .in_bulk(wanted["change"]),
    }
    return [{"type": kind, "obj": found[kind][pk]} for pk, _due, _sent, kind in keys if pk in found[kind]]


def account_change_list(*, user):
    from .models import AccountChangeRequest

    return AccountChangeRequest.objects.visible_to(user).select_related("institution", "user", "new_profile")


def account_change_get(*, user, pk):
    from .models import AccountChangeRequest

    return AccountChangeRequest.objects.visible_to(user).select_related("institution", "user").get(pk=pk)


def change_document_get(*, user, pk):
    """A document of a change request in the user's scope; raises ``ChangeDocument.DoesNotExist`` outside it."""
    from .models import AccountChangeRequest, ChangeDocument

    return ChangeDocument.objects.select_related("change").get(
        pk=pk, change__in=AccountChangeRequest.objects.visible_to(user)
    )


def letter_visible_queryset(user):
    """Letters a user may download: their own, their institution's (administrators), all (commission)."""
    from .models import ConfidentialityLetter

    return ConfidentialityLetter.objects.visible_to(user).select_related("user", "institution")


def letters_pending_scan_review(*, user):
    from .models import ConfidentialityLetter

    return letter_visible_queryset(user).filter(scan_status=ConfidentialityLetter.ScanStatus.PENDING_REVIEW)


def suspended_accounts(*, user):
    """Suspended accounts the asking user may see, newest suspension first."""
    return (
        user_visible_queryset(user)
        .filter(status=User.Status.SUSPENDED)
        .select_related("institution", "profile")
        .order_by("-status_changed_at", "username")
    )
