import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded and generated files of each test go to a throwaway private folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def member(db):
    from agreements.tests.factories import InstitutionFactory

    return InstitutionFactory()


@pytest.fixture
def other_member(db):
    from agreements.tests.factories import InstitutionFactory

    return InstitutionFactory()


@pytest.fixture
def inst_admin(member):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=member, profile=profile("institution_admin"), given_names="Ángel")


@pytest.fixture
def reviewer(commission):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=commission, profile=profile("commission_reviewer"))


@pytest.fixture
def commission_admin(commission):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=commission, profile=profile("commission_admin"))


@pytest.fixture
def agreement(member, commission):
    from accounts.tests.factories import make_agreement

    return make_agreement(institution=member, commission=commission)


@pytest.fixture
def signatory(member):
    from accounts.tests.factories import make_signatory

    return make_signatory(institution=member)
