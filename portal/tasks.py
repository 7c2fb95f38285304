"""Periodic housekeeping of the shell (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="portal.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry date (idempotent; sessions are not in the history log)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
