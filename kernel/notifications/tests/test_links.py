"""Every notification links to the item it is about: the inbox with a link, the e-mail with the
portal's own absolute address (PORTAL_SITE_URL, never the request's Host)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory, make_signatory
from kernel.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_email_and_the_inbox_link_to_the_item(
    settings, test_templates, member, login, django_capture_on_commit_callbacks
):
    settings.PORTAL_SITE_URL = "https://convenios.example.gob.mx"
    user = UserFactory(institution=member, email="persona@example.gob.mx")
    signatory = make_signatory(institution=member)
    path = reverse("agreements:signatory_detail", args=[signatory.pk])
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], template="prueba", context={"nombre": "x"}, related=signatory)
    assert f"Véalo en el portal: https://convenios.example.gob.mx{path}" in mail.outbox[0].body
    page = login(user).get(reverse("notifications:inbox")).content.decode()
    assert f'<a href="{path}">Ver el asunto' in page
    assert "https://convenios.example.gob.mx" not in page  # the inbox body stays as written


def test_a_notification_about_nothing_has_no_link(test_templates, member, login, django_capture_on_commit_callbacks):
    user = UserFactory(institution=member, email="persona@example.gob.mx")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], template="prueba", context={"nombre": "x"})
    assert "Véalo en el portal" not in mail.outbox[0].body
    assert "Ver el asunto" not in login(user).get(reverse("notifications:inbox")).content.decode()
