import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import user_create
from accounts.tests.factories import PASSWORD, UserFactory, profile, valid_curp
from agreements.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_username_is_case_insensitive_for_login_and_uniqueness():
    user = UserFactory(username="Ana.Perez")
    assert user.username == "ana.perez"
    assert authenticate(username="ANA.PEREZ", password=PASSWORD) == user
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="ana.PEREZ")


def test_invalid_curp_is_refused_with_a_spanish_message():
    institution = InstitutionFactory()
    with pytest.raises(ValidationError) as error:
        user_create(
            username="x",
            institution=institution,
            profile=profile("analyst"),
            given_names="X",
            paternal_surname="Y",
            curp="GOMA850317MDFRRN09",  # wrong check digit
            email="x@prueba.gob.mx",
        )
    assert "CURP" in str(error.value)
    assert not User.objects.filter(username="x").exists()


def test_curp_is_unique_among_live_accounts_but_reusable_after_cancellation():
    curp = valid_curp(777)
    first = UserFactory(curp=curp)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(curp=curp)
    first.status = User.Status.CANCELLED
    first.save()
    assert UserFactory(curp=curp).curp == curp


@pytest.mark.parametrize(
    ("status", "can_sign_in"),
    [
        (User.Status.PENDING_LETTER, True),
        (User.Status.ACTIVE, True),
        (User.Status.SUSPENDED, False),
        (User.Status.CANCELLED, False),
    ],
)
def test_django_is_active_follows_the_account_status(status, can_sign_in):
    user = UserFactory()
    user.status = status
    user.save(update_fields=["status"])
    user.refresh_from_db()
    assert user.is_active is can_sign_in
    assert (authenticate(username=user.username, password=PASSWORD) is not None) is can_sign_in


def test_a_non_superuser_without_profile_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(profile=None)


def test_user_create_puts_the_user_in_the_profile_group():
    user = user_create(
        username="nuevo",
        institution=InstitutionFactory(),
        profile=profile("institution_admin"),
        given_names="Nuevo",
        paternal_surname="Usuario",
        curp=valid_curp(9),
        email="nuevo@prueba.gob.mx",
    )
    assert list(user.groups.all()) == [profile("institution_admin").group]
    assert user.has_perm("accounts.view_user")
    assert not user.has_usable_password()


def test_production_hashes_with_argon2id_and_upgrades_older_pbkdf2_hashes_at_sign_in(settings):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher

    from accounts import lockout
    from portal.settings import PASSWORD_HASHERS as production

    settings.PASSWORD_HASHERS = production
    user = UserFactory(username="clave.antigua")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert lockout.attempt_login(request=None, username="clave.antigua", password=PASSWORD) == user
    user.refresh_from_db()
    hasher = identify_hasher(user.password)
    assert hasher.algorithm == "argon2" and "$argon2id$" in user.password and "m=19456,t=2,p=1" in user.password
    assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")
