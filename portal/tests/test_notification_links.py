"""Every notification and e-mail links to the item it is about, at a page its recipient may open
(issue 21). Checked over the demo's data, which sends every kind of notice the journeys produce."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from kernel.notifications.models import Notification
from kernel.site import absolute_url

pytestmark = pytest.mark.django_db

# Their text is a one-time link (activation, password reset): no second link is added.
ONE_TIME = {"password_reset", "account_activation"}


@pytest.fixture
def demo():
    call_command("seed_demo", "--force", stdout=io.StringIO())


def test_every_kind_of_notification_in_the_demo_links_to_its_item_and_every_link_opens(demo, client):
    rows = Notification.objects.exclude(template__in=ONE_TIME).select_related("recipient")
    kinds = set(rows.values_list("template", flat=True))
    assert len(kinds) > 25  # the demo sends most kinds; a smaller count means the seed changed
    without = sorted(set(rows.filter(link="").values_list("template", flat=True)))
    assert not without, f"notifications without a link: {without}"
    for row in rows.filter(channel=Notification.Channel.EMAIL):
        assert absolute_url(row.link) in row.body, row.template  # the e-mail ends with the address

    # The recipient opens it: a person who may sign in gets the page (200, never 403/404); one
    # who may not (suspended) is sent to the sign-in page, which says why.
    failures = []
    pairs = sorted(set(rows.values_list("recipient_id", "link", "template")))
    for recipient_id, link, template in pairs:
        recipient = User.objects.get(pk=recipient_id)
        if recipient.status not in User.LIVE_STATUSES:
            if link != "/cuenta/entrar/":
                failures.append((template, recipient.username, link, "not the sign-in page"))
            continue
        client.force_login(recipient)
        status = client.get(link).status_code
        if status != 200:
            failures.append((template, recipient.username, link, status))
    assert not failures, failures
