"""The portal at a government's volume, under 20 people at once, over HTTP against gunicorn.

Seeds the throwaway PostgreSQL (500 institutions, 50,000 users, 5,000 agreements, 20,000 account
requests, 5,000,000 access events; each only when its feature is installed), starts gunicorn
with production settings (bench/settings.py) and has 20 simulated people of every profile work
at once, driven by Locust (bench/locustfile.py, headless). Prints median and p95 per page beside
its target, with Django admin's changelist of the same agreements beside the portal's list.
Targets (not asserted): p95 under 300 ms everywhere, sign-in under 500 ms, the accent-insensitive
user search under 150 ms; the portal's list no slower than the admin's changelist.

Sizes can be lowered for a quick run: BENCH_USERS=5000 BENCH_EVENTS=100000 BENCH_MIN_SAMPLES=30 make bench.
"""

import csv
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from bench.seeding import bulk_insert
from conftest import oidc_test_key

ROOT = Path(__file__).resolve().parent.parent
SIZES = {
    "institutions": int(os.environ.get("BENCH_INSTITUTIONS", "500")),
    "users": int(os.environ.get("BENCH_USERS", "50000")),
    "agreements": int(os.environ.get("BENCH_AGREEMENTS", "5000")),
    "requests": int(os.environ.get("BENCH_REQUESTS", "20000")),
    "events": int(os.environ.get("BENCH_EVENTS", "5000000")),
}
# Every page gets at least this many samples per run (the people keep working until it has).
MIN_SAMPLES = int(os.environ.get("BENCH_MIN_SAMPLES", "100"))
LOGINS = int(os.environ.get("BENCH_LOGINS", "5"))  # each person's sign-ins within the minute
MAX_RUN_SECONDS = int(os.environ.get("BENCH_MAX_SECONDS", "1800"))
CSV_DIR = ROOT / "var" / "bench"
# Pause between one person's clicks (uniform between half and one and a half times this); 0 for
# a stress run where every person clicks again the moment a page arrives.
THINK = float(os.environ.get("BENCH_THINK_SECONDS", "1.0"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str(min((os.cpu_count() or 1) + 1, 9))))  # gunicorn.conf.py
PASSWORD = "Clave-De-Carga-2026"
TOTP_KEY = "3132333435363738393031323334353637383930"  # hex: the privileged people's authenticator
TARGET_MS = 300
LOGIN_TARGET_MS = 500
SEARCH_TARGET_MS = 150


def model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


# --- Seeding ----------------------------------------------------------------------------------

MEMBERS = "WITH inst AS (SELECT array_agg(id ORDER BY id) AS ids FROM agreements_institution WHERE kind = 'member')"
MEMBER_OF_G = "inst.ids[1 + g % array_length(inst.ids, 1)]"


def seed_institutions(report):
    from agreements.models import Institution

    n = SIZES["institutions"] - Institution.objects.count()
    report["institutions"] = bulk_insert(
        Institution,
        n,
        {
            "kind": "'member'",
            "legal_name": "('Institución de referencia ' || g)",
            "acronym": "('IR' || g)",
            "rfc": "('BEN' || lpad(g::text, 9, '0'))",
            "status": "'active'",
            "created_at": "now()",
            "updated_at": "now()",
        },
    )


def seed_users(report):
    from accounts.models import Profile, User

    profiles = dict(Profile.objects.values_list("code", "id"))
    n = SIZES["users"] - User.objects.count()
    report["users"] = bulk_insert(
        User,
        n,
        {
            "password": "'!bench'",
            "last_login": "NULL",
            "is_superuser": "false",
            "username": "('persona' || g)",
            "institution": MEMBER_OF_G,
            "profile": f"(CASE WHEN g % 12 = 0 THEN {profiles['institution_admin']} ELSE {profiles['analyst']} END)",
            "given_names": "(CASE g % 5 WHEN 0 THEN 'Ana' WHEN 1 THEN 'Luis' WHEN 2 THEN 'Rosa' "
            "WHEN 3 THEN 'Iván' ELSE 'Sofía' END)",
            "paternal_surname": "('Apellido' || (g % 997))",
            "maternal_surname": "('Materno' || (g % 89))",
            "curp": "NULL",
            "email": "('persona' || g || '@referencia.gob.mx')",
            "status": "(CASE WHEN g % 25 = 0 THEN 'suspended' WHEN g % 40 = 0 THEN 'pending_letter' ELSE 'active' END)",
            "is_active": "(g % 25 <> 0)",
            "is_staff": "false",
            "date_joined": "(now() - make_interval(days => (g % 720)::int))",
            "status_changed_at": "(now() - make_interval(days => (g % 90)::int))",
        },
        with_sql=MEMBERS,
        source=f"generate_series(1, {n}) AS g, inst",
    )


