"""Second factor (TOTP and recovery codes) through the real sign-in and second-factor pages."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginThrottle, RecoveryCode, User
from accounts.tests.factories import PASSWORD, UserFactory, profile
from audit.models import Event

pytestmark = pytest.mark.django_db

ENROL = reverse("onboarding:second_factor_enrol")
VERIFY = reverse("onboarding:second_factor_verify")


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def auditor(commission):
    return UserFactory(username="comision.auditora", institution=commission, profile=profile("auditor"))


@pytest.fixture
def commission_admin(commission):
    return UserFactory(username="comision.admin", institution=commission, profile=profile("commission_admin"))


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def enrol(client, user) -> list[str]:
    sign_in(client, user)
    assert client.get(ENROL).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL, {"code": code(device)})
    assert response.status_code == 200
    return response.context["codes"]


def actions(user):
    return list(Event.objects.filter(target_id=str(user.pk)).values_list("action", flat=True).order_by("pk"))


def test_privileged_user_without_a_device_reaches_only_the_enrolment(client, auditor):
    sign_in(client, auditor)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)
    timeline = client.get(reverse("audit:timeline"))  # what an auditor is for: still not before the code
    assert timeline.status_code == 302 and timeline["Location"].startswith(ENROL)
    page = client.get(ENROL).content.decode()
    assert "data:image/svg+xml" in page  # the QR code
    assert "Alta del segundo factor" in page


def test_enrolment_with_a_code_from_the_app_opens_the_portal_and_shows_ten_backup_codes(client, auditor):
    codes = enrol(client, auditor)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=auditor).confirmed
    assert client.get(reverse("dashboard")).status_code == 200
    assert "second_factor_enrolled" in actions(auditor)


def test_enrolment_refuses_a_wrong_code(client, auditor):
    sign_in(client, auditor)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 200
    assert "El código no es correcto" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=auditor, confirmed=True).exists()


def test_next_sign_in_asks_for_a_code_and_refuses_a_replayed_one(client, auditor):
    enrol(client, auditor)
    client.post(reverse("logout"))
    sign_in(client, auditor)
    assert client.get(reverse("dashboard"))["Location"].startswith(VERIFY)
    device = TOTPDevice.objects.get(user=auditor)
    # The code used for the enrolment, again within its window: refused (no replay).
    response = client.post(VERIFY, {"code": code(device)})
    assert response.status_code == 200
    assert "El código no es correcto" in response.content.decode()
    response = client.post(VERIFY, {"code": code(device, drift=1)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert "second_factor_verified" in actions(auditor)


def test_three_wrong_codes_lock_the_account_and_a_fourth_after_the_lock_suspends(client, auditor):
    enrol(client, auditor)
    client.post(reverse("logout"))
    sign_in(client, auditor)
    for _ in range(2):
        response = client.post(VERIFY, {"code": "123456"})
        assert response.status_code == 200
        assert "El código no es correcto" in response.content.decode()
    response = client.post(VERIFY, {"code": "123456"}, follow=True)
    assert "bloqueada" in response.content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    state = LoginThrottle.objects.get(username=auditor.username)
    assert state.lock_count == 1 and state.locked_until is not None
    # During the lock even the right password is refused (the same counter as passwords).
    response = client.post(reverse("login"), {"username": auditor.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "bloqueada" in response.content.decode()
    logged = [a for a in actions(auditor) if a in ("second_factor_failure", "lock")]
    assert logged == ["second_factor_failure"] * 3 + ["lock"]


def test_a_wrong_code_after_an_expired_lock_suspends(client, auditor):
    enrol(client, auditor)
    client.post(reverse("logout"))
    sign_in(client, auditor)
    LoginThrottle.objects.update_or_create(username=auditor.username, defaults={"lock_count": 1})  # an expired lock
    client.post(VERIFY, {"code": "123456"})
    auditor.refresh_from_db()
    assert auditor.status == User.Status.SUSPENDED


def test_a_backup_code_works_once(client, auditor):
    codes = enrol(client, auditor)
    client.post(reverse("logout"))
    sign_in(client, auditor)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert RecoveryCode.objects.filter(device__user=auditor, used_at__isnull=True).count() == 9
    client.post(reverse("logout"))
    sign_in(client, auditor)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert "El código no es correcto" in response.content.decode()


def test_recovery_codes_are_stored_only_as_a_keyed_hash(client, auditor):
    codes = enrol(client, auditor)
    stored = set(RecoveryCode.objects.filter(device__user=auditor).values_list("code_hash", flat=True))
    assert len(stored) == 10
    for plain in codes:
        normalized = plain.replace("-", "")
        assert plain not in stored and normalized not in stored
        assert not any(normalized in value for value in stored)
    assert not StaticToken.objects.filter(device__user=auditor).exists()  # django-otp's plain tokens unused
    # The hash is keyed: without the portal's secret key the same code gives another value.
    from accounts.recovery_codes import code_hash

    assert code_hash(codes[0]) in stored
    assert code_hash(codes[0], secret="otra-llave") not in stored


def test_a_recovery_code_is_typed_with_or_without_its_dash_and_in_capitals(client, auditor):
    codes = enrol(client, auditor)
    client.post(reverse("logout"))
    sign_in(client, auditor)
    assert client.post(VERIFY, {"code": codes[1].replace("-", " ").upper()}).status_code == 302


def test_totp_accepts_one_step_of_clock_drift_and_refuses_two(client, auditor):
    enrol(client, auditor)
    client.post(reverse("logout"))
    sign_in(client, auditor)
    device = TOTPDevice.objects.get(user=auditor)
    for drift in (-2, 2):
        response = client.post(VERIFY, {"code": code(device, drift=drift)})
        assert response.status_code == 200, drift
        assert "El código no es correcto" in response.content.decode()
    assert client.post(VERIFY, {"code": code(device, drift=1)}).status_code == 302


def test_a_wrong_password_and_two_wrong_codes_lock_the_account(client, auditor):
    enrol(client, auditor)
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": auditor.username, "password": "no-es-la-clave"})
    assert response.status_code == 200
    sign_in(client, auditor)
    client.post(VERIFY, {"code": "123456"})
    response = client.post(VERIFY, {"code": "123456"}, follow=True)
    assert "bloqueada" in response.content.decode()
    assert LoginThrottle.objects.get(username=auditor.username).locked_until is not None


def test_a_commission_admin_resets_the_second_factor_with_a_reason(client, auditor, commission_admin):
    enrol(client, auditor)
    client.post(reverse("logout"))
    admin_client = client.__class__()
    admin_client.force_login(commission_admin)
    admin_session = admin_client.session
    from django_otp import DEVICE_ID_SESSION_KEY

    admin_device = TOTPDevice.objects.create(user=commission_admin, name="portal", confirmed=True)
    admin_session[DEVICE_ID_SESSION_KEY] = admin_device.persistent_id
    admin_session.save()
    url = reverse("accounts:user_second_factor_reset", kwargs={"user_pk": auditor.pk})
    assert (
        "Restablecer segundo factor"
        in admin_client.get(reverse("accounts:user_detail", kwargs={"user_pk": auditor.pk})).content.decode()
    )
    response = admin_client.post(url, {"reason": ""})
    assert response.status_code == 200  # the reason is required
    assert TOTPDevice.objects.filter(user=auditor).exists()
    response = admin_client.post(url, {"reason": "Teléfono extraviado, oficio 12/2026"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    assert not RecoveryCode.objects.filter(device__user=auditor).exists()
    event = Event.objects.get(action="second_factor_reset")
    assert event.detail["reason"] == "Teléfono extraviado, oficio 12/2026"
    # The next sign-in enrols again.
    sign_in(client, auditor)
    assert client.get(reverse("dashboard"))["Location"].startswith(ENROL)


def test_an_auditor_may_not_reset_anyones_second_factor(client, auditor, commission_admin):
    from django_otp import DEVICE_ID_SESSION_KEY

    TOTPDevice.objects.create(user=commission_admin, name="portal", confirmed=True)
    device = TOTPDevice.objects.create(user=auditor, name="portal", confirmed=True)
    client.force_login(auditor)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = reverse("accounts:user_second_factor_reset", kwargs={"user_pk": commission_admin.pk})
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert TOTPDevice.objects.filter(user=commission_admin).exists()


def test_institution_profiles_need_no_second_factor(client, member):
    analyst = UserFactory(username="inst.analista", institution=member, profile=profile("analyst"))
    sign_in(client, analyst)
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_setting_off_lets_a_privileged_password_sign_in_through(client, auditor, settings):
    settings.PORTAL_REQUIRE_SECOND_FACTOR = False
    sign_in(client, auditor)
    assert client.get(reverse("dashboard")).status_code == 200


def test_demo_commission_accounts_get_the_readme_secret_and_institution_ones_none(client, auditor, member):
    from base64 import b32decode

    from accounts.demo import seed_second_factor

    analyst = UserFactory(username="inst.analista", institution=member, profile=profile("analyst"))
    seed_second_factor({"users": {"a": auditor, "b": analyst}})
    seed_second_factor({"users": {"a": auditor, "b": analyst}})  # idempotent
    assert TOTPDevice.objects.filter(user=auditor, confirmed=True).count() == 1
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    sign_in(client, auditor)
    readme_code = f"{totp(b32decode('JBSWY3DPEHPK3PXP')):06d}"
    assert client.post(VERIFY, {"code": readme_code}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_refused_passkey_counts_as_a_failed_sign_in(client, auditor):
    from accounts.models import PasskeyDevice

    PasskeyDevice.objects.create(
        user=auditor, name="llave", confirmed=True, credential_id=b"k", credential_key="aw", public_key=b"x"
    )
    sign_in(client, auditor)
    page = client.get(VERIFY).content.decode()
    assert "Usar mi llave de seguridad" in page
    url = reverse("onboarding:second_factor_passkey_verify")
    forged = '{"id": "aw", "rawId": "aw", "type": "public-key", "response": {}}'
    for _ in range(2):
        response = client.post(url, {"credential": forged})
        assert response.status_code == 200
        assert "La llave de seguridad no fue aceptada" in response.content.decode()
    response = client.post(url, {"credential": forged}, follow=True)
    assert "bloqueada" in response.content.decode()
    assert LoginThrottle.objects.get(username=auditor.username).locked_until is not None


def test_at_the_first_sign_in_the_letter_comes_first_and_the_enrolment_right_after(client, auditor):
    auditor.status = User.Status.PENDING_LETTER
    auditor.save()
    sign_in(client, auditor)
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("onboarding:letter_accept"))
    auditor.status = User.Status.ACTIVE  # what accepting the letter does
    auditor.save()
    assert client.get(reverse("dashboard"))["Location"].startswith(ENROL)


def test_a_profile_marked_as_requiring_a_second_factor_enrols_one(client, member):
    analyst = UserFactory(username="inst.marcada", institution=member, profile=profile("analyst"))
    analyst.profile.requires_second_factor = True
    analyst.profile.save()
    sign_in(client, analyst)
    assert client.get(reverse("dashboard"))["Location"].startswith(ENROL)


def test_holding_the_profile_catalog_permission_requires_a_second_factor(client, member):
    from django.contrib.auth.models import Permission

    analyst = UserFactory(username="inst.catalogo", institution=member, profile=profile("analyst"))
    analyst.profile.group.permissions.add(Permission.objects.get(codename="change_profile"))
    sign_in(client, analyst)
    assert client.get(reverse("dashboard"))["Location"].startswith(ENROL)


def test_a_forged_passkey_registration_is_refused_without_an_error_page(client, auditor):
    from accounts.models import PasskeyDevice

    sign_in(client, auditor)
    client.get(ENROL)
    response = client.post(reverse("onboarding:second_factor_passkey_enrol"), {"credential": '{"id": "aw"}'})
    assert response.status_code == 200
    assert "No se pudo registrar la llave de seguridad" in response.content.decode()
    assert not PasskeyDevice.objects.filter(user=auditor).exists()


def test_a_recovery_code_typed_while_the_account_is_locked_is_not_used_up(client, auditor):
    """The lock refuses even a right code; that code must still work once the lock is over."""
    from datetime import timedelta

    from django.utils import timezone

    codes = enrol(client, auditor)
    client.post(reverse("logout"))
    sign_in(client, auditor)
    LoginThrottle.objects.update_or_create(
        username=auditor.username, defaults={"lock_count": 1, "locked_until": timezone.now() + timedelta(minutes=30)}
    )
    response = client.post(VERIFY, {"code": codes[0]}, follow=True)
    assert "bloqueada" in response.content.decode()
    assert RecoveryCode.objects.filter(device__user=auditor, used_at__isnull=True).count() == 10
    LoginThrottle.objects.filter(username=auditor.username).delete()  # the lock is over
    sign_in(client, auditor)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert RecoveryCode.objects.filter(device__user=auditor, used_at__isnull=True).count() == 9


def test_a_person_with_the_app_reaches_the_security_page_to_add_a_passkey(client, auditor):
    """Enrolled with TOTP, verified in this session: the page offers a security key; an answer
    that is no key is refused in Spanish and nothing is registered."""
    from accounts.models import PasskeyDevice

    enrol(client, auditor)
    page = client.get(reverse("onboarding:second_factor_security"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Registrar una llave de seguridad" in html and reverse("onboarding:second_factor_passkey_add") in html
    response = client.post(reverse("onboarding:second_factor_passkey_add"), {"credential": '{"id": "x"}'})
    assert response.status_code == 200
    assert "No se pudo registrar la llave de seguridad" in response.content.decode()
    assert not PasskeyDevice.objects.filter(user=auditor).exists()
    # Signed in again but the code not typed yet: the page waits for the second factor.
    client.post(reverse("logout"))
    sign_in(client, auditor)
    assert client.get(reverse("onboarding:second_factor_security")).url.startswith(VERIFY)
    assert client.post(reverse("onboarding:second_factor_passkey_add"), {"credential": "{}"}).url.startswith(VERIFY)
