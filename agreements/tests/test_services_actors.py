"""Every write service checks its actor itself (the view's declared rule is only the first gate).

Each service is called by a wrong actor: an analyst of the member institution (no write
permission) and an administrator of another institution (the permission for some writes, but
not over this institution's rows). Both are refused with PermissionDenied before anything is
written; the services' own tests show the right actors succeed.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from agreements import services
from agreements.models import Document, Membership, NonWorkingDay, Signatory
from agreements.tests.factories import make_agreement, pdf_upload, png_upload
from portal.tests import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(commission, member, other_member, commission_admin):
    from accounts.tests.factories import UserFactory, profile

    agreement = make_agreement(members=[member], commission=commission, actor=commission_admin)
    return {
        "member": member,
        "agreement": agreement,
        "party": agreement.parties.get(institution=member),
        "notice": registry._notice(member),
        "obligation": registry._obligation(member),
        "signatory": registry._signatory(member),
        "membership": registry._membership(member),
        "day": NonWorkingDay.objects.get(pk=registry._non_working_day(member)),
        "wrong": {
            "analyst": UserFactory(institution=member, profile=profile("analyst")),
            "other_institution_admin": UserFactory(institution=other_member, profile=profile("institution_admin")),
        },
    }


WRITES = {
    "document_upload": lambda w, actor: services.document_upload(
        actor=actor, institution=w["member"], agreement=w["agreement"], kind="annex", title="x", file=pdf_upload()
    ),
    "agreement_create": lambda w, actor: services.agreement_create(
        actor=actor, folio="X-1", title="x", kind="coordination", purpose="x", term_kind="indefinite", parties=[]
    ),
    "agreement_activate": lambda w, actor: services.agreement_activate(agreement=w["agreement"], actor=actor),
    "agreement_draft_update": lambda w, actor: services.agreement_draft_update(
        agreement=w["agreement"], actor=actor, data={"title": "x"}
    ),
    "agreement_renew": lambda w, actor: services.agreement_renew(
        agreement=w["agreement"], actor=actor, folio="X-2", signed_on=date(2031, 1, 1), renewal_file=pdf_upload()
    ),
    "amendment_create": lambda w, actor: services.amendment_create(
        agreement=w["agreement"], actor=actor, signed_on=date(2031, 1, 1), summary="x", file=pdf_upload(), new_terms={}
    ),
    "amendment_register": lambda w, actor: services.amendment_register(
        agreement=w["agreement"], actor=actor, signed_on=date(2031, 1, 1), summary="x", document=None, new_terms={}
    ),
    "termination_notice_create": lambda w, actor: services.termination_notice_create(
        agreement=w["agreement"],
        actor=actor,
        kind="rescission",
        notifying_party=w["party"],
        notified_on=date.today(),
        reason="x",
        notice_file=pdf_upload(),
    ),
    "rescission_answer": lambda w, actor: services.rescission_answer(
        notice=w["notice"], actor=actor, answer="x", answered_on=date.today()
    ),
    "termination_finalize": lambda w, actor: services.termination_finalize(notice=w["notice"], actor=actor),
    "termination_withdraw": lambda w, actor: services.termination_withdraw(notice=w["notice"], actor=actor),
    "obligation_create": lambda w, actor: services.obligation_create(
        agreement=w["agreement"],
        actor=actor,
        party=w["party"],
        description="x",
        schedule="monthly",
        starts_on=date(2026, 1, 1),
        business_days=5,
    ),
    "compliance_create": lambda w, actor: services.compliance_create(
        obligation=w["obligation"],
        actor=actor,
        evidence_file=pdf_upload(),
        period_start=date(2026, 1, 1),
        delivered_on=date(2026, 1, 5),
        delivered_by="x",
        supply_ok=True,
        quality_ok=True,
    ),
    "compliance_record": lambda w, actor: services.compliance_record(
        obligation=w["obligation"],
        actor=actor,
        period_start=date(2026, 1, 1),
        delivered_on=date(2026, 1, 5),
        delivered_by="x",
        supply_ok=True,
        quality_ok=True,
    ),
    "officer_designate": lambda w, actor: services.officer_designate(
        party=w["party"],
        actor=actor,
        role="general",
        full_name="x",
        position="x",
        phone="1",
        email="enlace@example.gob.mx",
        address="x",
        functions="x",
        notified_on=date.today(),
    ),
    "officer_account_set": lambda w, actor: services.officer_account_set(
        officer=_officer(w), actor=actor, account=None
    ),
    "officer_letter_sign": lambda w, actor: services.officer_letter_sign(officer=_officer(w), actor=actor),
    "signatory_submit": lambda w, actor: services.signatory_submit(
        institution=w["member"],
        actor=actor,
        full_name="x",
        position="x",
        rank="x",
        specimen_file=png_upload(),
        valid_from=date(2026, 1, 1),
        attested=True,
    ),
    "signatory_register": lambda w, actor: services.signatory_register(signatory=w["signatory"], actor=actor),
    "signatory_reject": lambda w, actor: services.signatory_reject(signatory=w["signatory"], actor=actor, note="x"),
    "signatory_revoke": lambda w, actor: services.signatory_revoke(signatory=w["signatory"], actor=actor, note="x"),
    "membership_request": lambda w, actor: services.membership_request(
        institution=w["member"],
        actor=actor,
        responsible_name="x",
        agreement_proof=pdf_upload(),
        responsible_letter=pdf_upload(),
        security_statement=pdf_upload(),
    ),
    "membership_accept": lambda w, actor: services.membership_accept(membership=w["membership"], actor=actor),
    "membership_deny": lambda w, actor: services.membership_deny(
        membership=w["membership"], actor=actor, reason=Membership.DenyReason.values[0]
    ),
    "membership_exit": lambda w, actor: services.membership_exit(membership=w["membership"], actor=actor),
    "membership_terminate": lambda w, actor: services.membership_terminate(
        membership=w["membership"], actor=actor, reason="x"
    ),
    "member_notice_send": lambda w, actor: services.member_notice_send(
        actor=actor, kind="x", subject="x", body="x", change_on=date(2031, 1, 1)
    ),
    "non_working_day_add": lambda w, actor: services.non_working_day_add(
        actor=actor, day=date(2031, 1, 2), description="x"
    ),
    "non_working_day_remove": lambda w, actor: services.non_working_day_remove(actor=actor, entry=w["day"]),
    "party_set_designation_deadline": lambda w, actor: services.party_set_designation_deadline(
        party=w["party"], actor=actor, due_on=date(2031, 1, 1)
    ),
    "officer_deputy_add": lambda w, actor: services.officer_deputy_add(
        officer=_officer(w), actor=actor, full_name="x", position="x"
    ),
    "officer_report_file": lambda w, actor: services.officer_report_file(
        officer=_officer(w),
        actor=actor,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        filed_on=date(2026, 4, 1),
        report_file=pdf_upload(),
    ),
    "membership_set_responsible": lambda w, actor: services.membership_set_responsible(
        membership=w["membership"], actor=actor, user=w["wrong"]["analyst"]
    ),
    "membership_follow_up_submit": lambda w, actor: services.membership_follow_up_submit(
        membership=w["membership"], actor=actor, entitled_users_file=pdf_upload(), commitment_letter_file=pdf_upload()
    ),
    "party_address_change": lambda w, actor: services.party_address_change(
        party=w["party"], actor=actor, address="Otra calle 1", notified_on=date(2026, 1, 1)
    ),
    "institution_suspension_start": lambda w, actor: services.institution_suspension_start(
        institution=w["member"], actor=actor, reason="requirements_unmet", text="x"
    ),
    "institution_suspension_lift": lambda w, actor: services.institution_suspension_lift(
        suspension=_suspension(w), actor=actor, note="x"
    ),
}


def _suspension(w):
    """An immediate suspension of the world's member, recorded directly (the write under test is the lift)."""
    from agreements.models import InstitutionSuspension

    return InstitutionSuspension.objects.create(institution=w["member"], reason="requirements_unmet", text="x")


def _officer(w):
    """An officer of the world's party, designated by the system (the write under test is the next one)."""
    return services.officer_designate(
        party=w["party"],
        actor=None,
        role="technical",
        full_name="Enlace",
        position="x",
        phone="1",
        email="enlace@example.gob.mx",
        address="x",
        functions="x",
        notified_on=date(2025, 12, 1),
    )


def test_every_write_service_is_in_the_table():
    """A new write service (keyword-only ``actor``) must be added to WRITES, so it is checked here."""
    import inspect

    writes = {
        name
        for name, fn in vars(services).items()
        if inspect.isfunction(fn)
        and fn.__module__.startswith(services.__name__ + ".")
        and not name.startswith("_")
        and "actor" in inspect.signature(fn).parameters
    }
    assert writes == set(WRITES)


@pytest.mark.parametrize("who", ["analyst", "other_institution_admin"])
@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_wrong_actor_is_refused_by_the_service_itself(world, name, who):
    documents, signatories = Document.objects.count(), Signatory.objects.count()
    with pytest.raises(PermissionDenied):
        WRITES[name](world, world["wrong"][who])
    assert (Document.objects.count(), Signatory.objects.count()) == (documents, signatories)