def seed_agreements(report):
    from agreements.models import Agreement, AgreementParty, Institution, Obligation

    commission = Institution.objects.get(kind="commission").pk
    n = SIZES["agreements"]
    started = time.perf_counter()
    bulk_insert(
        Agreement,
        n,
        {
            "folio": "('CONV-REF-' || lpad(g::text, 5, '0'))",
            "title": "('Convenio de colaboración en materia de información ' || g)",
            "kind": "(CASE g % 3 WHEN 0 THEN 'coordination' WHEN 1 THEN 'support' ELSE 'specific' END)",
            "purpose": "'Intercambio de información para la seguridad pública.'",
            "signed_on": "(current_date - (g % 1500)::int)",
            "term_kind": "'years'",
            "term_years": "5",
            "term_until": "NULL",
            "end_date": "(CASE WHEN g % 10 = 1 THEN current_date - (1 + g % 300)::int "
            "ELSE current_date + (g % 1500)::int END)",
            "status": "(CASE WHEN g % 10 = 0 THEN 'draft' WHEN g % 10 = 1 THEN 'expired' ELSE 'in_force' END)",
            "previous": "NULL",
            "created_at": "(now() - make_interval(days => (g % 1500)::int))",
        },
    )
    numbered = (
        "(SELECT id AS agreement_id, row_number() OVER (ORDER BY id) AS g FROM agreements_agreement "
        "WHERE folio LIKE 'CONV-REF-%') s"
    )
    party = {"officer_designation_due": "NULL"}
    bulk_insert(
        AgreementParty,
        0,
        {**party, "agreement": "s.agreement_id", "institution": str(commission), "role": "'commission'"},
        source=numbered,
    )
    bulk_insert(
        AgreementParty,
        0,
        {**party, "agreement": "s.agreement_id", "institution": MEMBER_OF_G, "role": "'member'"},
        with_sql=MEMBERS,
        source=numbered + ", inst",
    )
    # A third of them have a second member institution.
    bulk_insert(
        AgreementParty,
        0,
        {
            **party,
            "agreement": "s.agreement_id",
            "institution": "inst.ids[1 + (g + 7) % array_length(inst.ids, 1)]",
            "role": "'member'",
        },
        with_sql=MEMBERS,
        source=numbered + ", inst WHERE g % 3 = 0",
    )
    members = (
        "(SELECT p.agreement_id, p.id AS party_id, row_number() OVER (ORDER BY p.id) AS g "
        "FROM agreements_agreementparty p JOIN agreements_agreement a ON a.id = p.agreement_id "
        "WHERE p.role = 'member' AND a.folio LIKE 'CONV-REF-%') s"
    )
    bulk_insert(
        Obligation,
        0,
        {
            "agreement": "s.agreement_id",
            "party": "s.party_id",
            "description": "'Entrega mensual de la información convenida'",
            "schedule": "'monthly'",
            "starts_on": "(date_trunc('month', current_date) - interval '3 months')::date",
            "due_on": "NULL",
            "business_days": "5",
            "ends_on": "NULL",
            "is_active": "true",
        },
        source=members,
    )
    report["agreements"] = time.perf_counter() - started


