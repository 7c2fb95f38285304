"""Celery tasks of the agreements app: thin wrappers over services."""

from celery import shared_task

from . import services


@shared_task(name="agreements.daily")
def agreements_daily():
    """Daily beat: expirations, terminations, memberships; ending, due and overdue alerts."""
    return services.agreements_daily()
