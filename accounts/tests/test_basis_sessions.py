"""An open session ends with its institution's basis of access, before the daily job (issue 15)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory, profile
from accounts.tests.lockout_helpers import attempt, outcome, signed_in
from agreements.models import Agreement

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _end_basis_yesterday(institution):
    """The agreement's last day was yesterday; the daily job has not moved any status."""
    agreement = Agreement.objects.filter(parties__institution=institution).get()
    Agreement.objects.filter(pk=agreement.pk).update(term_kind="until_date", term_until=TODAY - timedelta(days=1))
    agreement.refresh_from_db()
    agreement.save()  # recomputes end_date (and forgets the cached standing)
    return agreement


def test_a_signed_in_analyst_is_signed_out_on_the_next_request_and_reads_why(client, member, auth_events):
    analyst = UserFactory(institution=member, username="analista.inst")
    assert outcome(attempt(client, "analista.inst", PASSWORD)) == "in"
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # the standing now comes from the cache

    _end_basis_yesterday(member)
    response = client.get("/convenios/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/cuenta/entrar/")
    page = response.content.decode()
    assert "Su sesión terminó." in page and "sin convenio" in page and "vigente" in page
    assert not signed_in(client)
    assert not analyst.tracked_sessions.exists()
    ended = auth_events.of("session_ended_no_basis")
    assert len(ended) == 1 and ended[0]["target"] == analyst
    assert ended[0]["detail"]["cause"] == User.SuspendedFor.NO_BASIS
    analyst.refresh_from_db()
    assert analyst.status == User.Status.ACTIVE  # no daily job ran: only the session ended


def test_a_commission_user_keeps_the_session(client, member, commission):
    UserFactory(institution=member, username="analista.inst")
    UserFactory(institution=commission, username="comision.rev", profile=profile("commission_reviewer"))
    client.force_login(User.objects.get(username="comision.rev"))
    assert client.get("/").status_code == 200
    _end_basis_yesterday(member)
    assert client.get("/").status_code == 200
    assert signed_in(client)