def seed_account_requests(report):
    """20,000 account requests over two years, in every state; decided ones mostly on time."""
    AccountRequest = model("accounts.AccountRequest")
    if AccountRequest is None:
        report["account requests"] = None
        return
    from accounts.models import Profile, User

    analyst = Profile.objects.get(code="analyst").pk
    reviewer = User.objects.filter(profile__code="commission_reviewer").values_list("pk", flat=True).first()
    filer = User.objects.filter(institution__kind="member").order_by("pk").values_list("pk", flat=True).first()
    status = (
        "(CASE WHEN g % 20 = 0 THEN 'draft' WHEN g % 20 IN (1, 2, 3) THEN 'submitted' WHEN g % 20 = 4 THEN 'returned' "
        "WHEN g % 20 IN (5, 6) THEN 'rejected' WHEN g % 20 = 7 THEN 'withdrawn' ELSE 'approved' END)"
    )
    decided = "g % 20 IN (5, 6) OR g % 20 >= 8"
    submitted = "(now() - make_interval(days => (g % 730)::int, hours => (g % 24)::int))"
    report["account requests"] = bulk_insert(
        AccountRequest,
        SIZES["requests"],
        {
            "folio": "('SC-REF-' || lpad(g::text, 6, '0'))",
            "institution": MEMBER_OF_G,
            "status": status,
            "agreement": "NULL",
            "signatory": "NULL",
            "given_names": "'Solicitante'",
            "paternal_surname": "('Apellido' || (g % 997))",
            "maternal_surname": "'Referencia'",
            "curp": "('REFB' || lpad(g::text, 14, '0'))",
            "birth_date": "NULL",
            "sex": "''",
            "rfc": "''",
            "email": "('solicitante' || g || '@referencia.gob.mx')",
            "requested_profile": str(analyst),
            "justification": "'Consulta de información para su función.'",
            "submitted_at": f"(CASE WHEN g % 20 = 0 THEN NULL ELSE {submitted} END)",
            "due_date": f"(CASE WHEN g % 20 = 0 THEN NULL ELSE ({submitted})::date + 14 END)",
            "submission_count": "(CASE WHEN g % 20 = 0 THEN 0 ELSE 1 END)",
            "decided_at": f"(CASE WHEN {decided} THEN {submitted} + make_interval(days => (g % 17)::int) END)",
            "decided_by": f"(CASE WHEN {decided} THEN {reviewer or 'NULL'} END)::bigint",
            "decision_reason": "''",
            "account": "NULL",
            "created_by": str(filer),
            "created_at": f"(COALESCE({submitted}, now()) - interval '1 day')",
            "updated_at": "now()",
        },
        with_sql=MEMBERS,
        source=f"generate_series(1, {SIZES['requests']}) AS g, inst",
    )


def seed_access_events(report):
    """5,000,000 page accesses over a year by the seeded people (searches among them), plus sign-ins."""
    AccessEvent, Event = model("audit.AccessEvent"), model("audit.Event")
    if AccessEvent is None:
        report["access events"] = None
        return
    from django.utils import timezone

    from accounts.models import User
    from audit.partitions import Month, ensure_months

    first_user = User.objects.order_by("pk").values_list("pk", flat=True).first()
    n = SIZES["events"]
    span = 365 * 86400
    # A fresh database has partitions only from the migration's month on: without the past months'
    # partitions the whole year would land in the catch-all DEFAULT partition, and the timeline
    # would be measured on a table production never has. Create them first, as an operator would
    # before loading past months.
    now = timezone.now()
    ensure_months(Month.of(now - timedelta(seconds=span)), Month.of(now))
    user_of_g = f"({first_user} + g % {SIZES['users']})"
    # About 140,000 searches a year as GETs answered 200: one access in 50 searches the agreement
    # list, one in 110 the user list (the dashboards count them); the rest are agreement pages.
    search, user_search = "g % 50 = 5", "g % 110 = 7"
    report["access events"] = bulk_insert(
        AccessEvent,
        n,
        {
            "occurred_at": f"(now() - make_interval(secs => g * {span / n}))",
            "user_id": user_of_g,
            "username": f"('persona' || (g % {SIZES['users']}))",
            "institution_id": MEMBER_OF_G,
            "ip": "(('10.' || (g % 40) || '.' || (g % 250) || '.' || (1 + g % 200))::inet)",
            "user_agent": "'Mozilla/5.0 (bench)'",
            "method": "(CASE WHEN g % 10 = 0 THEN 'POST' ELSE 'GET' END)",
            "path": f"(CASE WHEN {search} THEN '/convenios/' WHEN {user_search} THEN '/usuarios/' "
            f"ELSE '/convenios/' || (g % {SIZES['agreements']}) || '/' END)",
            "view_name": f"(CASE WHEN {search} THEN 'agreements:list' WHEN {user_search} THEN 'accounts:user_list' "
            "ELSE 'agreements:detail' END)",
            "object_type": f"(CASE WHEN {search} OR {user_search} THEN '' ELSE 'agreements.agreement' END)",
            "object_id": f"(CASE WHEN {search} OR {user_search} THEN '' ELSE (g % {SIZES['agreements']})::text END)",
            "query": f"(CASE WHEN {search} OR {user_search} OR g % 7 = 0 "
            "THEN '{\"q\": \"convenio\"}'::jsonb ELSE '{}'::jsonb END)",
            "status": "(CASE WHEN g % 50 = 0 THEN 403 ELSE 200 END)",
            "duration_ms": "(5 + g % 60)",
        },
        with_sql=MEMBERS,
        source=f"generate_series(1, {n}) AS g, inst",
    )
    if Event is None:
        return
    events = n // 10
    action = (
        "(CASE WHEN g % 50 = 0 THEN 'login_failure' WHEN g % 997 = 0 THEN 'lock' WHEN g % 4999 = 0 THEN 'suspension' "
        "ELSE 'login_success' END)"
    )
    report["events"] = bulk_insert(
        Event,
        events,
        {
            "occurred_at": f"(now() - make_interval(secs => g * {span / events}))",
            "category": "'auth'",
            "action": action,
            "actor_id": user_of_g,
            "username": f"('persona' || (g % {SIZES['users']}))",
            "institution_id": MEMBER_OF_G,
            "target_type": "''",
            "target_id": "''",
            "target_repr": "''",
            "detail": "'{}'::jsonb",
            "ip": "'10.1.1.1'::inet",
            "user_agent": "'Mozilla/5.0 (bench)'",
            "path": "'/cuenta/entrar/'",
        },
        with_sql=MEMBERS,
        source=f"generate_series(1, {events}) AS g, inst",
    )


