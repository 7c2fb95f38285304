import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Institution
from agreements.tests.factories import CommissionFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_rfc_with_wrong_check_digit_is_refused_in_spanish():
    institution = InstitutionFactory.build(rfc="CSP000101AB1")  # the right digit is A
    with pytest.raises(ValidationError) as error:
        institution.full_clean()
    assert "dígito verificador del RFC" in str(error.value)


def test_rfc_with_valid_check_digit_is_accepted():
    InstitutionFactory.build(rfc="CSP000101ABA").full_clean()


def test_only_one_commission_can_exist():
    CommissionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(
            kind=Institution.Kind.COMMISSION, legal_name="Otra comisión", acronym="OTRA", rfc="SSE950101AB3"
        )
