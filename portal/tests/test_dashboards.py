"""Dashboards: each audience gets its figures, scoped, as a chart's data and as a table."""

import json
import re

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import CommissionFactory, InstitutionFactory
from portal import dashboards

pytestmark = pytest.mark.django_db


def chart_data(html, key):
    match = re.search(rf'<script id="{key}-datos" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no json_script block for {key}"
    return json.loads(match.group(1))


def table_rows(html, key):
    """(row header, [cells]) of the figure's table."""
    section = html[html.index(f'id="{key}-titulo"') :]
    section = section[: section.index("</table>")]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', section, re.S)
    return [(label, re.findall(r'<td class="num">(.*?)</td>', cells)) for label, cells in rows]


@pytest.fixture
def two_institutions(db):
    commission = CommissionFactory()
    mine, other = InstitutionFactory(), InstitutionFactory()
    admin = UserFactory(institution=mine, profile=profile("institution_admin"), username="admin.mia")
    UserFactory(institution=mine, status=User.Status.SUSPENDED)
    UserFactory.create_batch(3, institution=other)
    boss = UserFactory(institution=commission, profile=profile("commission_admin"), username="jefa")
    return admin, boss


def test_commission_sees_platform_figures_as_chart_and_table(two_institutions, login):
    _, boss = two_institutions
    html = login(boss).get("/").content.decode()
    data = chart_data(html, "cuentas-estado")
    by_status = dict(zip(data["labels"], data["series"][0]["values"], strict=True))
    assert by_status["Activa"] == 5  # two institutions' staff and the commission admin
    assert by_status["Suspendida"] == 1
    rows = dict(table_rows(html, "cuentas-estado"))
    assert rows["Activa"] == ["5"] and rows["Suspendida"] == ["1"]
    assert "vendor/chart.js/chart.umd.js" in html and "js/dashboards.js" in html
    assert 'role="img"' in html


def test_institution_admin_sees_only_its_own_institution(two_institutions, login):
    admin, _ = two_institutions
    html = login(admin).get("/").content.decode()
    data = chart_data(html, "cuentas-estado")
    by_status = dict(zip(data["labels"], data["series"][0]["values"], strict=True))
    assert by_status["Activa"] == 1 and by_status["Suspendida"] == 1
    weekly = chart_data(html, "cuentas-altas")
    assert sum(weekly["series"][0]["values"]) == 2
    assert len(weekly["labels"]) == dashboards.WEEKS


def test_a_profile_without_the_permission_gets_no_account_figures(two_institutions, login):
    analyst = UserFactory(institution=two_institutions[0].institution)
    html = login(analyst).get("/").content.decode()
    assert "cuentas-estado-datos" not in html


def test_week_starts_are_mondays_oldest_first():
    import datetime as dt

    mondays = dashboards.week_starts(4, today=dt.date(2026, 11, 19))
    assert mondays == [dt.date(2026, 10, 26), dt.date(2026, 11, 2), dt.date(2026, 11, 9), dt.date(2026, 11, 16)]


def test_commission_sees_locks_usage_and_institutions_from_the_history_log(two_institutions, login):
    from audit.services import record_event

    admin, boss = two_institutions
    analyst = UserFactory(institution=admin.institution, username="analista.uso")
    for _ in range(3):
        record_event(category="auth", action="login_success", actor=analyst)
    record_event(category="auth", action="lock", username=analyst.username, target=analyst)
    record_event(category="auth", action="suspension", username=analyst.username, target=analyst)
    record_event(category="auth", action="lock", username="nadie.existe")  # no account was locked
    # Searches are the list pages' accesses with a filter filled (the access log keeps them).
    client = login(analyst)
    client.get("/convenios/", {"q": "CONV"})
    client.get("/convenios/", {"status": "in_force", "q": ""})
    client.get("/convenios/")  # opening the list is no search
    client.get("/convenios/", {"q": "", "status": ""})  # nor is sending an empty form
    client.logout()
    login(admin).get("/usuarios/", {"q": "ana"})  # not an analyst
    client.logout()

    html = login(boss).get("/").content.decode()
    locks = chart_data(html, "bloqueos")
    assert [s["values"][-1] for s in locks["series"]] == [1, 1]
    usage = chart_data(html, "uso-semanal")
    # Sign-ins this week: the analyst's three and the three through the login form.
    logins, people, searches = (s["values"][-1] for s in usage["series"])
    assert (logins, people, searches) == (6, 3, 2)
    per_institution = chart_data(html, "uso-instituciones")
    row = per_institution["labels"].index(admin.institution.acronym)
    assert [s["values"][row] for s in per_institution["series"]] == [5, 2, 2]  # analysts' searches only


def test_institution_admin_gets_no_platform_usage_figures(two_institutions, login):
    admin, _ = two_institutions
    html = login(admin).get("/").content.decode()
    assert "bloqueos-datos" not in html and "uso-instituciones-datos" not in html


def test_a_reviewer_without_the_history_log_gets_no_figures_read_from_it(two_institutions, login):
    from audit.services import record_event

    admin, boss = two_institutions
    record_event(category="auth", action="login_success", actor=admin)
    reviewer = UserFactory(institution=boss.institution, profile=profile("commission_reviewer"))
    html = login(reviewer).get("/").content.decode()
    assert "cuentas-estado-datos" in html  # platform figures it may read are still there
    for key in ("bloqueos", "uso-semanal", "uso-instituciones"):
        assert f"{key}-datos" not in html


def test_weeks_are_counted_in_mexico_city_time(two_institutions):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from audit.models import Event
    from audit.selectors import event_counts_by_week

    admin, boss = two_institutions
    local = ZoneInfo("America/Mexico_City")
    # Sunday 23:30 in Mexico City is already Monday in UTC: it belongs to the week of Nov 9.
    Event.objects.create(
        category="auth",
        action="login_success",
        actor_id=admin.pk,
        institution_id=admin.institution_id,
        occurred_at=dt.datetime(2026, 11, 15, 23, 30, tzinfo=local),
    )
    Event.objects.create(
        category="auth",
        action="login_success",
        actor_id=admin.pk,
        institution_id=admin.institution_id,
        occurred_at=dt.datetime(2026, 11, 16, 0, 30, tzinfo=local),
    )
    counts = event_counts_by_week(user=boss, actions=("login_success",), since=dt.datetime(2026, 11, 9, tzinfo=local))
    assert counts[("login_success", dt.date(2026, 11, 9))] == 1
    assert counts[("login_success", dt.date(2026, 11, 16))] == 1


def test_cached_figures_are_kept_per_scope_and_said_to_refresh(two_institutions, login, settings, client):
    from django.core.cache import caches

    cache = caches["shared"]  # one copy of each figure for every worker

    settings.PORTAL_FIGURE_CACHE_SECONDS = 300
    cache.clear()
    admin, boss = two_institutions
    other_admin = UserFactory(
        institution=InstitutionFactory(), profile=profile("institution_admin"), username="admin.otra"
    )

    def active_accounts(user):
        html = login(user).get("/").content.decode()
        client.logout()
        data = chart_data(html, "cuentas-estado")
        return dict(zip(data["labels"], data["series"][0]["values"], strict=True))["Activa"], html

    mine, html = active_accounts(admin)
    assert mine == 1 and "se actualizan cada 5 minutos" in html
    # Another institution's administrator never gets the figure built for the first one.
    assert active_accounts(other_admin)[0] == 1
    assert active_accounts(boss)[0] == 6  # the platform's figure: every institution's staff
    # Within the five minutes the figure is the one computed before.
    UserFactory(institution=admin.institution)
    assert active_accounts(admin)[0] == 1
    cache.clear()
    assert active_accounts(admin)[0] == 2


def test_agreements_ending_on_the_same_day_are_each_counted_for_an_institution(two_institutions, login):
    import datetime as dt

    from django.utils import timezone

    from agreements.tests.factories import make_agreement

    admin, boss = two_institutions
    ends = timezone.localdate() + dt.timedelta(days=60)
    for _ in range(2):
        make_agreement(
            members=[admin.institution], commission=boss.institution, term_kind="until_date", term_until=ends
        )
    html = login(admin).get("/").content.decode()
    data = chart_data(html, "convenios-por-vencer")
    assert sum(data["series"][0]["values"]) == 2
