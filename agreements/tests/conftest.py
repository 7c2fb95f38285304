import pytest


@pytest.fixture(autouse=True)
def _files_in_a_throwaway_folder(private_media):
    """Every test here stores its files under tmp_path (fixture in the root conftest)."""
    return private_media


@pytest.fixture
def institution_admin(member):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=member, profile=profile("institution_admin"))


@pytest.fixture
def analyst(member):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=member, profile=profile("analyst"))


@pytest.fixture
def agreement(commission, member, commission_admin):
    from agreements.tests.factories import make_agreement

    return make_agreement(members=[member], commission=commission, actor=commission_admin)
