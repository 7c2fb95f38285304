"""Outbox alerts of data supply (due in 5 business days, overdue, failed validation, quality under
the threshold) and the retention job that deletes delivered files (history-logged)."""

from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from audit.models import Event
from kernel.notifications.models import Notification
from supply import samples, services
from supply.models import Delivery

from .test_services_deliveries import _submit, setup  # noqa: F401 - the fixture


def _sent(template):
    return set(Notification.objects.filter(template=template).values_list("recipient__username", flat=True))


@pytest.mark.parametrize(
    ("today", "template"),
    [
        # February 2025 is due on the 19th (3 February, Constitution Day, is a holiday): five
        # business days before is the 12th; the day after it is the 20th.
        (date(2025, 2, 12), "supply_delivery_due"),
        (date(2025, 2, 20), "supply_delivery_overdue"),
        # March 2025 is due on the 19th (17 March, Benito Juárez's birthday, is a holiday): five
        # business days before is the 11th, across the holiday.
        (date(2025, 3, 11), "supply_delivery_due"),
    ],
)
def test_due_and_overdue_alerts_on_the_mexican_calendar(setup, today, template):  # noqa: F811
    admin = setup[2]
    assert services.supply_alerts(today=today) == 1
    assert admin.username in _sent(template)
    # Not on the neighbouring days.
    Notification.objects.all().delete()
    assert services.supply_alerts(today=today - timedelta(days=1)) == 0


def test_no_alert_once_the_period_is_delivered(setup):  # noqa: F811
    rows, _ = samples.rows(good=10, bad=False)
    _submit(setup, samples.text(rows), period=date(2025, 2, 1))
    assert services.supply_alerts(today=date(2025, 2, 12)) == 0


def test_failed_validation_and_low_quality_alert_the_institution(setup):  # noqa: F811
    admin = setup[2]
    failed = _submit(setup, samples.text(samples.rows(good=3, bad=False)[0], delimiter=";"))
    assert failed.status == Delivery.Status.FAILED
    assert admin.username in _sent("supply_delivery_failed")
    low = _submit(setup, samples.text(samples.rows(good=10)[0]), period=date(2025, 3, 1))  # 10 of 15
    assert low.status == Delivery.Status.VALIDATED and not low.meets_quality
    assert admin.username in _sent("supply_quality_low")
    good = _submit(setup, samples.text(samples.rows(good=30, bad=False)[0]), period=date(2025, 4, 1))
    assert Notification.objects.filter(related_id=str(good.pk), template="supply_quality_low").count() == 0


def test_retention_deletes_the_files_and_logs_it(setup):  # noqa: F811
    rows, _ = samples.rows(good=10, bad=False)
    delivery = _submit(setup, samples.zipped(samples.text(rows)), name="padron.zip")
    names = {delivery.stored_name, delivery.text_name}
    assert all(default_storage.exists(n) for n in names)
    days = delivery.layout.retention_days
    received = delivery.received_at
    assert services.delivery_files_expire(now=received + timedelta(days=days) - timedelta(minutes=1)) == 0
    assert all(default_storage.exists(n) for n in names)

    assert services.delivery_files_expire(now=received + timedelta(days=days)) == 1
    delivery.refresh_from_db()
    assert not any(default_storage.exists(n) for n in names)
    assert delivery.file_deleted_at is not None
    assert delivery.records == 10 and delivery.sha256  # the summary stays
    assert Event.objects.filter(action="delivery_file_deleted", target_id=str(delivery.pk)).exists()
    assert delivery.history.filter(file_deleted_at__isnull=False).exists()
    assert services.delivery_files_expire(now=timezone.now() + timedelta(days=days + 1)) == 0  # once


def test_the_daily_beat_runs_alerts_evaluation_and_retention(setup):  # noqa: F811
    from supply.tasks import supply_daily

    result = supply_daily()
    assert set(result) == {"alerts", "evaluated", "files_deleted"}
    # The obligation started on 1 January 2025: every closed month since is evaluated as missed.
    assert result["evaluated"] >= 1
