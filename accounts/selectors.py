"""Reads on accounts, always scoped to what the asking user may see."""

from django.db.models import Q

from .models import User


def user_visible_queryset(user):
    if not user.is_authenticated:
        return User.objects.none()
    if user.has_platform_scope:
        return User.objects.all()
    if user.has_perm("accounts.view_user"):
        return User.objects.filter(institution_id=user.institution_id)
    return User.objects.filter(pk=user.pk)


def user_list(*, user):
    return user_visible_queryset(user).select_related("institution", "profile")


def institution_admins(*, institution):
    """Live accounts that administer ``institution`` (recipients of its notices)."""
    return User.objects.filter(
        institution=institution,
        status=User.Status.ACTIVE,
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


def account_request_list(*, user, status=None):
    from .models import AccountRequest

    qs = AccountRequest.objects.visible_to(user).select_related("institution", "requested_profile", "agreement")
    if status:
        qs = qs.filter(status=status)
    return qs


def account_request_get(*, user, pk):
    """One request in the user's scope; raises ``AccountRequest.DoesNotExist`` outside it."""
    from .models import AccountRequest

    return AccountRequest.objects.visible_to(user).select_related("institution", "created_by").get(pk=pk)


def review_queue(*, user):
    """Submitted account requests and change requests, soonest due first (reviewers only)."""
    from .models import AccountChangeRequest, AccountRequest

    requests = (
        AccountRequest.objects.visible_to(user)
        .filter(status=AccountRequest.Status.SUBMITTED)
        .select_related("institution")
        .order_by("due_date", "submitted_at")
    )
    changes = (
        AccountChangeRequest.objects.visible_to(user)
        .filter(status=AccountChangeRequest.Status.SUBMITTED)
        .select_related("institution", "user")
        .order_by("due_date", "submitted_at")
    )
    rows = [("account", r.due_date, r.submitted_at, r) for r in requests]
    rows += [("change", c.due_date, c.submitted_at, c) for c in changes]
    rows.sort(key=lambda row: (row[1], row[2]))
    return [{"type": t, "obj": o} for t, _d, _s, o in rows]


def account_change_list(*, user):
    from .models import AccountChangeRequest

    return AccountChangeRequest.objects.visible_to(user).select_related("institution", "user", "new_profile")


def account_change_get(*, user, pk):
    from .models import AccountChangeRequest

    return AccountChangeRequest.objects.visible_to(user).select_related("institution", "user").get(pk=pk)


def letter_visible_queryset(user):
    """Letters a user may download: their own, their institution's (administrators), all (commission)."""
    from .models import ConfidentialityLetter

    if not user.is_authenticated:
        return ConfidentialityLetter.objects.none()
    qs = ConfidentialityLetter.objects.select_related("user", "institution")
    if user.has_platform_scope and (user.has_perm("portal.review_requests") or user.has_perm("accounts.view_user")):
        return qs
    if user.has_perm("portal.manage_institution") and user.institution_id:
        return qs.filter(Q(user=user) | Q(user__institution_id=user.institution_id))
    return qs.filter(user=user)


def letters_pending_scan_review(*, user):
    from .models import ConfidentialityLetter

    return letter_visible_queryset(user).filter(scan_status=ConfidentialityLetter.ScanStatus.PENDING_REVIEW)


def institution_users(*, user):
    """The accounts an institution administrator manages (commission: all)."""
    return user_list(user=user).filter(is_superuser=False)
