"""A passkey enrolled and then used to sign in, in Chromium, with a virtual authenticator driven
through the Chrome DevTools Protocol (WebAuthn domain): the real pages, the real JavaScript and
the real WebAuthn checks of the server (challenge, origin, RP ID, signature, counter)."""

import re

import pytest

from accounts.models import PasskeyDevice, RecoveryCode
from accounts.tests.factories import PASSWORD, UserFactory, profile
from agreements.tests.factories import CommissionFactory
from audit.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(f"{base}/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def test_a_passkey_is_enrolled_after_the_password_and_then_signs_in(live_server, page, settings, screenshot):
    settings.PORTAL_SITE_URL = live_server.url  # the RP ID is its host: the one the browser uses
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True
    user = UserFactory(username="comision.llave", institution=CommissionFactory(), profile=profile("auditor"))

    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    # First sign-in: the password leads to the enrolment, which offers a security key.
    sign_in(page, live_server.url, user.username)
    assert "/segundo-factor/alta/" in page.url
    screenshot(page, "enrolment")
    page.get_by_role("button", name="Registrar una llave de seguridad").click()
    page.get_by_role("heading", name="Segundo factor dado de alta").wait_for()
    screenshot(page, "recovery-codes")
    codes = page.locator(".backup-codes li").all_inner_texts()
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count() == 10
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1
    device = PasskeyDevice.objects.get(user=user)
    assert device.credential_key == stored[0]["credentialId"].replace("+", "-").replace("/", "_").rstrip("=")
    page.get_by_role("link", name="Ya los guardé, continuar").click()
    page.wait_for_load_state()
    assert "segundo-factor" not in page.url

    # Next sign-in: the code page offers the key; the key signs in and its counter moves on.
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_load_state()
    sign_in(page, live_server.url, user.username)
    assert re.search(r"/segundo-factor/(\?|$)", page.url)
    count_before = PasskeyDevice.objects.get(user=user).sign_count
    page.get_by_role("button", name="Usar mi llave de seguridad").click()
    page.wait_for_url(lambda url: "segundo-factor" not in url)
    screenshot(page, "signed-in-with-the-key")
    device.refresh_from_db()
    assert device.sign_count > count_before and device.last_used_at is not None
    verified = Event.objects.filter(action="second_factor_verified", target_id=str(user.pk)).last()
    assert verified.detail == {"method": "passkey"}
    assert RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count() == 10
