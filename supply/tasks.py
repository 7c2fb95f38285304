"""Celery tasks of the supply app: thin wrappers over services."""

from celery import shared_task

from . import services


@shared_task(name="supply.validate_delivery")
def validate_delivery(delivery_pk: int):
    """Validate a received delivery, streamed (the argument is the delivery's id, never a password)."""
    services.delivery_validate(delivery_pk=delivery_pk)


@shared_task(name="supply.daily")
def supply_daily():
    """Daily beat: due-soon and overdue alerts; closed periods evaluated (nothing delivered counts);
    delivered files past their retention deleted."""
    return {
        "alerts": services.supply_alerts(),
        "evaluated": services.evaluation_compute_due(),
        "files_deleted": services.delivery_files_expire(),
    }
