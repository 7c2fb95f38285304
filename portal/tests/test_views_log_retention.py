"""001 Cap. IV.5 III–IV: the history log's retention period is a setting auditors see."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_001_cap_iv_5_auditor_dashboard_shows_the_log_retention_setting(commission, login, settings):
    from accounts.tests.factories import UserFactory, profile

    settings.AUDIT_LOG_RETENTION_YEARS = 7
    auditor = UserFactory(institution=commission, profile=profile("auditor"))
    html = login(auditor).get(reverse("dashboard"), follow=True).content.decode()
    assert "Conservación de la bitácora" in html
    assert "se conserva 7 años" in html
