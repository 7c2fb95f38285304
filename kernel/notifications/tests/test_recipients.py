"""Notification recipients by role, resolved by the accounts app through the kernel's hook."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import InstitutionFactory
from kernel.notifications import recipients

pytestmark = pytest.mark.django_db


def test_accounts_answers_who_administers_each_institution_and_the_commission(commission_admin):
    north, south = InstitutionFactory(), InstitutionFactory()
    admin_profile = profile("institution_admin")
    north_admin = UserFactory(institution=north, profile=admin_profile)
    south_admin = UserFactory(institution=south, profile=admin_profile)
    UserFactory(institution=north, profile=profile("analyst"))
    UserFactory(institution=north, profile=admin_profile, status="suspended")

    assert recipients.commission_admins() == [commission_admin]
    assert recipients.institution_admins([north]) == [north_admin]
    assert recipients.institution_admins([south, north, south]) == [south_admin, north_admin]


def test_without_a_registered_resolver_asking_fails_loudly(monkeypatch):
    monkeypatch.setattr(recipients, "_resolvers", {})
    with pytest.raises(ImproperlyConfigured, match="accounts"):
        recipients.commission_admins()
    with pytest.raises(ImproperlyConfigured):
        recipients.institution_admins([])
