"""Each kind of request leaves exactly the expected rows in the history log."""

import pytest
from django.test import Client

from accounts.tests.factories import PASSWORD, UserFactory, profile
from agreements.models import Institution
from agreements.tests.factories import InstitutionFactory
from audit.models import AccessEvent, Event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("audit.tests.urls")]


def counts():
    return (
        AccessEvent.objects.count(),
        Event.objects.count(),
        Institution.history.count(),
    )


def delta(before):
    return tuple(after - b for after, b in zip(counts(), before, strict=True))


@pytest.fixture
def admin_user(commission):
    return UserFactory(institution=commission, profile=profile("commission_admin"), username="comision.prueba")


@pytest.fixture
def signed_in(client, admin_user, login):
    login(admin_user)
    return client


def last_access():
    return AccessEvent.objects.latest("id")


def test_page_view_of_one_object(signed_in, admin_user):
    institution = InstitutionFactory()
    before = counts()
    response = signed_in.get(f"/prueba/instituciones/{institution.pk}/", HTTP_USER_AGENT="Navegador/1.0")
    assert response.status_code == 200
    assert delta(before) == (1, 0, 0)
    event = last_access()
    assert (event.user_id, event.username, event.institution_id) == (
        admin_user.pk,
        "comision.prueba",
        admin_user.institution_id,
    )
    assert (event.method, event.path, event.view_name, event.status) == (
        "GET",
        f"/prueba/instituciones/{institution.pk}/",
        "test_institution_detail",
        200,
    )
    assert (event.object_type, event.object_id) == ("test_institution_detail", str(institution.pk))
    assert event.ip == "127.0.0.1"
    assert event.user_agent == "Navegador/1.0"
    assert event.duration_ms >= 0


def test_search_records_its_parameters_but_never_secrets(signed_in):
    before = counts()
    signed_in.get("/prueba/instituciones/", {"q": "INST", "estado": "activa", "token": "abc", "password": "x"})
    assert delta(before) == (1, 0, 0)
    assert last_access().query == {"q": "INST", "estado": "activa"}


def test_create_logs_access_and_the_new_record_with_its_actor(signed_in, admin_user):
    before = counts()
    response = signed_in.post(
        "/prueba/instituciones/nueva/", {"acronym": "NUEVA", "legal_name": "Nueva institución", "rfc": "NUE000101AB1"}
    )
    assert response.status_code == 302
    assert delta(before) == (1, 0, 1)
    created = Institution.objects.get(acronym="NUEVA")
    record = created.history.get()
    assert (record.history_type, record.history_user_id) == ("+", admin_user.pk)
    event = last_access()
    assert (event.method, event.status, event.object_type, event.object_id) == (
        "POST",
        302,
        "agreements.institution",
        str(created.pk),
    )
    assert event.query == {}


def test_update_logs_access_and_a_field_diff(signed_in, admin_user):
    institution = InstitutionFactory(address="Calle Uno 1")
    before = counts()
    signed_in.post(f"/prueba/instituciones/{institution.pk}/editar/", {"address": "Avenida Dos 2"})
    assert delta(before) == (1, 0, 1)
    record = institution.history.latest()
    assert record.history_user_id == admin_user.pk
    changes = record.diff_against(record.prev_record).changes
    assert [(c.field, c.old, c.new) for c in changes if c.field == "address"] == [
        ("address", "Calle Uno 1", "Avenida Dos 2")
    ]


def test_delete_logs_access_and_a_deletion_record(signed_in, admin_user):
    institution = InstitutionFactory()
    before = counts()
    signed_in.post(f"/prueba/instituciones/{institution.pk}/borrar/")
    assert delta(before) == (1, 0, 1)
    record = Institution.history.filter(id=institution.pk).latest()
    assert (record.history_type, record.history_user_id) == ("-", admin_user.pk)


def test_denied_request_is_logged_with_403(client, login):
    analyst = UserFactory()
    login(analyst)
    before = counts()
    response = client.get("/prueba/solo-auditores/")
    assert response.status_code == 403
    assert delta(before) == (1, 0, 0)
    assert (last_access().status, last_access().username) == (403, analyst.username)


def test_out_of_scope_object_is_logged_with_404(client, login):
    analyst = UserFactory()
    other = InstitutionFactory()
    login(analyst)
    before = counts()
    assert client.get(f"/prueba/instituciones/{other.pk}/").status_code == 404
    assert delta(before) == (1, 0, 0)
    assert last_access().status == 404


