"""001 Cap. IV.1 VII–VIII through the pages: a member's administrator reports an incident, the
commission acknowledges and closes it with a note, and another institution never sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Incident
from kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_001_iv_1_vii_member_reports_commission_acknowledges_and_closes(
    client, login, member, institution_admin, commission_admin
):
    login(institution_admin)
    occurred = timezone.localtime() - timedelta(hours=3)
    url = reverse("governance:incident_report")
    data = {
        "institution": member.pk,
        "kind": "security",
        "description": "Intentos de acceso desde una red desconocida",
        "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
        "severity": "high",
        "affected_systems": "Consulta de padrones",
    }
    # A date in the future is a form error, not a 500, and keeps what was typed.
    future = client.post(url, {**data, "occurred_at": (occurred + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")})
    assert future.status_code == 200
    assert "no puede ser futura" in future.content.decode() and "red desconocida" in future.content.decode()
    assert not Incident.objects.exists()

    response = client.post(url, data)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.institution == member and incident.reported_by == institution_admin
    assert Notification.objects.filter(template="governance_incident_reported").exists()
    listing = client.get(reverse("governance:incident_list"), {"status": "reported", "q": "red desconocida"})
    assert "Intentos de acceso" in listing.content.decode()
    # The member can read it but neither acknowledge nor close it.
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Consulta de padrones" in page and "Acusar recibo" not in page
    assert client.post(reverse("governance:incident_close", args=[incident.pk]), {"note": "x"}).status_code == 403

    client.logout()
    login(commission_admin)
    assert "Intentos de acceso" in client.get(reverse("governance:incident_list")).content.decode()
    assert "Acusar recibo" in client.get(incident.get_absolute_url()).content.decode()
    client.post(reverse("governance:incident_acknowledge", args=[incident.pk]))
    incident.refresh_from_db()
    assert incident.status == Incident.Status.ACKNOWLEDGED
    close_url = reverse("governance:incident_close", args=[incident.pk])
    assert "¿Confirma el cierre?" in client.get(close_url).content.decode()
    assert client.post(close_url, {"note": "  "}).status_code == 200  # a note is required
    response = client.post(close_url, {"note": "Se bloqueó la red y se cambiaron contraseñas."})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED and incident.closing_note.startswith("Se bloqueó")
    assert "Se bloqueó la red" in client.get(incident.get_absolute_url()).content.decode()
    # Only open incidents by default in the status filter: a closed one leaves the "reported" list.
    listing = client.get(reverse("governance:incident_list"), {"status": "reported"}).content.decode()
    assert "Intentos de acceso" not in listing


def test_001_iv_1_vii_another_institution_gets_404(client, login, member, institution_admin, other_admin):
    login(institution_admin)
    client.post(
        reverse("governance:incident_report"),
        {
            "institution": member.pk,
            "kind": "problem",
            "description": "La carga de archivos falla",
            "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "severity": "low",
            "affected_systems": "Portal",
        },
    )
    incident = Incident.objects.get()
    client.logout()
    login(other_admin)
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert "La carga de archivos" not in client.get(reverse("governance:incident_list")).content.decode()


def test_001_iv_1_vii_a_member_cannot_report_for_another_institution(client, login, institution_admin, other_member):
    login(institution_admin)
    response = client.post(
        reverse("governance:incident_report"),
        {
            "institution": other_member.pk,
            "kind": "problem",
            "description": "Suplantación",
            "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "severity": "low",
            "affected_systems": "Portal",
        },
    )
    assert response.status_code == 200 and not Incident.objects.exists()
