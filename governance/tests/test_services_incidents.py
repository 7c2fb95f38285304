"""001 Cap. IV.1 VII–VIII: members report problems and security incidents; the commission
acknowledges and closes them with a note; open incidents show on the commission's dashboard."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance import selectors
from governance.models import Incident
from governance.services_incidents import incident_acknowledge, incident_close, incident_report
from kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution_admin(member):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=member, profile=profile("institution_admin"))


def _report(actor, institution, **extra):
    data = {
        "kind": Incident.Kind.SECURITY,
        "description": "Accesos repetidos desde una dirección desconocida",
        "occurred_at": timezone.now() - timedelta(hours=2),
        "severity": Incident.Severity.HIGH,
        "affected_systems": "Consulta de padrones",
    }
    data.update(extra)
    return incident_report(actor=actor, institution=institution, **data)


def test_001_iv_1_vii_a_member_reports_an_incident_and_the_commission_is_told(
    institution_admin, member, commission_admin
):
    incident = _report(institution_admin, member)
    assert incident.status == Incident.Status.REPORTED and incident.is_open
    assert Notification.objects.filter(template="governance_incident_reported", recipient=commission_admin).exists()
    with pytest.raises(ValidationError):
        _report(institution_admin, member, occurred_at=timezone.now() + timedelta(days=1))


def test_001_iv_1_vii_a_member_cannot_report_for_another_institution(institution_admin, commission):
    with pytest.raises(PermissionDenied):
        _report(institution_admin, commission)


def test_001_iv_1_viii_the_commission_acknowledges_and_closes_with_a_note(institution_admin, member, commission_admin):
    incident = _report(institution_admin, member)
    with pytest.raises(PermissionDenied):
        incident_acknowledge(incident=incident, actor=institution_admin)
    assert [i.pk for i in selectors.dashboard(user=commission_admin)["incidents_open"]] == [incident.pk]
    incident = incident_acknowledge(incident=incident, actor=commission_admin)
    assert incident.status == Incident.Status.ACKNOWLEDGED and incident.acknowledged_at
    with pytest.raises(ValidationError, match="nota de cierre"):
        incident_close(incident=incident, actor=commission_admin, note=" ")
    incident = incident_close(incident=incident, actor=commission_admin, note="Se bloqueó la dirección.")
    assert incident.status == Incident.Status.CLOSED and incident.closing_note == "Se bloqueó la dirección."
    with pytest.raises(ValidationError, match="ya está cerrado"):
        incident_close(incident=incident, actor=commission_admin, note="otra vez")
    assert selectors.dashboard(user=commission_admin)["incidents_open"] == []
    assert incident.history.count() == 3
