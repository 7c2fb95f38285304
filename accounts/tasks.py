"""Celery tasks of accounts (thin: each calls a service)."""

import datetime

from celery import shared_task


@shared_task(name="accounts.alert_overdue_requests")
def alert_overdue_requests(today: str | None = None) -> int:
    """Daily: tell commission administrators about account and change requests past their due date."""
    from .services_onboarding import overdue_alert_send

    day = datetime.date.fromisoformat(today) if today else None
    return overdue_alert_send(today=day)


@shared_task(name="accounts.tasks.lockout_attempts_purge", ignore_result=True)
def lockout_attempts_purge() -> dict:
    """Nightly: forget failed-login counters that no longer decide anything."""
    from .lockout import purge_stale_attempts

    return purge_stale_attempts()


@shared_task(name="accounts.basis_enforce")
def basis_enforce(today: str | None = None) -> dict:
    """Daily, after agreements.daily: suspend the accounts of institutions without a basis of access."""
    from .services_basis import accounts_basis_enforce

    day = datetime.date.fromisoformat(today) if today else None
    return accounts_basis_enforce(today=day)
