"""History-log benchmark: the timeline's cost as the log grows, and access-logging overhead.

The log is loaded in steps (``BENCH_AUDIT_SIZES``, default 5M then 25M access events; a year of a
busy portal is about 5M): the first step fills the last year, each further step adds older years
at the same density, as a log that grows for years does. At each size the same timeline queries
are timed (a user filter; a 7-day range in the middle of last year), so the figures sit side by
side with their ratio: with monthly partitions the cost stays flat (target: p95 at the largest
size at most 1.2x the first, and under 200 ms at both).
"""

import datetime as dt
import os
import statistics
import time

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

SIZES = [int(n) for n in os.environ.get("BENCH_AUDIT_SIZES", "5000000,25000000").split(",")]
SPAN_DAYS = 365  # the first size fills one year; each later step adds older years, same density
GAP_SECONDS = SPAN_DAYS * 86400 / SIZES[0]
TARGET_P95_MS, TARGET_GROWTH = 200, 1.2
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


def _seed(target_user, institution_id, start, stop):
    """Access events number ``start + 1`` to ``stop`` (one every GAP_SECONDS back from now), from
    1,000 users (one of them real) of 40 institutions, and a tenth as many sign-in events."""
    from audit.models import AccessEvent
    from audit.partitions import Month, ensure_months

    started = time.perf_counter()
    # The months' partitions first: on a fresh database only the current months have one, and
    # the past would otherwise land in the catch-all DEFAULT partition.
    now = timezone.now()
    ensure_months(Month.of(now - dt.timedelta(seconds=stop * GAP_SECONDS + 86400)), Month.of(now))
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
            FROM generate_series(%(first)s, %(last)s) AS g
            """,
            {
                "gap": GAP_SECONDS,
                "uid": target_user.pk,
                "uname": target_user.username,
                "inst": institution_id,
                "first": start + 1,
                "last": stop,
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
            FROM generate_series(%(first)s, %(last)s) AS g
            """,
            {"gap": GAP_SECONDS * 10, "uid": target_user.pk, "first": start // 10 + 1, "last": stop // 10},
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
    test_client = Client()
    test_client.force_login(auditor)
    client = WsgiClient(test_client.cookies)
    # Like production (DB_CONN_MAX_AGE=60): keep the connection between requests.
    connection.settings_dict["CONN_MAX_AGE"] = 600

    from audit.selectors import TimelineFilters, timeline_page

    middle = timezone.localdate() - dt.timedelta(days=180)
    week = {"date_from": (middle - dt.timedelta(days=6)).isoformat(), "date_to": middle.isoformat()}

    def _selector(filters):
        samples = []
        for _ in range(REPEAT):
            begun = time.perf_counter()
            timeline_page(user=auditor, filters=filters, limit=50)
            samples.append(_ms(time.perf_counter() - begun))
        return _summary(samples)

    steps, loaded = [], 0
    for size in SIZES:
        seed_seconds = _seed(target, target.institution_id, loaded, size)
        loaded = size
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
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_accessevent")
            total = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_accessevent'::regclass")
            partitions = cursor.fetchone()[0]
        steps.append(
            {
                "rows": total,
                "partitions": partitions,
                "seeded": seed_seconds,
                "user": _time(client, "/bitacora/", {"user": "analista.bench"}, REPEAT),
                "range": _time(client, "/bitacora/", week, REPEAT),
                "deep": _time(client, "/bitacora/", {"kind": "access", "ip": "10.3.3.4"}, REPEAT // 2),
                # The same two queries without HTTP and templates: what the database and merging cost.
                "sel_user": _selector(TimelineFilters(user="analista.bench")),
                "sel_range": _selector(
                    TimelineFilters(date_from=dt.date.fromisoformat(week["date_from"]), date_to=middle)
                ),
            }
        )

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

    with capsys.disabled():
        print()
        print("== History log (audit): the timeline as the log grows (monthly partitions) ==")
        header = "".join(f"{step['rows']:>16,}" for step in steps)
        print(f"{'access events in the log':<42}{header}")
        print(f"{'  monthly partitions':<42}" + "".join(f"{step['partitions']:>16}" for step in steps))
        print(f"{'  loaded in (s)':<42}" + "".join(f"{step['seeded']:>16.0f}" for step in steps))
        labels = {
            "user": "timeline, user filter",
            "range": "timeline, 7-day range",
            "deep": "timeline, IP + kind",
            "sel_user": "  selector only, user",
            "sel_range": "  selector only, range",
        }
        for key, label in labels.items():
            figures = "".join(f"{step[key][0]:>7.1f} /{step[key][1]:>7.1f}" for step in steps)
            growth = steps[-1][key][1] / steps[0][key][1]
            print(f"{label + ' (median / p95 ms)':<42}{figures}   p95 x{growth:.2f}")
        for key in ("user", "range"):
            p95s = [step[key][1] for step in steps]
            growth = p95s[-1] / p95s[0]
            ok = growth <= TARGET_GROWTH and max(p95s) < TARGET_P95_MS
            print(
                f"target {labels[key]}: p95 < {TARGET_P95_MS} ms at every size and at most {TARGET_GROWTH}x "
                f"from {steps[0]['rows']:,} to {steps[-1]['rows']:,}: {'ok' if ok else 'OVER'} "
                f"({' / '.join(f'{p:.1f}' for p in p95s)} ms, x{growth:.2f}; n={REPEAT} each)"
            )
        print(
            f"access logging overhead:   on {on_med:.2f} ms / off {off_med:.2f} ms = ratio {on_med / off_med:.3f}"
            f"   (n={OVERHEAD_SAMPLES} each)"
        )
        print(f"  one access-event write:  median {write_med:7.2f} ms   p95 {write_p95:7.2f} ms")
