"""Celery tasks of the outbox: thin wrappers over the services."""

from celery import current_app, shared_task

from . import services


@shared_task(name="portal.notifications.tasks.send_notification", ignore_result=True)
def send_notification(notification_id: int) -> str:
    outcome, retry_in = services.notification_deliver(notification_id=notification_id)
    if outcome == "retry" and not current_app.conf.task_always_eager:
        # The row already says when it is due again; this only saves waiting for the sweep.
        services.enqueue(notification_id, countdown=retry_in)
    return outcome


@shared_task(name="portal.notifications.tasks.sweep", ignore_result=True)
def sweep() -> int:
    """Beat job: queue every due row (after a broker outage, a lost message or a retry wait)."""
    due = services.notification_sweep()
    for notification_id in due:
        if not services.enqueue(notification_id):
            break
    return len(due)
