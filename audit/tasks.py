from celery import shared_task

from .tlog import mail_checkpoint as mail_latest_checkpoint
from .tlog import seal_and_checkpoint


@shared_task(name="audit.tasks.seal_logs")
def seal_logs():
    """Celery beat runs this every 5 minutes (CELERY_BEAT_SCHEDULE in settings): HMAC seals, new
    Merkle leaves, a signed checkpoint."""
    run = seal_and_checkpoint()
    return sum(seal.row_count for seal in run.seals)


@shared_task(name="audit.tasks.mail_checkpoint")
def mail_checkpoint():
    """Daily: the latest signed checkpoint to the history log's readers."""
    return mail_latest_checkpoint()


@shared_task(name="audit.tasks.create_partitions")
def create_partitions():
    """Daily: the history log's monthly partitions for this month and the next two (PostgreSQL)."""
    from .partitions import ensure_ahead

    return len(ensure_ahead())
