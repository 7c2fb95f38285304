"""The portal's own 403, 404 and 500 pages: in the person's language, with the header and a way back."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_404_is_the_portals_page_with_a_way_back(client):
    client.force_login(UserFactory())
    response = client.get("/no-existe-esta-pagina/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "No encontramos esta página" in body and 'class="site-header"' in body
    assert "Volver al inicio" in body


def test_403_is_the_portals_page_in_english_when_chosen(client):
    client.force_login(UserFactory())
    client.cookies["django_language"] = "en"
    response = client.get("/bitacora/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "You do not have permission to see this page" in body and "Back to home" in body


def test_500_renders_without_context_processors_or_database():
    request = RequestFactory().get("/")
    with translation.override(settings.LANGUAGE_CODE):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Ocurrió un error en el portal" in body and 'href="/"' in body
