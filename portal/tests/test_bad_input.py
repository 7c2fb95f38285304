"""Input a fuzzer sends (ids beyond any integer column, dates past year 9999, huge numbers) gets
a form error, never a server error (it was a 500: DataError or OverflowError)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OnboardingSettings
from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import make_agreement

pytestmark = pytest.mark.django_db

HUGE_ID = "1" * 30
BIGINT_PLUS_ONE = str(2**63)


@pytest.fixture
def admin_client(commission_admin):
    client = Client(raise_request_exception=False)
    client.force_login(commission_admin)
    return client


def no_server_error(response, *, field=None):
    """A page, not a 500; with ``field``, the form shown again with that field's error."""
    assert response.status_code in (200, 400), response.status_code
    if field is not None:
        assert response.context["form"].errors[field]
        assert str(response.context["form"].errors[field][0]) in response.content.decode()


@pytest.mark.parametrize("bad_id", [HUGE_ID, BIGINT_PLUS_ONE, "-" + HUGE_ID, "1e5", "abc"])
def test_out_of_range_ids_in_the_agreement_form(admin_client, member, bad_id):
    response = admin_client.post(
        reverse("agreements:create"), {"folio": "F-1", "title": "Convenio", "members": [str(member.pk), bad_id]}
    )
    no_server_error(response, field="members")


@pytest.mark.parametrize("bad_id", [HUGE_ID, BIGINT_PLUS_ONE])
def test_out_of_range_ids_in_the_profile_forms(admin_client, commission_admin, bad_id):
    response = admin_client.post(
        reverse("accounts:profile_create"), {"name": "Perfil raro", "scope": "institution", "permissions": [bad_id]}
    )
    no_server_error(response, field="permissions")
    other = UserFactory(institution=commission_admin.institution, profile=profile("analyst"))
    response = admin_client.post(reverse("accounts:user_profile_change", args=[other.pk]), {"profile": bad_id})
    no_server_error(response, field="profile")


@pytest.mark.parametrize("bad_id", [HUGE_ID, BIGINT_PLUS_ONE])
def test_out_of_range_ids_in_the_other_choice_fields(admin_client, commission, member, commission_admin, bad_id):
    agreement = make_agreement(members=[member], commission=commission, actor=commission_admin)
    response = admin_client.post(
        reverse("agreements:termination_create", args=[agreement.pk]),
        {"kind": "termination", "notifying_party": bad_id, "notified_on": "2026-02-02", "reason": "x"},
    )
    no_server_error(response, field="notifying_party")
    for name in ("agreements:list", "agreements:signatory_list", "audit:timeline"):
        no_server_error(admin_client.get(reverse(name), {"institution": bad_id}))
    inst_admin = UserFactory(institution=member, profile=profile("institution_admin"))
    client = Client(raise_request_exception=False)
    client.force_login(inst_admin)
    response = client.post(
        reverse("onboarding:account_change_create"), {"user": bad_id, "kind": "profile", "new_profile": bad_id}
    )
    no_server_error(response, field="user")
    no_server_error(client.get(reverse("onboarding:account_change_create"), {"cuenta": bad_id}))


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_history_log_refuses_dates_out_of_range(admin_client, day):
    for field in ("date_from", "date_to"):
        response = admin_client.get(reverse("audit:timeline"), {field: day})
        no_server_error(response, field=field)
        assert admin_client.get(reverse("audit:timeline_csv"), {field: day}).status_code in (200, 400)


@pytest.mark.parametrize("number", ["2147483648", "32768", "0", "-1", "9" * 30])
def test_the_onboarding_settings_refuse_absurd_numbers(admin_client, number):
    before = OnboardingSettings.load()
    for field in ("sla_business_days", "activation_hours"):
        data = {"sla_business_days": "3", "activation_hours": "72", field: number}
        response = admin_client.post(reverse("onboarding:onboarding_settings"), data)
        no_server_error(response)
        assert response.context["form"].errors[field]
    after = OnboardingSettings.load()
    assert (after.sla_business_days, after.activation_hours) == (before.sla_business_days, before.activation_hours)


def test_out_of_range_ids_in_multiple_choices_on_the_demo_database(sqlite_demo):
    """SQLite's driver cannot even send an id beyond 64 bits (OverflowError): the forms' multiple
    choices and any ``pk__in`` must answer "not one of the choices" there too."""
    output = sqlite_demo.run(
        f"""
from django.contrib.auth.models import Permission
from accounts.forms import ProfileForm
from accounts.models import User
from agreements.forms import AgreementForm
from agreements.models import Institution

print(Permission.objects.filter(pk__in=[{HUGE_ID}, -{HUGE_ID}, {BIGINT_PLUS_ONE}]).count())
form = ProfileForm({{"name": "Raro", "scope": "institution", "permissions": ["{HUGE_ID}"]}})
print(form.is_valid(), form.errors["permissions"].as_data()[0].code)
user = User.objects.filter(is_superuser=True).first() or User(is_superuser=True)
form = AgreementForm({{"members": ["{BIGINT_PLUS_ONE}"]}}, user=user)
print(form.is_valid(), form.errors["members"].as_data()[0].code)
"""
    )
    assert output.split() == ["0", "False", "invalid_choice", "False", "invalid_choice"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("signed_on", "9999-12-31"), ("term_years", "32767"), ("term_until", "9999-12-31"), ("signed_on", "0001-01-01")],
)
def test_agreement_dates_and_terms_beyond_any_calendar(admin_client, member, field, value):
    data = {
        "folio": "F-9",
        "title": "Convenio",
        "kind": "coordination",
        "purpose": "Prueba",
        "signed_on": "2026-01-01",
        "term_kind": "until_date" if field == "term_until" else "years",
        "term_years": "1",
        "term_until": "",
        "notice_days": "30",
        "notice_day_kind": "natural",
        "rescission_answer_days": "15",
        "members": [str(member.pk)],
        field: value,
    }
    no_server_error(admin_client.post(reverse("agreements:create"), data), field=field)


def test_renewal_and_notice_dates_beyond_any_calendar(admin_client, commission, member, commission_admin):
    agreement = make_agreement(members=[member], commission=commission, actor=commission_admin)
    party = agreement.parties.first()
    renew = reverse("agreements:renew", args=[agreement.pk])
    no_server_error(admin_client.post(renew, {"folio": "R-1", "signed_on": "9999-12-31"}), field="signed_on")
    no_server_error(
        admin_client.post(renew, {"folio": "R-1", "signed_on": "2026-01-01", "term_years": "5000"}), field="term_years"
    )
    response = admin_client.post(
        reverse("agreements:termination_create", args=[agreement.pk]),
        {"kind": "termination", "notifying_party": str(party.pk), "notified_on": "9999-12-31", "reason": "x"},
    )
    no_server_error(response, field="notified_on")
