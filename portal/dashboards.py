"""Figures for each profile's dashboard, read through the apps' scoped selectors."""

from accounts import selectors as account_selectors
from agreements import selectors as agreement_selectors


def context_for(user):
    agreements = (
        agreement_selectors.agreement_dashboard(user=user) if user.has_perm("agreements.view_agreement") else {}
    )
    return {
        **agreements,
        "institutions_count": agreement_selectors.institution_list(user=user).count(),
        "users_count": account_selectors.user_list(user=user).count(),
        "recent_users": account_selectors.user_list(user=user).order_by("-date_joined")[:5],
    }
