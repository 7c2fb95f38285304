"""History-log benchmark: timeline speed over 1M access events and access-logging overhead."""

import datetime as dt
import os
import statistics
import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", "1000000"))
SPAN_DAYS = 365
REPEAT = int(os.environ.get("BENCH_AUDIT_REPEAT", "40"))
OVERHEAD_SAMPLES = int(os.environ.get("BENCH_AUDIT_OVERHEAD_SAMPLES", "300"))


def _ms(seconds):
    return seconds * 1000


def _summary(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


class WsgiClient:
    """Requests straight through Django's WSGI handler, as gunicorn would call it.

    (django.test.Client also copies every template context it renders for assertions, which
    costs more than the page itself; a benchmark must not measure that.)
    """

    def __init__(self, cookies):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test.client import RequestFactory

        self.handler = WSGIHandler()
        self.factory = RequestFactory()
        self.factory.cookies = cookies

    def get(self, url, params=None):
        status = []
        response = self.handler(self.factory.get(url, params or {}).environ, lambda s, h, *a: status.append(s))
        try:
            b"".join(response)
        finally:
            response.close()
        return int(status[0].split()[0])


def _time(client, url, params, n):
    for _ in range(3):  # warm caches and the connection
        assert client.get(url, params) == 200
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        status = client.get(url, params)
        samples.append(_ms(time.perf_counter() - start))
        assert status == 200
    return _summary(samples)


def _seed(target_user, institution_id):
    """1M access events over a year, 1,000 users (one of them real), 40 institutions."""
    from audit.models import AccessEvent
    from audit.partitions import Month, ensure_months

    seconds_apart = SPAN_DAYS * 86400 / EVENTS
    started = time.perf_counter()
    # The year's monthly partitions first: on a fresh database only the current months have one,
    # and the past year would otherwise land in the catch-all DEFAULT partition.
    now = timezone.now()
    ensure_months(Month.of(now - dt.timedelta(days=SPAN_DAYS)), Month.of(now))
    # Bulk load the usual way: secondary indexes dropped during the load, rebuilt after it.
    with connection.schema_editor() as editor:
        for index in AccessEvent._meta.indexes:
            editor.remove_index(AccessEvent, index)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audit_accessevent (occurred_at, user_id, username, institution_id, ip, user_agent,
                method, path, view_name, object_type, object_id, query, status, duration_ms)
            SELECT now() - make_interval(secs => g * %(gap)s),
                   CASE WHEN g %% 1000 = 0 THEN %(uid)s ELSE 1000000 + g %% 1000 END,
                   CASE WHEN g %% 1000 = 0 THEN %(uname)s ELSE 'usuario' || (g %% 1000) END,
                   CASE WHEN g %% 1000 = 0 THEN %(inst)s ELSE 1000000 + g %% 40 END,
                   ('10.' || (g %% 40) || '.' || (g %% 250) || '.' || (1 + g %% 200))::inet,
                   'Mozilla/5.0 (bench)',
                   CASE WHEN g %% 10 = 0 THEN 'POST' ELSE 'GET' END,
                   '/convenios/' || (g %% 5000) || '/',
                   'agreements:detail',
                   'agreements.agreement',
                   (g %% 5000)::text,
                   CASE WHEN g %% 7 = 0 THEN '{"q": "convenio"}'::jsonb ELSE '{}'::jsonb END,
                   CASE WHEN g %% 50 = 0 THEN 403 ELSE 200 END,
                   5 + g %% 60
            FROM generate_series(1, %(n)s) AS g
            """,
            {
                "gap": seconds_apart,
                "uid": target_user.pk,
                "uname": target_user.username,
                "inst": institution_id,
                "n": EVENTS,
            },
        )
        cursor.execute(
            """
            INSERT INTO audit_event (occurred_at, category, action, actor_id, username, institution_id,
                target_type, target_id, target_repr, detail, ip, user_agent, path)
            SELECT now() - make_interval(secs => g * %(gap)s), 'auth',
                   CASE WHEN g %% 9 = 0 THEN 'login_failure' ELSE 'login_success' END,
                   CASE WHEN g %% 1000 = 0 THEN %(uid)s ELSE 1000000 + g %% 1000 END,
                   'usuario' || (g %% 1000), 1000000 + g %% 40, '', '', '', '{}'::jsonb,
                   '10.1.1.1'::inet, 'Mozilla/5.0 (bench)', '/cuenta/entrar/'
            FROM generate_series(1, %(n)s) AS g
            """,
            {"gap": SPAN_DAYS * 86400 / (EVENTS // 10), "uid": target_user.pk, "n": EVENTS // 10},
        )
    with connection.schema_editor() as editor:
        for index in AccessEvent._meta.indexes:
            editor.add_index(AccessEvent, index)
    seeded = time.perf_counter() - started
    # Steady state, as on a server where autovacuum has passed: visibility map, statistics, and
    # the bulk load's dirty pages written out before anything is timed.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE audit_accessevent")
        cursor.execute("VACUUM ANALYZE audit_event")
        cursor.execute("CHECKPOINT")
    return seeded


@pytest.mark.django_db(transaction=True)
def bench_history_log(capsys):
    from accounts.tests.factories import UserFactory, profile
    from agreements.tests.factories import CommissionFactory

    commission = CommissionFactory()
    auditor = UserFactory(institution=commission, profile=profile("auditor"), username="auditora.bench")
    target = UserFactory(username="analista.bench")
    seed_seconds = _seed(target, target.institution_id)

    test_client = Client()
    test_client.force_login(auditor)
    client = WsgiClient(test_client.cookies)
    # Like production (DB_CONN_MAX_AGE=60): keep the connection between requests.
    connection.settings_dict["CONN_MAX_AGE"] = 600

    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            client.get("/bitacora/", {"user": "analista.bench"})
            client.get("/", {})
        profiler.disable()
        with capsys.disabled():
            pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(60)

    middle = timezone.localdate() - dt.timedelta(days=180)
    week = {"date_from": (middle - dt.timedelta(days=6)).isoformat(), "date_to": middle.isoformat()}
    user_med, user_p95 = _time(client, "/bitacora/", {"user": "analista.bench"}, REPEAT)
    range_med, range_p95 = _time(client, "/bitacora/", week, REPEAT)
    deep_med, deep_p95 = _time(client, "/bitacora/", {"kind": "access", "ip": "10.3.3.4"}, REPEAT // 2)

    # The same two queries without HTTP and templates: what the database and merging cost.
    from audit.selectors import TimelineFilters, timeline_page

    def _selector(filters):
        samples = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            timeline_page(user=auditor, filters=filters, limit=50)
            samples.append(_ms(time.perf_counter() - start))
        return _summary(samples)

    sel_user = _selector(TimelineFilters(user="analista.bench"))
    sel_range = _selector(TimelineFilters(date_from=dt.date.fromisoformat(week["date_from"]), date_to=middle))

    # Logging overhead: the same page (the auditor's dashboard), on and off, interleaved.
    on, off = [], []
    for _ in range(10):
        client.get("/", {})
    for i in range(OVERHEAD_SAMPLES * 2):
        enabled = i % 2 == 0
        with override_settings(AUDIT_ACCESS_LOG_ENABLED=enabled):
            start = time.perf_counter()
            assert client.get("/", {}) == 200
            (on if enabled else off).append(_ms(time.perf_counter() - start))
    on_med, off_med = statistics.median(on), statistics.median(off)

    # The write alone: one access event, committed (autocommit), as the middleware does it.
    from audit.models import AccessEvent

    writes = []
    for i in range(OVERHEAD_SAMPLES):
        event = AccessEvent(user_id=auditor.pk, username=auditor.username, method="GET", path=f"/w/{i}/", status=200)
        start = time.perf_counter()
        event.save(force_insert=True)
        writes.append(_ms(time.perf_counter() - start))
    write_med, write_p95 = _summary(writes)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accessevent")
        total = cursor.fetchone()[0]
    with capsys.disabled():
        print()
        print("== History log (audit) ==")
        print(f"access events in table:              {total:>12,}  (seeded in {seed_seconds:.1f} s)")
        print(f"timeline, user filter:     median {user_med:7.1f} ms   p95 {user_p95:7.1f} ms   (n={REPEAT})")
        print(f"timeline, 7-day range:     median {range_med:7.1f} ms   p95 {range_p95:7.1f} ms   (n={REPEAT})")
        print(f"  selector only, user:     median {sel_user[0]:7.1f} ms   p95 {sel_user[1]:7.1f} ms")
        print(f"  selector only, range:    median {sel_range[0]:7.1f} ms   p95 {sel_range[1]:7.1f} ms")
        print(f"timeline, IP + kind:       median {deep_med:7.1f} ms   p95 {deep_p95:7.1f} ms   (n={REPEAT // 2})")
        print(
            f"access logging overhead:   on {on_med:.2f} ms / off {off_med:.2f} ms = ratio {on_med / off_med:.3f}"
            f"   (n={OVERHEAD_SAMPLES} each)"
        )
        print(f"  one access-event write:  median {write_med:7.2f} ms   p95 {write_p95:7.2f} ms")
