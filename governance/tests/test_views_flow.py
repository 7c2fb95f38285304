"""The committee journey through the pages: the commission convenes a session, records it as held,
takes attendance and two acuerdos; the institution marks one done with evidence; the other becomes
overdue and both dashboards show it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.tests.factories import pdf_upload
from governance import services
from governance.models import Acuerdo, Attendance, Session

pytestmark = pytest.mark.django_db


def test_committee_journey(client, login, committee, member, commission, commission_admin, institution_admin):
    today = timezone.localdate()
    ana = services.member_appoint(
        actor=commission_admin,
        body=committee,
        institution=member,
        full_name="Ana Ruiz",
        position="Directora",
        notified_on=today - timedelta(days=30),
    )
    luis = services.member_appoint(
        actor=commission_admin,
        body=committee,
        institution=commission,
        full_name="Luis Soto",
        position="Coordinador",
        notified_on=today - timedelta(days=30),
    )
    login(commission_admin)
    starts = timezone.localtime() - timedelta(days=3)
    response = client.post(
        reverse("governance:session_convene", args=[committee.pk]),
        {"kind": "ordinary", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "Sala A", "agenda": "1. Avances"},
    )
    session = Session.objects.get(body=committee)
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    # Acuerdos wait for the session to be held; the page asks before recording it.
    assert "Registrar como celebrada" in client.get(session.get_absolute_url()).content.decode()
    assert "¿Confirma" in client.get(reverse("governance:session_hold", args=[session.pk])).content.decode()
    client.post(reverse("governance:session_hold", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == Session.Status.HELD

    # Represented without a name is a form error, not a 500, and keeps what was typed.
    url = reverse("governance:attendance_record", args=[session.pk])
    bad = client.post(url, {f"status_{ana.pk}": "represented", f"status_{luis.pk}": "present"})
    assert bad.status_code == 200 and "Indique quién lo representó." in bad.content.decode()
    client.post(
        url,
        {f"status_{ana.pk}": "represented", f"represented_{ana.pk}": "Jorge Paz", f"status_{luis.pk}": "present"},
    )
    assert Attendance.objects.get(member=ana).represented_by == "Jorge Paz"

    create = reverse("governance:acuerdo_create", args=[session.pk])
    for text, due in (("Entregar el diagnóstico", today + timedelta(days=20)), ("Designar enlace", today)):
        client.post(
            create,
            {
                "text": text,
                "responsible_institutions": [member.pk],
                "deadline_kind": "fixed",
                "deadline_date": due.isoformat(),
            },
        )
    first, second = Acuerdo.objects.filter(session=session).order_by("number")
    assert (first.code, second.code) == (f"{session.code}/01", f"{session.code}/02")

    # The institution administrator closes the first with evidence; without a file the form refuses.
    client.logout()
    login(institution_admin)
    done_url = reverse("governance:acuerdo_complete", args=[first.pk])
    refused = client.post(done_url, {"note": "Sin archivo"})
    assert refused.status_code == 200 and "Este campo es obligatorio." in refused.content.decode()
    client.post(done_url, {"evidence": pdf_upload("diagnostico.pdf"), "note": "Enviado por correo"})
    first.refresh_from_db()
    assert first.status == Acuerdo.Status.DONE
    assert client.get(reverse("governance:document_download", args=[first.evidence.pk])).status_code == 200

    # The next day the second is overdue: derived, shown on both dashboards.
    second.refresh_from_db()
    assert second.status == Acuerdo.Status.PENDING and second.is_overdue(today + timedelta(days=1))
    second.deadline_date = today - timedelta(days=1)
    second.save()
    for user in (institution_admin, commission_admin):
        client.logout()
        login(user)
        page = client.get(reverse("dashboard")).content.decode()
        assert second.code in page and "acuerdos vencidos" in page
        listing = client.get(reverse("governance:acuerdo_list"), {"overdue": "true"}).content.decode()
        assert second.code in listing and first.code not in listing


def test_other_institution_gets_404_on_the_acuerdo(client, login, committee, member, other_admin):
    from governance.tests.factories import acuerdo, held_session

    item = acuerdo(session=held_session(body=committee), institutions=[member])
    login(other_admin)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.post(reverse("governance:acuerdo_complete", args=[item.pk])).status_code == 404


def test_follow_up_report_pdf_and_csv(client, login, committee, member, commission_admin):
    from governance.tests.factories import acuerdo, held_session

    item = acuerdo(session=held_session(body=committee), institutions=[member], text="=HYPERLINK(1)")
    login(commission_admin)
    url = reverse("governance:body_follow_up", args=[committee.pk])
    assert item.code in client.get(url).content.decode()
    csv = client.get(url, {"formato": "csv"}).content.decode()
    assert item.code in csv and "'=HYPERLINK(1)" in csv
    pdf = client.get(url, {"formato": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
