"""The auditor's timeline: access rule, filters, keyset paging, CSV export, object history."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import InstitutionFactory
from audit.selectors import TimelineFilters, decode_cursor, timeline_page
from audit.tests.factories import AccessEventFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(commission):
    return UserFactory(institution=commission, profile=profile("auditor"), username="auditora.prueba")


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


def test_only_holders_of_the_permission_see_the_timeline(client):
    client.force_login(UserFactory())
    assert client.get("/bitacora/").status_code == 403
    assert client.get("/bitacora/exportar.csv").status_code == 403


def test_nav_entry_for_auditors(auditor_client):
    response = auditor_client.get("/")
    assert 'href="/bitacora/"' in response.content.decode()


def test_timeline_filters_by_user_and_shows_rows(auditor_client, auditor):
    someone = UserFactory(username="elena.prueba")
    AccessEventFactory(user_id=someone.pk, username=someone.username, path="/de-elena/")
    AccessEventFactory(user_id=auditor.pk, username=auditor.username, path="/de-otra/")
    response = auditor_client.get("/bitacora/", {"user": "Elena.Prueba"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "/de-elena/" in body and "/de-otra/" not in body
    # The auditor's own query is itself a record, with its filter.
    from audit.models import AccessEvent

    assert AccessEvent.objects.filter(user_id=auditor.pk, view_name="audit:timeline").latest("id").query == {
        "user": "Elena.Prueba"
    }


def test_invalid_filters_answer_in_spanish_and_keep_the_input(auditor_client):
    response = auditor_client.get("/bitacora/", {"date_from": "2026-05-10", "date_to": "2026-05-01", "q": "texto"})
    body = response.content.decode()
    assert "La fecha final no puede ser anterior a la inicial." in body
    assert 'value="texto"' in body


def test_filters_by_date_kind_ip_institution_and_object():
    inst = InstitutionFactory()
    old = timezone.now() - dt.timedelta(days=10)
    AccessEventFactory(occurred_at=old, path="/vieja/", ip="10.9.9.9", institution_id=inst.pk)
    AccessEventFactory(path="/nueva/", object_type="agreements.institution", object_id="7")
    EventFactory(action="lock", username="bloqueado")
    today = timezone.localdate()

    def paths(**kwargs):
        rows, _ = timeline_page(user=None, filters=TimelineFilters(**kwargs), limit=100)
        return [r.path or r.action for r in rows]

    assert "/vieja/" not in paths(date_from=today - dt.timedelta(days=1))
    assert paths(date_to=today - dt.timedelta(days=5), kind="access") == ["GET /vieja/"]
    assert paths(ip="10.9.9.9") == ["GET /vieja/"]
    assert paths(institution_id=inst.pk, kind="access") == ["GET /vieja/"]
    assert paths(object_type="agreements.institution", object_id="7", kind="access") == ["GET /nueva/"]
    assert paths(kind="auth", text="bloq") == ["bloqueo de cuenta"]


def test_keyset_pages_cover_every_row_once_across_sources():
    now = timezone.now()
    for i in range(5):
        AccessEventFactory(occurred_at=now - dt.timedelta(seconds=i), path=f"/a{i}/")
        EventFactory(occurred_at=now - dt.timedelta(seconds=i), action=f"e{i}")
        InstitutionFactory()  # changes from several historical tables, merged in one query
        UserFactory()
    seen, cursor = [], None
    filters = TimelineFilters(date_from=timezone.localdate() - dt.timedelta(days=1))
    expected = timeline_page(user=None, filters=filters, limit=1000)[0]
    while True:
        rows, next_cursor = timeline_page(user=None, filters=filters, cursor=cursor, limit=3)
        seen.extend(r.key for r in rows)
        if next_cursor is None:
            break
        cursor = decode_cursor(next_cursor)
    assert seen == [r.key for r in expected]
    assert len(seen) == len(set(seen)) >= 25
    assert {key[1] for key in seen} >= {"access", "event", "change:accounts.user", "change:agreements.institution"}
    assert seen == sorted(seen, reverse=True)


def test_next_page_link_and_csv_export(auditor_client):
    for i in range(60):
        AccessEventFactory(path=f"/fila-{i}/")
    response = auditor_client.get("/bitacora/", {"kind": "access", "q": "fila"})
    body = response.content.decode()
    assert "despues=" in body and body.count("/fila-") == 50
    response = auditor_client.get("/bitacora/exportar.csv", {"kind": "access", "q": "fila"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Fecha y hora (Ciudad de México)", "Usuario", "Institución", "Tipo"]
    assert len(rows) == 61


def test_object_history_include_shows_who_and_what_changed(client, commission):
    from django.test import override_settings

    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    client.force_login(admin)
    institution = InstitutionFactory(address="Calle Uno 1")
    with override_settings(ROOT_URLCONF="audit.tests.urls"):
        client.post(f"/prueba/instituciones/{institution.pk}/editar/", {"address": "Avenida Dos 2"})
        body = client.get(f"/prueba/instituciones/{institution.pk}/").content.decode()
    assert "Historial de cambios" in body
    assert "Calle Uno 1 → Avenida Dos 2" in body
    assert admin.username in body


def test_an_institution_scoped_holder_sees_only_their_institution(client):
    from django.contrib.auth.models import Permission

    from accounts.models import Profile
    from accounts.services import profile_create

    own, other = InstitutionFactory(), InstitutionFactory()
    scoped = profile_create(
        actor=None,
        code="bitacora_institucional",
        name="Bitácora de su institución",
        scope=Profile.Scope.INSTITUTION,
        permissions=[Permission.objects.get(codename="view_history_log")],
    )
    reader = UserFactory(institution=own, profile=scoped)
    AccessEventFactory(institution_id=own.pk, path="/propia/")
    AccessEventFactory(institution_id=other.pk, path="/ajena/")
    client.force_login(reader)
    body = client.get("/bitacora/").content.decode()
    assert "/propia/" in body and "/ajena/" not in body
    assert "/ajena/" not in client.get("/bitacora/", {"institution": other.pk}).content.decode()
    csv_body = b"".join(client.get("/bitacora/exportar.csv").streaming_content).decode()
    assert "/propia/" in csv_body and "/ajena/" not in csv_body
