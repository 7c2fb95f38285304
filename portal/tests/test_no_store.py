"""Pages and files with personal data are sent with Cache-Control: no-store; static files are not."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services_letters as letters
from accounts import services_onboarding as onboarding
from accounts.models import User
from accounts.tests.factories import UserFactory, profile, valid_curp
from agreements.tests.factories import make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files(private_media):
    return private_media


def no_store(response):
    assert response.status_code == 200, response.status_code
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma", "no-cache") == "no-cache"


@pytest.fixture
def inst_admin(member):
    return UserFactory(institution=member, profile=profile("institution_admin"))


def test_account_request_pages_and_its_curu_pdf(client, inst_admin, commission, member):
    make_agreement(members=[member], commission=commission)
    draft = onboarding.account_request_create(
        institution=member,
        actor=inst_admin,
        data={"given_names": "Íker", "paternal_surname": "Zúñiga", "curp": valid_curp(9300)},
    )
    client.force_login(inst_admin)
    assert no_store(client.get(reverse("onboarding:account_request_detail", args=[draft.pk])))
    curu = client.get(reverse("onboarding:account_request_curu", args=[draft.pk]))
    assert curu["Content-Disposition"].startswith("attachment") and no_store(curu)
    assert no_store(client.get(reverse("onboarding:account_change_list")))


def test_confidentiality_letter_and_user_detail(client, member, commission_admin):
    user = UserFactory(institution=member, status=User.Status.PENDING_LETTER)
    letters.letter_accept(user=user, address="Calle 1", phone="1", id_document="ine", id_folio="F")
    client.force_login(user)
    assert no_store(client.get(reverse("onboarding:letter_own_download", args=["user"])))
    client.force_login(commission_admin)
    assert no_store(client.get(reverse("accounts:user_detail", args=[user.pk])))


def test_csv_exports(client, commission, commission_admin):
    client.force_login(commission_admin)
    assert no_store(client.get(reverse("agreements:list"), {"formato": "csv"}))
    assert no_store(client.get(reverse("agreements:signatory_list"), {"formato": "csv"}))
    auditor = UserFactory(institution=commission, profile=profile("auditor"))
    client.force_login(auditor)
    assert no_store(client.get(reverse("audit:timeline_csv")))


def test_static_files_keep_their_caching(settings, commission_admin):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # its middleware chain is built with the settings above
    client.force_login(commission_admin)
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "") and "Pragma" not in response
