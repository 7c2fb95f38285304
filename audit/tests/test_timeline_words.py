"""The history log reads in the auditor's words (issue 21): object types, actions and details
as names, foreign keys by name, Mexico City times to the second; its CSV alike, with a BOM."""

import csv
import datetime as dt
import io
import re

import pytest

from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import InstitutionFactory
from audit.tests.factories import AccessEventFactory, EventFactory
from kernel.writes import save_as

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 11, 30, 17, 13, 5, 123456, tzinfo=dt.UTC)  # 11:13:05 in Mexico City


@pytest.fixture
def auditor_client(client, commission):
    client.force_login(UserFactory(institution=commission, profile=profile("auditor"), username="auditora.prueba"))
    return client


def test_a_change_of_institution_reads_as_names(auditor_client, commission):
    isse, ims = InstitutionFactory(acronym="ISSE"), InstitutionFactory(acronym="IMS")
    person = UserFactory(institution=isse, username="persona.prueba")
    person.institution = ims
    save_as(person, UserFactory(institution=commission, profile=profile("commission_admin")))
    body = auditor_client.get("/bitacora/", {"kind": "change", "object_type": "accounts.user"}).content.decode()
    assert f"Institución</strong>: {isse} → {ims}" in body
    # The type by its name, never its label (the sort links' addresses keep the filter's value).
    shown = re.sub(r'href="[^"]*"', "", body.split("<table", 1)[1])
    assert "accounts.user" not in shown
    assert "Usuario: " in body


def test_events_and_accesses_read_in_words_and_local_time(auditor_client, commission):
    ims = InstitutionFactory(acronym="IMS")
    EventFactory(occurred_at=MOMENT, category="auth", action="lock", detail={"minutes": 60})
    AccessEventFactory(
        occurred_at=MOMENT, view_name="agreements:signatory_list", query={"institution": str(ims.pk)}, path="/x/"
    )
    body = auditor_client.get("/bitacora/", {"date_from": "2026-11-30", "date_to": "2026-11-30"}).content.decode()
    assert "30/11/2026 11:13:05" in body and "17:13" not in body  # Mexico City, to the second
    assert "bloqueo de cuenta" in body and "Minutos" in body
    assert "la lista de firmantes autorizados" in body and "agreements:signatory_list" not in body
    assert "<dd>IMS</dd>" in body  # the searched institution by name, not its id
    assert "<details>" in body  # the detail sits in a disclosure: the row stays compact


def test_csv_has_a_bom_spanish_headers_and_local_times(auditor_client):
    EventFactory(occurred_at=MOMENT, category="auth", action="lock", detail={"minutes": 60})
    response = auditor_client.get("/bitacora/exportar.csv", {"kind": "auth"})
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [
        "Fecha y hora (Ciudad de México)",
        "Usuario",
        "Institución",
        "Tipo",
        "Acción",
        "Objeto",
        "Ruta",
        "IP",
        "Estado HTTP",
        "Detalle",
    ]
    lock = next(r for r in rows[1:] if r[4] == "bloqueo de cuenta")
    assert lock[0] == "30/11/2026 11:13:05" and lock[3] == "Autenticación" and lock[9] == "Minutos: 60"


def test_csv_headers_in_english_when_english_is_chosen(auditor_client):
    auditor_client.cookies["django_language"] = "en"
    response = auditor_client.get("/bitacora/exportar.csv", HTTP_ACCEPT_LANGUAGE="en")
    first = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert first.startswith("Date and time (Mexico City),User,Institution,Type,Action,Object")


def test_an_access_to_an_object_names_it(auditor_client):
    ims = InstitutionFactory(acronym="IMS")
    # A function view's access stores the name of its URL argument (institution_pk -> "institution").
    AccessEventFactory(occurred_at=MOMENT, object_type="institution", object_id=str(ims.pk), path="/x/1/")
    body = auditor_client.get("/bitacora/", {"kind": "access"}).content.decode()
    assert f"Institución: {ims}" in body
