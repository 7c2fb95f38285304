"""Every periodic job named in the one beat schedule exists: none is silently left out."""

from django.conf import settings

from portal.celery import app, registered_entries


def test_every_beat_entry_names_a_registered_task():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert registered_entries(app, schedule) == schedule
    tasks = {entry["task"] for entry in schedule.values()}
    assert {
        "audit.tasks.seal_logs",
        "accounts.tasks.lockout_attempts_purge",
        "portal.tasks.clear_expired_sessions",
    } <= tasks