# --- The people -------------------------------------------------------------------------------


def make_people():
    """20 people: commission staff, institution staff, two technical administrators."""
    from accounts.hashers import Argon2idHasher
    from accounts.models import Profile
    from accounts.tests.factories import UserFactory
    from agreements.models import Institution

    encoded = Argon2idHasher().encode(PASSWORD, Argon2idHasher().salt())  # production's hasher
    commission = Institution.objects.get(kind="commission")
    busy = list(
        Institution.objects.filter(kind="member", agreement_parties__agreement__status="in_force")
        .order_by("id")
        .distinct()[:6]
    )
    plan = [("commission_admin", commission)] * 3 + [("commission_reviewer", commission)] * 3
    plan += [("auditor", commission)] * 2
    plan += [("institution_admin", busy[i % len(busy)]) for i in range(5)]
    plan += [("analyst", busy[i % len(busy)]) for i in range(5)]
    people = []
    for i, (code, institution) in enumerate(plan):
        user = UserFactory(
            username=f"carga.{code}.{i}", institution=institution, profile=Profile.objects.get(code=code)
        )
        people.append((code, user))
    for i in range(2):
        user = UserFactory(
            username=f"carga.tecnico.{i}", institution=commission, profile=Profile.objects.get(code="commission_admin")
        )
        user.is_superuser = user.is_staff = True  # Django admin's changelist, the reference
        user.save(update_fields=["is_superuser", "is_staff"])
        people.append(("technical", user))
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.services_second_factor import is_privileged

    for _, user in people:
        user.password = encoded  # one known password, hashed once
        user.save(update_fields=["password"])
        # Who types an authenticator's code is decided by gunicorn's production settings, where the
        # second factor is on; not by requires_second_factor() here, which reads the test settings
        # (PORTAL_REQUIRE_SECOND_FACTOR off) and so enrolled nobody: the portal then sent the
        # privileged people to enrol a new random key, and the bench's code was refused.
        if is_privileged(user):
            TOTPDevice.objects.create(user=user, name="carga", confirmed=True, key=TOTP_KEY)
    return people


# --- gunicorn ---------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis():
    """A throwaway Redis, as in production: the cache every worker shares (dashboard figures)."""
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        return None, ""
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)  # noqa: S603
    deadline = time.time() + 30
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.2)
    stop(process)
    return None, ""


def server_env(redis_url):
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "False",
        "SECRET_KEY": "bench-" + "x" * 60,
        "AUDIT_SEAL_KEY": "bench-seal-" + "y" * 40,
        "AUDIT_CHECKPOINT_KEY": "YmVuY2gtY2hlY2twb2ludC1rZXktMzItYnl0ZXMhISE=",
        "OIDC_RSA_PRIVATE_KEY": oidc_test_key(),
        "PORTAL_SITE_URL": "https://portal.example.gob.mx",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "600",
        "REDIS_URL": redis_url,
    }


