"""Celery tasks of access reviews: thin wrappers over services."""

from celery import shared_task

from . import services


@shared_task(name="access_reviews.daily")
def access_reviews_daily():
    """Daily beat: reminders of open campaigns; campaigns past their due date closed and applied."""
    return services.access_reviews_daily()
