"""Celery application. Broker from REDIS_URL; without it tasks run eagerly (the demo run).

Processes in production (docs/operations.md): ``celery -A portal worker`` on as many hosts as
needed and exactly one ``celery -A portal beat``. The schedule lives in settings
(``CELERY_BEAT_SCHEDULE``).
"""

import logging
import os

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def registered_entries(celery_app, schedule: dict) -> dict:
    """The schedule's entries whose task exists; the others are logged and left out.

    Lets the schedule name tasks that a feature still on its way will provide (audit sealing,
    lockout clean-up) without the worker receiving unknown tasks every few minutes.
    """
    celery_app.loader.import_default_modules()  # runs autodiscovery of every app's tasks.py
    kept = {}
    for name, entry in schedule.items():
        if entry["task"] in celery_app.tasks:
            kept[name] = entry
        else:
            logger.warning("beat entry %s left out: task %s is not registered", name, entry["task"])
    return kept


class RegisteredTasksScheduler(PersistentScheduler):
    def setup_schedule(self):
        self.app.conf.beat_schedule = registered_entries(self.app, dict(self.app.conf.beat_schedule))
        super().setup_schedule()
