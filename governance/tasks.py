"""Celery tasks of the governance app: thin wrappers over services."""

from celery import shared_task

from . import services


@shared_task(name="governance.daily")
def governance_daily():
    """Daily beat: acuerdos due and overdue, pilot programs ending, consent requests overdue."""
    return services.governance_daily()
