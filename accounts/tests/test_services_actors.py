"""Every write service of accounts checks its actor itself (the view's rule is only the first gate).

Each is called by a wrong actor: an analyst of the member institution (no write permission) and
an administrator of another institution (institution rights, but not over this one's rows). Both
are refused with PermissionDenied; the services' own tests show the right actors succeed.
"""

import inspect

import pytest
from django.core.exceptions import PermissionDenied

from accounts import services, services_changes, services_letters, services_onboarding
from accounts.models import AccountChangeRequest, AccountRequest, LetterTemplate, Profile, RequiredDocument
from accounts.tests.factories import UserFactory, approve_change, pdf_upload, profile, request_change
from portal.tests import registry

pytestmark = pytest.mark.django_db

MODULES = (services, services_changes, services_letters, services_onboarding)


@pytest.fixture
def world(member, other_member, commission_admin):
    assigned = services.profile_create(
        actor=None, code="asignado", name="Asignado", scope=Profile.Scope.ASSIGNED, permissions=[]
    )
    person = UserFactory(institution=member, profile=profile("analyst"))
    suspended = UserFactory(institution=member, profile=profile("analyst"))
    suspended.status = suspended.Status.SUSPENDED
    suspended.save()
    request = registry._account_request(member)
    request.status = AccountRequest.Status.SUBMITTED
    request.save()
    change = registry._change(member)
    change.status = AccountChangeRequest.Status.SUBMITTED
    change.save()
    return {
        "member": member,
        "person": person,
        "suspended": suspended,
        "assigned_person": UserFactory(institution=member, profile=assigned),
        "custom": assigned,
        "agreement": registry._agreement(member),
        "request": request,
        "change": change,
        "letter": registry._letter(member),
        "wrong": {
            "analyst": UserFactory(institution=member, profile=profile("analyst")),
            "other_institution_admin": UserFactory(institution=other_member, profile=profile("institution_admin")),
        },
    }


def _request_document(w):
    from accounts.models import RequestDocument

    return RequestDocument.objects.get(pk=registry._request_document(w["member"]))


WRITES = {
    "profile_create": lambda w, a: services.profile_create(
        actor=a, code="x", name="x", scope=Profile.Scope.INSTITUTION, permissions=[]
    ),
    "profile_update": lambda w, a: services.profile_update(
        actor=a, profile=w["custom"], name="x", scope=Profile.Scope.PLATFORM, permissions=[]
    ),
    "profile_deactivate": lambda w, a: services.profile_deactivate(actor=a, profile=w["custom"]),
    "profile_activate": lambda w, a: services.profile_activate(actor=a, profile=w["custom"]),
    "user_create": lambda w, a: services.user_create(
        username="nuevo", institution=w["member"], profile=profile("analyst"), actor=a, email="n@example.gob.mx"
    ),
    "user_set_profile": lambda w, a: services.user_set_profile(
        user=w["person"], profile=profile("institution_admin"), actor=a
    ),
    "assignment_grant": lambda w, a: services.assignment_grant(user=w["assigned_person"], obj=w["agreement"], actor=a),
    "assignment_revoke": lambda w, a: services.assignment_revoke(
        user=w["assigned_person"], obj=w["agreement"], actor=a
    ),
    "account_reactivate": lambda w, a: services.account_reactivate(user=w["suspended"], actor=a, reason="x"),
    "account_change_request": lambda w, a: request_change(user=w["person"], actor=a, kind="suspension", reason="x"),
    "account_change_resubmit": lambda w, a: services_changes.account_change_resubmit(
        change=w["change"], actor=a, reason="x"
    ),
    "account_change_reject": lambda w, a: services_changes.account_change_reject(
        change=w["change"], actor=a, reason="x"
    ),
    "account_change_return": lambda w, a: services_changes.account_change_return(
        change=w["change"], actor=a, reason="x"
    ),
    "account_change_approve": lambda w, a: approve_change(change=w["change"], actor=a),
    "change_document_check": lambda w, a: services_changes.change_document_check(
        document=w["change"].documents.first(), actor=a, valid=True
    ),
    "profile_catalog_pdf": lambda w, a: services_changes.profile_catalog_pdf(
        user=w["person"], actor=a, kind=AccountChangeRequest.Kind.SUSPENSION, reason="x"
    ),
    "letter_template_save": lambda w, a: services_letters.letter_template_save(
        template=LetterTemplate.objects.first() or services_letters.letter_template_get(), actor=a, title="x", body="x"
    ),
    "letter_scan_upload": lambda w, a: services_letters.letter_scan_upload(
        letter=w["letter"], actor=a, file=pdf_upload()
    ),
    "letter_scan_review": lambda w, a: services_letters.letter_scan_review(letter=w["letter"], actor=a, valid=True),
    "required_document_save": lambda w, a: services_onboarding.required_document_save(
        document=RequiredDocument.objects.first(), actor=a
    ),
    "account_request_create": lambda w, a: services_onboarding.account_request_create(
        institution=w["member"], actor=a, data={}
    ),
    "account_request_update": lambda w, a: services_onboarding.account_request_update(
        request=w["request"], actor=a, data={}
    ),
    "account_request_upload_document": lambda w, a: services_onboarding.account_request_upload_document(
        request=w["request"], actor=a, requirement=RequiredDocument.objects.first(), file=pdf_upload()
    ),
    "account_request_submit": lambda w, a: services_onboarding.account_request_submit(request=w["request"], actor=a),
    "account_request_withdraw": lambda w, a: services_onboarding.account_request_withdraw(
        request=w["request"], actor=a
    ),
    "request_document_check": lambda w, a: services_onboarding.request_document_check(
        document=_request_document(w), actor=a, valid=True
    ),
    "account_request_reject": lambda w, a: services_onboarding.account_request_reject(
        request=w["request"], actor=a, reason="x"
    ),
    "account_request_return": lambda w, a: services_onboarding.account_request_return(
        request=w["request"], actor=a, reason="x"
    ),
    "account_request_approve": lambda w, a: services_onboarding.account_request_approve(request=w["request"], actor=a),
    "activation_link_send": lambda w, a: services_onboarding.activation_link_send(user=w["person"], actor=a),
}


def test_every_write_service_is_in_the_table():
    """A new service with an ``actor`` argument must be added to WRITES, so it is checked here."""
    writes = {
        name
        for module in MODULES
        for name, fn in vars(module).items()
        if inspect.isfunction(fn)
        and fn.__module__ == module.__name__
        and not name.startswith("_")
        and not name.startswith("check_")
        and "actor" in inspect.signature(fn).parameters
        and inspect.signature(fn).parameters["actor"].kind is inspect.Parameter.KEYWORD_ONLY
    }
    assert writes == set(WRITES)


@pytest.mark.parametrize("who", ["analyst", "other_institution_admin"])
@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_wrong_actor_is_refused_by_the_service_itself(world, name, who):
    with pytest.raises(PermissionDenied):
        WRITES[name](world, world["wrong"][who])
