"""Reads on the outbox, always scoped to the asking user."""

from typing import Any

from django.db.models import QuerySet

from .models import Notification

# Users are read duck-typed (the user model belongs to accounts, a layer above the kernel).


def inbox(*, user: Any) -> QuerySet[Notification]:
    """The user's own in-app notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, channel=Notification.Channel.INAPP)


def unread_count(*, user: Any) -> int:
    return inbox(user=user).filter(read_at__isnull=True).count()


def inbox_item(*, user: Any, pk: int) -> Notification:
    """One of the user's notifications; ``Notification.DoesNotExist`` (404) for anyone else's."""
    return inbox(user=user).get(pk=pk)


def outbox(*, user: Any, status: str | None = None) -> QuerySet[Notification]:
    """E-mail rows for the commission's outbox page: the whole platform, for platform scope only."""
    if not (user.is_authenticated and user.has_platform_scope and user.has_perm("notifications.manage_outbox")):
        return Notification.objects.none()
    rows = Notification.objects.filter(channel=Notification.Channel.EMAIL).select_related("recipient")
    if status:
        rows = rows.filter(status=status)
    return rows
