"""Access-review campaigns: opening, answers, the default decision on no answer, revocation, late
answers, reminders, dormant accounts and each institution's scope."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access_reviews import selectors, services
from access_reviews.models import ReviewCampaign, ReviewItem
from accounts.models import User
from accounts.tests.factories import UserFactory, profile
from audit.models import Event
from kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)  # a business day; 10 business days later is 2026-03-16 (Benito Juárez's day: the 17th)
Decision = ReviewItem.Decision


@pytest.fixture
def inst_admin(member):
    return UserFactory(institution=member, profile=profile("institution_admin"), username="adm.uno")


@pytest.fixture
def other_admin(other_member):
    return UserFactory(institution=other_member, profile=profile("institution_admin"), username="adm.dos")


@pytest.fixture
def analyst(member):
    return UserFactory(institution=member, username="ana.uno")


@pytest.fixture
def other_analyst(other_member):
    return UserFactory(institution=other_member, username="ana.dos")


@pytest.fixture
def campaign(commission_admin, inst_admin, other_admin, analyst, other_analyst):
    return services.campaign_open(
        actor=commission_admin, name="Revisión 2026-1", business_days=10, reminder_days=[5, 1], today=MONDAY
    )


def item_of(campaign, user):
    return ReviewItem.objects.get(campaign=campaign, user=user)


def test_open_puts_every_live_account_of_member_institutions_and_computes_the_due_date(
    campaign, commission_admin, analyst, other_analyst, inst_admin
):
    reviewed = set(campaign.items.values_list("user__username", flat=True))
    assert reviewed == {"adm.uno", "adm.dos", "ana.uno", "ana.dos"}  # not the commission's own staff
    # 10 business days from Monday 2 March 2026, skipping weekends and 16 March (Benito Juárez's day).
    assert campaign.due_on == date(2026, 3, 17)
    assert campaign.reminder_days == [5, 1]
    assert Notification.objects.filter(recipient=inst_admin, template="access_review_opened").exists()
    assert Event.objects.filter(action="review_campaign_opened", actor_id=commission_admin.pk).exists()


def test_open_some_institutions_only(commission_admin, member, inst_admin, analyst, other_analyst):
    campaign = services.campaign_open(
        actor=commission_admin, name="Solo una", business_days=5, institutions=[member], today=MONDAY
    )
    assert set(campaign.items.values_list("institution", flat=True)) == {member.pk}


def test_only_the_commission_opens(inst_admin, analyst):
    with pytest.raises(PermissionDenied):
        services.campaign_open(actor=inst_admin, name="x", business_days=5, today=MONDAY)


def test_reminders_must_fall_inside_the_term(commission_admin, analyst):
    with pytest.raises(ValidationError):
        services.campaign_open(actor=commission_admin, name="x", business_days=5, reminder_days=[5], today=MONDAY)


def test_no_response_suspends_at_the_due_date(campaign, analyst):
    # On the due date itself nothing happens yet: the day belongs to the reviewers.
    services.access_reviews_daily(today=campaign.due_on)
    analyst.refresh_from_db()
    assert analyst.status == User.Status.ACTIVE

    services.access_reviews_daily(today=campaign.due_on + timedelta(days=1))
    analyst.refresh_from_db()
    campaign.refresh_from_db()
    assert campaign.status == ReviewCampaign.Status.CLOSED
    assert analyst.status == User.Status.SUSPENDED
    assert not analyst.is_active
    assert analyst.history.first().history_change_reason == "no ratificada en la revisión de accesos"
    assert item_of(campaign, analyst).decision == Decision.UNCONFIRMED
    assert Event.objects.filter(action="review_account_suspended", target_id=str(analyst.pk)).exists()


def test_confirmed_account_stays_live(campaign, inst_admin, analyst):
    services.item_confirm(actor=inst_admin, item=item_of(campaign, analyst), today=MONDAY)
    services.campaign_close(campaign=campaign, today=campaign.due_on + timedelta(days=1))
    analyst.refresh_from_db()
    assert analyst.status == User.Status.ACTIVE
    item = item_of(campaign, analyst)
    assert item.decision == Decision.CONFIRMED and item.decided_by == inst_admin
    assert Event.objects.filter(action="review_item_confirmed", actor_id=inst_admin.pk).exists()


def test_revoked_account_is_cancelled_at_the_close_with_its_reason(campaign, inst_admin, analyst):
    with pytest.raises(ValidationError):
        services.item_revoke(actor=inst_admin, item=item_of(campaign, analyst), reason="  ", today=MONDAY)
    services.item_revoke(actor=inst_admin, item=item_of(campaign, analyst), reason="Dejó la institución", today=MONDAY)
    analyst.refresh_from_db()
    assert analyst.status == User.Status.ACTIVE  # effective at the close, not before
    services.campaign_close(campaign=campaign, today=campaign.due_on + timedelta(days=1))
    analyst.refresh_from_db()
    assert analyst.status == User.Status.CANCELLED
    assert "Dejó la institución" in analyst.history.first().history_change_reason
    report = {r.acronym: r for r in selectors.campaign_report(user=campaign.opened_by, campaign=campaign)}
    mine = report[analyst.institution.acronym]
    assert (mine.revoked, mine.unconfirmed, mine.confirmed) == (1, 1, 0)  # the admin's own account: nobody answered


def test_a_decision_can_change_until_the_due_date(campaign, inst_admin, analyst):
    item = item_of(campaign, analyst)
    services.item_revoke(actor=inst_admin, item=item, reason="Error", today=MONDAY)
    services.item_confirm(actor=inst_admin, item=item, today=campaign.due_on)
    assert item_of(campaign, analyst).decision == Decision.CONFIRMED


def test_late_confirmation_after_the_due_date_is_refused_and_the_account_stays_suspended(campaign, inst_admin, analyst):
    after = campaign.due_on + timedelta(days=1)
    # Before the daily job has closed the campaign, the deadline already holds.
    with pytest.raises(ValidationError, match="ya no recibe respuestas"):
        services.item_confirm(actor=inst_admin, item=item_of(campaign, analyst), today=after)
    services.campaign_close(campaign=campaign, today=after)
    with pytest.raises(ValidationError, match="solicite su reactivación"):
        services.item_confirm(actor=inst_admin, item=item_of(campaign, analyst), today=after)
    analyst.refresh_from_db()
    assert analyst.status == User.Status.SUSPENDED
    assert item_of(campaign, analyst).decision == Decision.UNCONFIRMED
    assert Event.objects.filter(action="review_late_answer_refused", actor_id=inst_admin.pk).count() == 2


def test_closing_twice_changes_nothing(campaign, analyst):
    after = campaign.due_on + timedelta(days=1)
    services.campaign_close(campaign=campaign, today=after)
    before = analyst.history.count()
    services.campaign_close(campaign=campaign, today=after + timedelta(days=1))
    assert analyst.history.count() == before


def test_an_institution_admin_cannot_answer_another_institutions_items(campaign, inst_admin, other_analyst):
    foreign = item_of(campaign, other_analyst)
    with pytest.raises(PermissionDenied):
        services.item_confirm(actor=inst_admin, item=foreign, today=MONDAY)
    with pytest.raises(PermissionDenied):
        services.item_revoke(actor=inst_admin, item=foreign, reason="x", today=MONDAY)
    assert not selectors.item_list(user=inst_admin, campaign=campaign).filter(pk=foreign.pk).exists()
    assert [r.acronym for r in selectors.campaign_report(user=inst_admin, campaign=campaign)] == [
        inst_admin.institution.acronym
    ]


def test_nobody_answers_for_their_own_account_but_the_commission_can(campaign, inst_admin, commission_admin):
    own = item_of(campaign, inst_admin)
    with pytest.raises(ValidationError, match="propia cuenta"):
        services.item_confirm(actor=inst_admin, item=own, today=MONDAY)
    services.item_confirm(actor=commission_admin, item=own, today=MONDAY)
    assert item_of(campaign, inst_admin).decision == Decision.CONFIRMED


def test_an_analyst_cannot_answer(campaign, analyst, inst_admin):
    with pytest.raises(PermissionDenied):
        services.item_confirm(actor=analyst, item=item_of(campaign, inst_admin), today=MONDAY)


def test_reminders_go_once_each_to_institutions_with_pending_accounts(
    campaign, inst_admin, other_admin, analyst, commission_admin
):
    # One member has every account answered (its administrator's by the commission); the other has none.
    services.item_confirm(actor=inst_admin, item=item_of(campaign, analyst), today=MONDAY)
    services.item_confirm(actor=commission_admin, item=item_of(campaign, inst_admin), today=MONDAY)
    five_before = date(2026, 3, 9)  # 5 business days before 17 March (the 16th is a holiday)
    assert services.campaign_remind(campaign=campaign, today=five_before - timedelta(days=1)) == 0
    assert services.campaign_remind(campaign=campaign, today=five_before) == 1
    assert services.campaign_remind(campaign=campaign, today=five_before) == 0  # not twice
    reminded = Notification.objects.filter(template="access_review_reminder", channel="inapp")
    assert list(reminded.values_list("recipient__username", flat=True)) == ["adm.dos"]


def test_dormant_accounts(member, inst_admin, commission_admin):
    now = timezone.now()
    UserFactory(institution=member, username="vieja", last_login=now - timedelta(days=91))
    UserFactory(institution=member, username="reciente", last_login=now - timedelta(days=5))
    UserFactory(institution=member, username="nunca", last_login=None, date_joined=now - timedelta(days=200))
    UserFactory(institution=member, username="nueva", last_login=None)  # created today
    UserFactory(institution=member, username="suspendida", status=User.Status.SUSPENDED, last_login=None)
    dormant = set(selectors.dormant_accounts(user=inst_admin).values_list("username", flat=True))
    assert {"vieja", "nunca"} <= dormant
    assert not dormant & {"reciente", "nueva", "suspendida"}
    campaign = services.campaign_open(actor=commission_admin, name="Con inactivas", business_days=5)
    flagged = set(campaign.items.filter(dormant=True).values_list("user__username", flat=True))
    assert {"vieja", "nunca"} <= flagged and "reciente" not in flagged


def test_dormant_threshold_is_a_setting(settings, member, inst_admin):
    UserFactory(institution=member, username="treinta", last_login=timezone.now() - timedelta(days=31))
    assert not selectors.dormant_accounts(user=inst_admin).filter(username="treinta").exists()
    settings.PORTAL_DORMANT_DAYS = 30
    assert selectors.dormant_accounts(user=inst_admin).filter(username="treinta").exists()


def test_dormant_accounts_of_another_institution_are_not_shown(other_member, inst_admin):
    UserFactory(
        institution=other_member, username="ajena", last_login=None, date_joined=timezone.now() - timedelta(days=400)
    )
    assert not selectors.dormant_accounts(user=inst_admin).filter(username="ajena").exists()
