"""001 Cap. III.1 II: once the deadline for the list of entitled people and the commitment letter
passes without them, the daily job alerts the member and the commission, once per membership."""

from datetime import timedelta

import pytest

from agreements import services
from agreements.tests.factories import pdf_upload
from kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db

TEMPLATE = "agreement_membership_follow_up_overdue"


def _accepted_membership(member, institution_admin, commission_admin):
    membership = services.membership_request(
        institution=member,
        actor=institution_admin,
        responsible_name="Responsable",
        agreement_proof=pdf_upload("a.pdf"),
        responsible_letter=pdf_upload("b.pdf"),
        security_statement=pdf_upload("c.pdf"),
    )
    return services.membership_accept(membership=membership, actor=commission_admin)


def test_001_cap_iii_1_ii_overdue_post_registration_documents_are_alerted_once(
    member, institution_admin, commission_admin
):
    membership = _accepted_membership(member, institution_admin, commission_admin)
    due = membership.follow_up_due
    assert services.agreements_daily(today=due)["membership_follow_up_overdue"] == 0
    assert services.agreements_daily(today=due + timedelta(days=1))["membership_follow_up_overdue"] == 1
    alerts = Notification.objects.filter(template=TEMPLATE)
    sent = alerts.count()
    assert services.agreements_daily(today=due + timedelta(days=2))["membership_follow_up_overdue"] == 0
    assert alerts.count() == sent  # once per membership, not once a day
    people = set(alerts.values_list("recipient", flat=True))
    assert {institution_admin.pk, commission_admin.pk} <= people
    assert member.acronym in alerts.filter(recipient=institution_admin).first().subject


def test_001_cap_iii_1_ii_documents_sent_in_time_raise_no_alert(member, institution_admin, commission_admin):
    membership = _accepted_membership(member, institution_admin, commission_admin)
    services.membership_follow_up_submit(
        membership=membership,
        actor=institution_admin,
        entitled_users_file=pdf_upload("usuarios.pdf"),
        commitment_letter_file=pdf_upload("carta.pdf"),
    )
    services.agreements_daily(today=membership.follow_up_due + timedelta(days=5))
    assert not Notification.objects.filter(template=TEMPLATE).exists()
