"""Concurrent attempts on one account cannot get around the count (real PostgreSQL, real commits).

Each thread has its own test client and its own database connection; a barrier releases them
together so the attempts overlap inside the database.
"""

import threading
import time

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import connections, transaction
from django.db.models import Sum
from django.test import Client

from accounts.models import LoginThrottle, User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.lockout_helpers import LOGIN, WRONG, expire_lock, lock

pytestmark = pytest.mark.django_db(transaction=True)


def seen(response) -> str:
    if response.status_code == 302:
        return "in"
    html = response.content.decode()
    for word, kind in (
        ("bloqueada por demasiados", "locked"),
        ("está suspendida", "suspended"),
        ("incorrectos", "invalid"),
    ):
        if word in html:
            return kind
    raise AssertionError(html[:500])


def run_together(passwords, username="ana.lopez"):
    """Post one login per password, all at once; return what each saw, in the same order."""
    barrier = threading.Barrier(len(passwords))
    results = [None] * len(passwords)
    errors = []

    def worker(i, password):
        try:
            client = Client()
            barrier.wait(timeout=60)
            results[i] = seen(client.post(LOGIN, {"username": username, "password": password}))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, p)) for i, p in enumerate(passwords)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_fifty_concurrent_wrong_attempts_lock_exactly_once_and_let_none_in(auth_events):
    UserFactory(username="ana.lopez")
    results = run_together([WRONG] * 50)
    assert results.count("in") == 0
    assert sorted(results).count("invalid") == 2
    assert results.count("locked") == 48
    assert LoginThrottle.objects.get(username="ana.lopez").lock_count == 1
    assert auth_events.count("lock") == 1
    assert len(auth_events.failures(counted=True)) == 3
    assert len(auth_events.failures(counted=False)) == 47
    assert {c["detail"]["reason"] for c in auth_events.failures(counted=False)} == {"locked"}
    assert AccessAttempt.objects.filter(username="ana.lopez").aggregate(n=Sum("failures_since_start"))["n"] == 3


def test_a_burst_of_wrong_attempts_after_the_lock_expires_suspends_exactly_once(auth_events):
    user = UserFactory(username="ana.lopez")
    lock(Client(), "ana.lopez")
    expire_lock("ana.lopez")
    mail.outbox.clear()
    results = run_together([WRONG] * 20)
    assert results == ["suspended"] * 20
    user.refresh_from_db()
    assert user.status == User.Status.SUSPENDED
    assert auth_events.count("suspension") == 1
    assert user.history.filter(status=User.Status.SUSPENDED).count() == 1
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_a_correct_password_racing_wrong_ones_during_a_lock_never_gets_in():
    UserFactory(username="ana.lopez")
    lock(Client(), "ana.lopez")
    before = LoginThrottle.objects.get(username="ana.lopez")
    for _ in range(3):
        passwords = [WRONG] * 15 + [PASSWORD] + [WRONG] * 14
        results = run_together(passwords)
        assert results == ["locked"] * 30
    after = LoginThrottle.objects.get(username="ana.lopez")
    assert (after.locked_until, after.lock_count, after.failures) == (before.locked_until, 1, before.failures)


def test_a_correct_password_racing_wrong_ones_after_the_lock_has_one_consistent_outcome():
    user = UserFactory(username="ana.lopez")
    lock(Client(), "ana.lopez")
    expire_lock("ana.lopez")
    results = run_together([WRONG] * 5 + [PASSWORD] + [WRONG] * 5)
    user.refresh_from_db()
    if results[5] == "in":
        # The correct password was decided first: it reset everything, the wrong ones count afresh.
        assert user.status == User.Status.ACTIVE
        wrong = results[:5] + results[6:]
        assert sorted(wrong) == sorted(["invalid", "invalid"] + ["locked"] * 8)
    else:
        # A wrong one was decided first: suspended, and the correct password was refused.
        assert user.status == User.Status.SUSPENDED
        assert results == ["suspended"] * 11


def test_an_attempt_waiting_on_a_row_that_a_success_deletes_is_still_decided():
    UserFactory(username="ana.lopez")
    Client().post(LOGIN, {"username": "ana.lopez", "password": WRONG})
    locked = threading.Event()
    results = []

    def waiting_attempt():
        try:
            locked.wait(timeout=30)
            results.append(seen(Client().post(LOGIN, {"username": "ana.lopez", "password": WRONG})))
        finally:
            connections.close_all()

    thread = threading.Thread(target=waiting_attempt)
    thread.start()
    with transaction.atomic():  # what a success does: lock the row, then delete it
        LoginThrottle.objects.select_for_update().get(username="ana.lopez")
        locked.set()
        time.sleep(0.5)  # let the other attempt queue behind this lock
        LoginThrottle.objects.filter(username="ana.lopez").delete()
    thread.join(timeout=60)
    assert results == ["invalid"]
    assert LoginThrottle.objects.get(username="ana.lopez").failures == 1
