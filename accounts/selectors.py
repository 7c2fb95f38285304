"""Reads on accounts, always scoped to what the asking user may see."""

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


def suspended_accounts(*, user):
    """Suspended accounts the asking user may see, newest suspension first."""
    return (
        user_visible_queryset(user)
        .filter(status=User.Status.SUSPENDED)
        .select_related("institution", "profile")
        .order_by("-status_changed_at", "username")
    )
