"""Periodic housekeeping of the shell (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="portal.tasks.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry date (idempotent; sessions are not in the history log)."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="portal.tasks.refresh_dashboard_figures", ignore_result=True)
def refresh_dashboard_figures() -> int:
    """Rebuild the platform's dashboard figures in the shared cache before they go stale, so no
    worker's view pays for them (idempotent: building twice keeps the newer copy)."""
    from .dashboards import rebuild_platform_figures

    return rebuild_platform_figures()
