from . import selectors


def unread(request):
    """Unread in-app notifications for the bell in the header (one COUNT per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": selectors.unread_count(user=user)}
