"""The bell, the inbox, mark as read, and the commission's outbox page with resend."""

import re

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from kernel.notifications.models import Notification

from .factories import InAppNotificationFactory, NotificationFactory

pytestmark = pytest.mark.django_db


def bell(html):
    match = re.search(r'<a href="/notificaciones/" class="bell">(.*?)</a>', html, re.S)
    assert match, "the header has no bell"
    return match.group(1)


def test_the_bell_shows_the_unread_count(client, login):
    user = UserFactory()
    login(user)
    assert 'class="badge"' not in bell(client.get("/").content.decode())
    InAppNotificationFactory.create_batch(3, recipient=user)
    InAppNotificationFactory(recipient=user, read_at="2026-01-01T00:00:00Z")
    InAppNotificationFactory()  # someone else's
    NotificationFactory(recipient=user)  # an e-mail row is not in the bell
    assert re.search(r'class="badge">3<span class="visually-hidden"> sin leer', bell(client.get("/").content.decode()))


def test_inbox_lists_ones_own_notifications_with_paging(client, login):
    user = UserFactory()
    login(user)
    mine = InAppNotificationFactory.create_batch(21, recipient=user)
    other = InAppNotificationFactory(subject="Ajeno")
    html = client.get("/notificaciones/").content.decode()
    assert "<h1>Notificaciones</h1>" in html
    assert html.count('class="card notification unread"') == 20
    assert "Página 1 de 2" in html
    assert other.subject not in html
    page2 = client.get("/notificaciones/?page=2").content.decode()
    assert mine[0].subject in page2  # oldest on the last page


def test_mark_one_and_all_as_read(client, login):
    user = UserFactory()
    login(user)
    first, second, third = InAppNotificationFactory.create_batch(3, recipient=user)
    assert client.get("/notificaciones/leida/").status_code == 405  # POST only
    response = client.post("/notificaciones/leida/", {"notificacion": first.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    response = client.post("/notificaciones/todas-leidas/", follow=True)
    assert "Se marcaron 2 notificaciones como leídas." in response.content.decode()
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_someone_elses_notification_answers_404(client, login):
    login(UserFactory())
    theirs = InAppNotificationFactory()
    assert client.post("/notificaciones/leida/", {"notificacion": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_outbox_page_is_for_commission_administrators_only(client, login):
    login(UserFactory())  # an analyst
    assert client.get("/notificaciones/envios/").status_code == 403
    failed = NotificationFactory(status="failed")
    assert client.post("/notificaciones/envios/reenviar/", {"notificacion": failed.pk}).status_code == 403


def test_commission_admin_sees_failed_emails_and_resends_one(
    client, login, commission_admin, django_capture_on_commit_callbacks
):
    login(commission_admin)
    failed = NotificationFactory(status="failed", attempts=5, last_error="SMTPRecipientsRefused: buzón lleno")
    sent = NotificationFactory(status="sent", subject="Ya salió")
    html = client.get("/").content.decode()
    assert 'href="/notificaciones/envios/"' in html  # in the navigation
    html = client.get("/notificaciones/envios/").content.decode()
    assert failed.subject in html and "buzón lleno" in html
    assert sent.subject not in html  # failed ones by default
    assert failed.body not in html  # the text (possibly a one-time link) is never shown
    assert sent.subject in client.get("/notificaciones/envios/?estado=sent").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notificaciones/envios/reenviar/", {"notificacion": failed.pk}, follow=True)
    assert "El correo quedó en cola para enviarse de nuevo." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert [m.subject for m in mail.outbox] == [failed.subject]
    response = client.post("/notificaciones/envios/reenviar/", {"notificacion": sent.pk}, follow=True)
    assert "Solo se pueden reenviar correos cuyo envío falló." in response.content.decode()
    assert len(mail.outbox) == 1


def test_password_reset_goes_through_the_outbox(client, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_SITE_URL = "https://portal.example.gob.mx"
    user = UserFactory(email="restablecer@prueba.gob.mx")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cuenta/contrasena/restablecer/", {"email": "restablecer@prueba.gob.mx"})
    row = Notification.objects.get(recipient=user)
    assert (row.template, row.channel, row.status) == ("password_reset", "email", "sent")
    assert mail.outbox[0].subject == "Restablecimiento de contraseña del Portal de Convenios"
    assert "https://portal.example.gob.mx/cuenta/contrasena/restablecer/" in mail.outbox[0].body


def test_a_missing_or_malformed_notification_id_answers_404(client, login, commission_admin):
    login(commission_admin)
    for data in ({}, {"notificacion": "abc"}, {"notificacion": "999999"}):
        assert client.post("/notificaciones/leida/", data).status_code == 404
        assert client.post("/notificaciones/envios/reenviar/", data).status_code == 404


def test_demo_accounts_get_one_welcome_notification_however_often_the_demo_is_seeded(settings):
    from django.core.management import call_command

    settings.DEMO_PASSWORD = "Portal-Demo-2026"
    for _ in range(2):
        call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    welcomes = Notification.objects.filter(template="bienvenida", channel="inapp")
    assert welcomes.count() == 8  # one per demo account
    assert welcomes.first().subject == "Bienvenida al Portal de Convenios"
