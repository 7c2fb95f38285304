import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "Portal-Demo-2026"
DEMO_DASHBOARDS = {
    "comision.admin": "Tablero de administración de la Comisión",
    "comision.admin2": "Tablero de administración de la Comisión",
    "comision.revisor": "Tablero de revisión",
    "comision.auditor": "Tablero de auditoría",
    "inst1.admin": "Administración de ISSE",
    "inst2.admin": "Administración de IMS",
    "inst1.analista": "Tablero de consulta",
    "inst2.analista": "Tablero de consulta",
}


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_login_page_is_in_spanish_with_lang_attribute(client):
    response = client.get("/cuenta/entrar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es-MX">' in html
    assert "Iniciar sesión" in html
    assert 'href="#contenido"' in html  # skip link
    assert '<label for="id_username">' in html


def test_language_can_be_switched_to_english(client):
    response = client.post("/idioma/", {"language": "en", "next": "/cuenta/entrar/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/entrar/?next=/")


@pytest.mark.parametrize(("username", "heading"), DEMO_DASHBOARDS.items())
def test_each_demo_account_lands_on_its_own_dashboard(client, demo, username, heading):
    response = client.post("/cuenta/entrar/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert f"<h1>{heading}</h1>" in html


def test_institution_dashboard_counts_only_its_own_accounts(client, demo):
    client.post("/cuenta/entrar/", {"username": "inst1.admin", "password": DEMO_PASSWORD})
    html = client.get("/").content.decode()
    assert "Carlos" in html  # inst1.admin himself
    assert "Fernando" not in html  # inst2.admin belongs to another institution
    own = User.objects.filter(institution__acronym="ISSE").count()
    assert re.search(rf'<span class="figure">{own}</span> cuentas a su alcance', html)


def test_seed_demo_is_idempotent(demo):
    counts = User.objects.count()
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # A second run creates no account: the demo's accounts (those of the README's table and the
    # ones its approved requests created) are there once.
    assert User.objects.count() == counts
    assert counts > 9


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_logout_ends_the_session(client, login):
    login(UserFactory())
    assert client.get("/").status_code == 200
    client.post("/cuenta/salir/")
    assert client.get("/").status_code == 302


def test_password_change_requires_the_old_password(client, login):
    user = UserFactory()
    login(user)
    response = client.post(
        "/cuenta/contrasena/cambiar/",
        {"old_password": "mala", "new_password1": "Otra-Clave-Segura-77", "new_password2": "Otra-Clave-Segura-77"},
    )
    assert "contraseña antigua" in response.content.decode().lower() or response.status_code == 200
    response = client.post(
        "/cuenta/contrasena/cambiar/",
        {
            "old_password": "Una-Clave-De-Prueba-2026",
            "new_password1": "Otra-Clave-Segura-77",
            "new_password2": "Otra-Clave-Segura-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Otra-Clave-Segura-77")


def test_password_reset_mails_a_link_that_sets_a_new_password(client, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_SITE_URL = "https://portal.example.gob.mx"
    user = UserFactory(email="persona@prueba.gob.mx")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        response = client.post("/cuenta/contrasena/restablecer/", {"email": "persona@prueba.gob.mx"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(
        r"https://portal\.example\.gob\.mx(/cuenta/contrasena/restablecer/\S+/)", mail.outbox[0].body
    ).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": "Nueva-Clave-Segura-88", "new_password2": "Nueva-Clave-Segura-88"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nueva-Clave-Segura-88")


def test_password_reset_sends_nothing_to_a_suspended_account(client):
    UserFactory(email="suspendida@prueba.gob.mx", status=User.Status.SUSPENDED)
    response = client.post("/cuenta/contrasena/restablecer/", {"email": "suspendida@prueba.gob.mx"})
    assert response.status_code == 302  # same answer as for any address: no enumeration
    assert mail.outbox == []


def test_django_admin_is_for_superusers_only(client, login):
    staff = UserFactory(is_staff=True)
    login(staff)
    assert client.get("/admin/").status_code == 302  # sent to admin login: not allowed in
    superuser = User.objects.create_superuser(username="raiz", email="raiz@prueba.gob.mx", password="X-Raiz-2026-ok")
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "storage": "ok"},
    }


def test_browser_language_does_not_override_spanish(client):
    html = client.get("/cuenta/entrar/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="es-MX">' in html


def test_the_demo_has_two_commission_administrators(demo):
    # Anyone can suspend an administrator by typing wrong passwords; the other one lifts it.
    admins = User.objects.filter(profile__code="commission_admin", status=User.Status.ACTIVE)
    assert set(admins.values_list("username", flat=True)) == {"comision.admin", "comision.admin2"}