def start_gunicorn(log_path, env):
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "portal.wsgi",
        "--config",
        os.devnull,  # not the production gunicorn.conf.py: its JSON access log would bury the figures
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        str(log_path),
        "--timeout",
        "120",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/cuenta/entrar/", timeout=10) as answer:  # noqa: S310
                if answer.status == 200:
                    return process, port
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else ""
    raise RuntimeError(f"gunicorn did not start:\n{tail}")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# --- What each profile does -------------------------------------------------------------------


def samples_for(user, n=30):
    from agreements.models import Agreement

    qs = Agreement.objects.visible_to(user).filter(status="in_force").values_list("pk", flat=True)
    return list(qs.order_by("?")[:n])


# Each profile's pages, in the order a person of it clicks through them: (label, path). In a path,
# {n} is a number drawn for each click (1..996) and {agreement} one of the person's agreements.
AGREEMENT_FILTER = "/convenios/?status=in_force&q=CONV-REF-{n:03d}"
# Accent-insensitive, two words, parts of names: "ivan apellido12" finds Iván Apellido12... among
# 50,000 accounts (kernel.search: unaccent and a trigram index).
USER_SEARCH_LABEL = "user search, accents ignored"
USER_SEARCH = "/usuarios/?q=ivan+apellido{n}"
TIMELINE_LABEL = "history timeline, user filter"
ADMIN_LABEL = "agreement list, filter (Django admin changelist)"
PORTAL_SAME_LABEL = "agreement list, filter (portal, same people)"


def pages_by_profile(extra):
    review_queue = [("review queue", reverse("onboarding:review_queue"))] if extra.get("review_queue") else []
    request_list = (
        [("account request list", reverse("onboarding:account_request_list"))] if extra.get("review_queue") else []
    )
    timeline = [(TIMELINE_LABEL, "/bitacora/?user=persona{n}")] if extra.get("timeline") else []
    return {
        "commission_admin": [
            ("dashboard: commission admin", "/"),
            ("agreement list, filter (portal)", AGREEMENT_FILTER),
            ("agreement detail", "/convenios/{agreement}/"),
            ("user list", "/usuarios/"),
            (USER_SEARCH_LABEL, USER_SEARCH),
        ],
        "commission_reviewer": [
            ("dashboard: commission reviewer", "/"),
            *review_queue,
            ("agreement detail", "/convenios/{agreement}/"),
        ],
        "auditor": [("dashboard: auditor", "/"), *timeline],
        "institution_admin": [
            ("dashboard: institution admin", "/"),
            ("user list", "/usuarios/"),
            ("agreement list, filter (portal)", "/convenios/?status=in_force"),
            ("agreement detail", "/convenios/{agreement}/"),
            *request_list,
        ],
        "analyst": [
            ("dashboard: analyst", "/"),
            ("agreement list, filter (portal)", "/convenios/?q=CONV"),
            ("agreement detail", "/convenios/{agreement}/"),
        ],
        "technical": [
            (ADMIN_LABEL, "/admin/agreements/agreement/?status__exact=in_force"),
            (PORTAL_SAME_LABEL, "/convenios/?status=in_force"),
        ],
    }


def target_ms(label):
    if label.startswith("login"):
        return LOGIN_TARGET_MS
    if label == USER_SEARCH_LABEL:
        return SEARCH_TARGET_MS
    return TARGET_MS


# --- Locust -----------------------------------------------------------------------------------


