"""Rights end at the next request: suspension, cancellation and profile change."""

import pytest

from accounts.models import User
from accounts.services import user_set_profile
from accounts.sessions import RIGHTS_SESSION_KEY
from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [User.Status.SUSPENDED, User.Status.CANCELLED])
def test_a_suspended_or_cancelled_account_is_signed_out_at_its_next_request(client, login, status):
    user = UserFactory(profile=profile("institution_admin"))
    login(user)
    assert client.get("/usuarios/").status_code == 200
    user.status = status
    user.save()  # no session cleanup on purpose: the next request alone must refuse
    response = client.get("/usuarios/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/")


def test_a_profile_change_ends_the_old_rights_even_for_a_session_left_behind(client, login):
    user = UserFactory(profile=profile("institution_admin"))
    login(user)
    assert client.session[RIGHTS_SESSION_KEY] == f"profile:{user.profile_id}"
    assert client.get("/usuarios/").status_code == 200
    # Change the profile behind the service's back: the middleware alone must catch it.
    user.profile = profile("analyst")
    user.save()
    user.groups.set([user.profile.group])
    response = client.get("/usuarios/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/entrar/")


def test_the_profile_change_service_ends_sessions_and_the_new_login_has_the_new_rights(client, login):
    admin = UserFactory(profile=profile("commission_admin"), institution=CommissionFactory())
    user = UserFactory(profile=profile("analyst"))
    login(user)
    assert client.get("/usuarios/").status_code == 403
    user_set_profile(user=user, profile=profile("institution_admin"), actor=admin)
    assert client.get("/usuarios/").status_code == 302  # session gone: back to login
    login(user)
    assert client.get("/usuarios/").status_code == 200


def test_activation_after_the_confidentiality_letter_keeps_the_session(client, login):
    user = UserFactory(status=User.Status.PENDING_LETTER)
    login(user)
    user.status = User.Status.ACTIVE
    user.save()
    assert client.get("/").status_code == 200


def test_rights_removed_from_a_custom_profile_stop_at_the_holders_next_request(client, login):
    from django.contrib.auth.models import Permission

    from accounts.services import profile_create, profile_update

    admin = UserFactory(profile=profile("commission_admin"), institution=CommissionFactory())
    view_user = Permission.objects.get(codename="view_user")
    custom = profile_create(actor=admin, code="lectura", name="Lectura", scope="institution", permissions=[view_user])
    holder = UserFactory(profile=custom)
    login(holder)
    assert client.get("/usuarios/").status_code == 200
    profile_update(actor=admin, profile=custom, name="Lectura", scope="institution", permissions=[])
    assert client.get("/usuarios/").status_code == 403