def test_failed_write_is_still_an_access(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    before = counts()
    response = client.post("/prueba/falla/")
    assert response.status_code == 500
    assert not Institution.objects.filter(acronym="FALLA").exists()  # the write rolled back
    assert delta(before) == (1, 0, 0)  # ... the access did not
    assert (last_access().status, last_access().path) == (500, "/prueba/falla/")


@pytest.mark.django_db(transaction=True)
def test_failed_write_is_still_an_access_with_real_commits(commission):
    user = UserFactory(institution=commission, profile=profile("commission_admin"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    assert client.post("/prueba/falla/").status_code == 500
    assert not Institution.objects.filter(acronym="FALLA").exists()
    assert AccessEvent.objects.filter(path="/prueba/falla/", status=500, user_id=user.pk).count() == 1


def test_failed_login_logs_the_attempt_and_an_auth_event(client):
    user = UserFactory(username="ana.prueba")
    before = counts()
    response = client.post("/cuenta/entrar/", {"username": "Ana.Prueba ", "password": "equivocada"})
    assert response.status_code == 200
    assert delta(before) == (1, 1, 0)
    access = last_access()
    assert (access.user_id, access.username, access.status, access.view_name) == (None, "Ana.Prueba ", 200, "login")
    event = Event.objects.latest("id")
    assert (event.category, event.action, event.username, event.actor_id) == (
        "auth",
        "login_failure",
        "Ana.Prueba",  # as typed; the form trims surrounding spaces before authenticating
        None,
    )
    # The lockout policy records the failure with its count (Django's default event yields to it).
    assert event.detail == {"reason": "invalid_credentials", "counted": True, "failures": 1}
    assert PASSWORD not in str(event.detail) and "equivocada" not in str(event.detail)
    assert user.pk not in AccessEvent.objects.values_list("user_id", flat=True)


def test_successful_login_and_logout(client, admin_user):
    before = counts()
    client.post("/cuenta/entrar/", {"username": "comision.prueba", "password": PASSWORD})
    assert delta(before) == (1, 1, 0)
    access = last_access()
    assert (access.user_id, access.status, access.view_name) == (admin_user.pk, 302, "login")
    assert Event.objects.latest("id").action == "login_success"
    before = counts()
    client.post("/cuenta/salir/")
    assert delta(before) == (1, 1, 0)
    event = Event.objects.latest("id")
    assert (event.action, event.actor_id) == ("logout", admin_user.pk)


def test_password_change_is_an_auth_event(signed_in, admin_user):
    new = "Otra-Clave-Segura-2027"
    response = signed_in.post(
        "/cuenta/contrasena/cambiar/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    event = Event.objects.latest("id")
    assert (event.category, event.action, event.actor_id) == ("auth", "password_change", admin_user.pk)
    assert new not in str(AccessEvent.objects.values_list("query", flat=True))


def test_anonymous_pages_static_files_and_health_check_are_not_logged(client, signed_in):
    anonymous = Client()
    before = counts()
    anonymous.get("/")  # redirected to the login page: not a signed-in request
    anonymous.get("/cuenta/entrar/")
    signed_in.get("/healthz")
    signed_in.get("/static/css/portal.css")
    assert delta(before) == (0, 0, 0)


def test_reset_token_never_reaches_the_log(signed_in):
    signed_in.get("/cuenta/contrasena/restablecer/MQ/abc-secret-token/")
    assert "abc-secret-token" not in last_access().path
    assert last_access().path == "/cuenta/contrasena/restablecer/MQ/***/"


def test_an_auth_event_recorded_by_other_code_is_not_duplicated(client, admin_user):
    from django.contrib.auth.signals import user_logged_in

    from audit.services import record_event

    def richer(sender, request, user, **kwargs):
        # The lockout policy, say, records the username as typed.
        record_event(category="auth", action="login_success", actor=user, username="Comision.Prueba", request=request)

    user_logged_in.connect(richer, dispatch_uid="test_richer_login")
    try:
        before = counts()
        client.post("/cuenta/entrar/", {"username": "comision.prueba", "password": PASSWORD})
    finally:
        user_logged_in.disconnect(dispatch_uid="test_richer_login")
    assert delta(before) == (1, 1, 0)
    assert Event.objects.latest("id").username == "Comision.Prueba"


def test_login_outside_the_middleware_is_recorded_at_once(client, admin_user):
    before = counts()
    client.login(username="comision.prueba", password=PASSWORD)
    assert delta(before) == (0, 1, 0)
    assert Event.objects.latest("id").action == "login_success"


def test_password_reset_request_and_reset_are_auth_events(client, admin_user, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):  # the outbox mails after commit
        client.post("/cuenta/contrasena/restablecer/", {"email": admin_user.email})
    requested = Event.objects.latest("id")
    assert (requested.action, requested.username) == ("password_reset_requested", admin_user.email)
    link = re.search(r"/cuenta/contrasena/restablecer/\S+/\S+/", mail.outbox[-1].body).group(0)
    token = link.rstrip("/").rsplit("/", 1)[1]
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    new = "Otra-Clave-Segura-2027"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    reset = Event.objects.latest("id")
    assert (reset.category, reset.action, reset.actor_id) == ("auth", "password_reset", admin_user.pk)
    assert not AccessEvent.objects.filter(path__contains=token).exists()
    assert not Event.objects.filter(path__contains=token).exists()