def run_locust(phase, people, port, extra, tmp_path):
    """One headless Locust run (a subprocess: Locust's gevent must not patch this process) of the
    20 people against gunicorn; returns ({page: [ms, ...]}, failures, seconds). Locust's CSV is
    kept under var/bench/ (locust-<phase>_stats.csv, _failures.csv, _stats_history.csv)."""
    pages = pages_by_profile(extra)
    required = sorted({label for plan in pages.values() for label, _ in plan})
    plan = {
        "phase": phase,
        "password": PASSWORD,
        "totp_key": TOTP_KEY,
        "think": THINK,
        "logins": LOGINS,
        "min_samples": MIN_SAMPLES,
        "required": required if phase == "pages" else [],
        "people": [
            {"username": user.username, "code": code, "pages": pages[code], "agreements": samples_for(user) or [0]}
            for code, user in people
        ],
    }
    plan_path, samples_path = tmp_path / f"plan-{phase}.json", tmp_path / f"samples-{phase}.json"
    plan_path.write_text(json.dumps(plan))
    CSV_DIR.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{port}",
        "--users",
        str(len(people)),
        "--spawn-rate",
        str(len(people)),  # everyone starts within the first second
        "--run-time",
        f"{MAX_RUN_SECONDS}s",
        "--stop-timeout",
        "30",
        "--csv",
        str(CSV_DIR / f"locust-{phase}"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {**os.environ, "BENCH_PLAN": str(plan_path), "BENCH_SAMPLES": str(samples_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    if not samples_path.exists():
        raise RuntimeError(f"Locust wrote no samples (exit {result.returncode}):\n{result.stderr[-3000:]}")
    samples = json.loads(samples_path.read_text())
    failures = []
    failures_csv = CSV_DIR / f"locust-{phase}_failures.csv"
    if failures_csv.exists():
        with failures_csv.open() as rows:
            failures = [f"{r['Name']}: {r['Error']} (x{r['Occurrences']})" for r in csv.DictReader(rows)]
    return samples, failures, seconds


def summary(samples):
    rows = []
    for label, values in samples.items():
        ordered = sorted(values)
        p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
        rows.append((label, len(ordered), statistics.median(ordered), p95))
    return sorted(rows)


# --- The benchmark ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def bench_portal_at_scale(capsys, tmp_path):
    from agreements.tests.factories import CommissionFactory

    CommissionFactory()
    seeded = {}
    started = time.perf_counter()
    seed_institutions(seeded)
    seed_users(seeded)
    seed_agreements(seeded)
    people = make_people()
    seed_account_requests(seeded)
    seed_access_events(seeded)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    seed_seconds = time.perf_counter() - started
    counts = table_counts()
    stray = default_partition_rows()

    extra = {
        "review_queue": model("accounts.AccountRequest") is not None,
        "timeline": model("audit.AccessEvent") is not None,
    }
    if os.environ.get("BENCH_PROFILE"):
        with capsys.disabled():
            profile_pages(people, extra)
    redis, redis_url = start_redis()
    env = server_env(redis_url)
    process, port = start_gunicorn(tmp_path / "gunicorn.log", env)
    try:
        warm_up(port, env)
        load_before = os.getloadavg()[0]
        # 20 people sign in within one minute; then the same 20 work at once.
        logins, login_failures, login_wall = run_locust("login", people, port, extra, tmp_path)
        samples, failures, wall = run_locust("pages", people, port, extra, tmp_path)
    finally:
        stop(process)
        if redis is not None:
            stop(redis)

    rows = summary({**samples, **logins})
    requests = sum(r[1] for r in rows if not r[0].startswith("login"))
    errors = login_failures + failures
    with capsys.disabled():
        print()
        print("== Portal at scale: 20 people at once (Locust, headless), HTTP against gunicorn ==")
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + f"  (seeded in {seed_seconds:.0f} s)")
        for name, seconds in seeded.items():
            if seconds is None:
                print(f"  {name}: feature not installed, not seeded")
        if stray is not None:
            print(f"history log rows in the catch-all DEFAULT partitions: {stray:,} (monthly partitions hold the rest)")
        print(
            f"gunicorn: {WORKERS} sync workers, {os.cpu_count()} CPUs (load average before the run "
            f"{load_before:.1f}); {len(people)} people, {THINK:g} s mean pause between clicks, until every page "
            f"has {MIN_SAMPLES} samples: {requests} timed page requests in {wall:.1f} s ({requests / wall:.1f} req/s); "
            f"{sum(len(v) for v in logins.values())} sign-ins (Argon2id; each person {LOGINS} within one minute) "
            f"in {login_wall:.1f} s"
        )
        print(
            "figures: "
            + (
                "shared by every worker in Redis, built by the beat job's task"
                if redis
                else "each worker's own (no Redis)"
            )
        )
        print(f"Locust CSV: {CSV_DIR.relative_to(ROOT)}/locust-login_stats.csv, locust-pages_stats.csv")
        print(f"{'page':<52} {'n':>5} {'median ms':>10} {'p95 ms':>9}  {'target p95':>10}")
        for label, n, median, p95 in rows:
            target = target_ms(label)
            flag = "ok" if p95 < target else "OVER"
            thin = "" if n >= MIN_SAMPLES else f"  (fewer than {MIN_SAMPLES} samples)"
            print(f"{label:<52} {n:>5} {median:>10.1f} {p95:>9.1f}  {'< ' + str(target) + ' ms':>10} {flag}{thin}")
        by_label = {r[0]: r for r in rows}
        admin, portal = by_label.get(ADMIN_LABEL), by_label.get(PORTAL_SAME_LABEL)
        if admin and portal:
            median_ratio, p95_ratio = portal[2] / admin[2], portal[3] / admin[3]
            flag = "ok" if median_ratio <= 1 and p95_ratio <= 1 else "OVER"
            print(
                f"portal list / admin changelist (same people, same filter): median {median_ratio:.2f}x, "
                f"p95 {p95_ratio:.2f}x  (target <= 1.00x at both) {flag}"
            )
        missing = [label for label in required_labels(extra) if label not in by_label]
        for label in missing:
            print(f"MISSING: no successful request for {label!r}")
        if errors:
            print(f"ERRORS ({len(errors)}):")
            for detail in errors[:20]:
                print(f"  {detail}")
    # Figures are printed either way; a page that failed or was never measured is not a result.
    assert not missing and not errors, "some pages failed or were not measured (see above)"


def warm_up(port, env):
    """Each worker imports and connects before anything is timed; the dashboard figures are built
    into the shared Redis by the beat job's task (run once here, as beat would), as in production."""
    for _ in range(WORKERS * 3):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cuenta/entrar/", timeout=120) as answer:  # noqa: S310
            answer.read()
    task = "import django; django.setup(); from portal.tasks import refresh_dashboard_figures as r; r()"
    subprocess.run([sys.executable, "-c", task], env=env, cwd=ROOT, check=True)  # noqa: S603


def required_labels(extra):
    """Every figure issue #9 asks the benchmark for; each must have been measured."""
    labels = {
        "login (GET form + POST)",
        "agreement list, filter (portal)",
        PORTAL_SAME_LABEL,
        ADMIN_LABEL,
        "agreement detail",
        "user list",
        USER_SEARCH_LABEL,
        *(f"dashboard: {who}" for who in ("commission admin", "commission reviewer", "auditor")),
        *(f"dashboard: {who}" for who in ("institution admin", "analyst")),
    }
    if extra.get("review_queue"):
        labels.add("review queue")
    if extra.get("timeline"):
        labels.add(TIMELINE_LABEL)
    return sorted(labels)


def profile_pages(people, extra):
    """BENCH_PROFILE=1: each page once per profile, in-process, with its query count and slowest SQL.

    For finding what makes a page slow at this volume; no concurrency, test settings.
    """
    from django.db import reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    seen = set()
    rnd = random.Random(1)  # noqa: S311
    print("\n== One request at a time, in-process (BENCH_PROFILE) ==")
    for code, user in people:
        if code in seen:
            continue
        seen.add(code)
        client = Client()
        client.force_login(user)
        agreements = samples_for(user)
        for label, template in pages_by_profile(extra)[code]:
            path = template.format(n=rnd.randint(1, 996), agreement=rnd.choice(agreements or [0]))
            timings = []
            for _ in range(3):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
            slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
            print(f"{code:<20} {label:<48} {response.status_code} {min(timings):8.1f} ms {len(queries):4d} queries")
            for q in slowest:
                print(f"      {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")


def default_partition_rows():
    """Rows of the history log that no monthly partition took (None when the log is not partitioned)."""
    from audit.partitions import DEFAULT_SUFFIX, PARTITIONED_TABLES, is_partitioned, table_exists

    tables = [t + DEFAULT_SUFFIX for t in PARTITIONED_TABLES if is_partitioned(t) and table_exists(t + DEFAULT_SUFFIX)]
    if not tables:
        return None
    rows = 0
    with connection.cursor() as cursor:
        for table in tables:  # names from audit.partitions, not from input
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows += cursor.fetchone()[0]
    return rows


def table_counts():
    labels = {
        "institutions": "agreements.Institution",
        "users": "accounts.User",
        "agreements": "agreements.Agreement",
        "obligations": "agreements.Obligation",
        "account requests": "accounts.AccountRequest",
        "access events": "audit.AccessEvent",
        "events (sign-ins, locks)": "audit.Event",
    }
    counts = {}
    with connection.cursor() as cursor:
        for name, label in labels.items():
            found = model(label)
            if found is not None:
                cursor.execute(f"SELECT count(*) FROM {found._meta.db_table}")  # noqa: S608
                counts[name] = cursor.fetchone()[0]
    return counts
