import pytest


@pytest.fixture(autouse=True)
def _files_in_a_throwaway_folder(private_media):
    return private_media


@pytest.fixture
def institution_admin(member):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=member, profile=profile("institution_admin"))


@pytest.fixture
def other_admin(other_member):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=other_member, profile=profile("institution_admin"))


@pytest.fixture
def agreement(commission, member, commission_admin):
    from agreements.tests.factories import make_agreement

    return make_agreement(members=[member], commission=commission, actor=commission_admin)


@pytest.fixture
def committee(agreement, commission_admin):
    from governance import services

    return services.body_create(
        actor=commission_admin, kind="committee", name="Comité Técnico", code="CT", agreement=agreement
    )
