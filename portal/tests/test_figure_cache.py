"""Dashboard figures are built once for every worker (the "shared" cache), rebuilt by the beat job
or by one view under a lock, never by every view or every worker."""

import time

import pytest

from accounts.tests.factories import UserFactory, profile
from portal import dashboards
from portal.dashboards import Figure, Series, figure, figure_cache, figure_key, figures_for
from portal.tasks import refresh_dashboard_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(settings):
    """A platform figure that counts its builds and shows ``value["n"]``."""
    settings.PORTAL_FIGURE_CACHE_SECONDS = 300
    state = {"builds": 0, "n": 1}

    def counted_figure(user):
        state["builds"] += 1
        return Figure(
            key="contada", title="Contada", chart="bar", row_header="", labels=["n"], series=[Series("n", [state["n"]])]
        )

    figure(audiences=(dashboards.PLATFORM,), order=999)(counted_figure)
    entry = next(e for e in dashboards._REGISTRY if e["builder"] is counted_figure)
    state["builder"] = counted_figure
    yield state
    dashboards._REGISTRY.remove(entry)


def shown(user):
    found = [f for f in figures_for(user) if f.key == "contada"]
    return found[0].series[0].values[0]


@pytest.fixture
def reviewers(commission):
    return [UserFactory(institution=commission, profile=profile("commission_reviewer")) for _ in range(2)]


def test_a_figure_is_built_once_for_everyone_of_the_same_scope(counted, reviewers):
    assert shown(reviewers[0]) == 1
    counted["n"] = 2
    # Another person of the same profile (any worker: the cache is shared) gets the kept one.
    assert shown(reviewers[1]) == 1
    assert counted["builds"] == 1


def test_a_stale_figure_is_rebuilt_by_one_view_while_another_builds_it(counted, reviewers):
    shown(reviewers[0])
    key = figure_key(counted["builder"], reviewers[0], dashboards.PLATFORM)
    cache = figure_cache()
    built, _fresh_until = cache.get(key)
    cache.set(key, (built, time.time() - 1), 3600)  # gone stale
    counted["n"] = 2
    # Another worker holds the lock: this view shows the previous figure, builds nothing.
    cache.add(f"{key}:building", 1, 60)
    assert shown(reviewers[1]) == 1 and counted["builds"] == 1
    # The lock released: the next view rebuilds it once, and the one after gets the new one.
    cache.delete(f"{key}:building")
    assert shown(reviewers[1]) == 2 and counted["builds"] == 2
    assert shown(reviewers[0]) == 2 and counted["builds"] == 2
    assert cache.get(f"{key}:building") is None


def test_the_beat_job_rebuilds_figures_before_anyone_asks(counted, reviewers):
    assert refresh_dashboard_figures() > 0
    builds = counted["builds"]
    assert builds >= 1  # at least once per platform profile with an account, per language
    assert shown(reviewers[0]) == 1 and counted["builds"] == builds  # the view built nothing
    counted["n"] = 5
    refresh_dashboard_figures()
    assert shown(reviewers[1]) == 5 and counted["builds"] > builds


def test_institution_staff_never_get_the_platform_figure(counted, reviewers, member):
    shown(reviewers[0])
    admin = UserFactory(institution=member, profile=profile("institution_admin"))
    assert [f for f in figures_for(admin) if f.key == "contada"] == []


def test_without_a_cache_time_figures_are_built_on_every_view(counted, reviewers, settings):
    settings.PORTAL_FIGURE_CACHE_SECONDS = 0
    shown(reviewers[0])
    shown(reviewers[0])
    assert counted["builds"] == 2
