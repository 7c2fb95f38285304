"""No N+1: the number of SQL queries of each main page stays the same as the data grows.

Each page is requested with a small world and again after the world has grown several times
over; the two counts must be equal. Add a page to PAGES and, when a feature brings new data,
a grower to GROWERS (it receives the world and how many rows of each kind to add).
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory, profile
from agreements.tests.factories import CommissionFactory, InstitutionFactory

pytestmark = pytest.mark.django_db

SMALL, GROWTH = 2, 12


class World:
    """The commission, the institution under test and another one, one viewer per profile."""

    def __init__(self):
        self.commission = CommissionFactory()
        self.mine = InstitutionFactory(acronym="MIA")
        self.other = InstitutionFactory(acronym="OTRA")
        self.viewers = {}
        for code in ("commission_admin", "commission_reviewer", "auditor"):
            self.viewers[code] = UserFactory(institution=self.commission, profile=profile(code), username=code)
        for code in ("institution_admin", "analyst"):
            self.viewers[code] = UserFactory(institution=self.mine, profile=profile(code), username=code)
        self.sample_user = UserFactory(institution=self.mine, username="muestra")
        self.sample_agreement = None
        self.serial = 0
        self.rounds = 0

    def grow(self, n):
        self.rounds += 1
        for grower in GROWERS:
            grower(self, n)


def grow_accounts(world, n):
    statuses = [User.Status.ACTIVE, User.Status.SUSPENDED, User.Status.PENDING_LETTER]
    for i in range(n):
        for institution in (world.mine, world.other):
            UserFactory(institution=institution, status=statuses[i % len(statuses)])
    # The sample user's profile history grows too (shown on its detail page).
    from accounts.services import user_set_profile

    codes = ["analyst", "institution_admin"]
    actor = world.viewers["commission_admin"]
    for i in range(n):
        user_set_profile(user=world.sample_user, profile=profile(codes[(world.rounds + i) % 2]), actor=actor)


def grow_agreements(world, n):
    """Agreements with both institutions, each with an obligation and a delivered period; the
    sample agreement gets more obligations, deliveries and changes (its detail page)."""
    from datetime import date

    from agreements import services
    from agreements.tests.factories import make_agreement

    actor = world.viewers["commission_admin"]
    if world.sample_agreement is None:
        world.sample_agreement = make_agreement(members=[world.mine], commission=world.commission, actor=actor)
    targets = [world.sample_agreement] * n
    for i in range(n):
        targets.append(
            make_agreement(members=[world.mine, world.other][: 1 + i % 2], commission=world.commission, actor=actor)
        )
    for agreement in targets:
        party = agreement.parties.get(institution=world.mine)
        obligation = services.obligation_create(
            agreement=agreement,
            actor=actor,
            party=party,
            description="Entrega mensual de información",
            schedule="monthly",
            starts_on=date(2026, 1, 1),
            business_days=5,
        )
        services.compliance_record(
            obligation=obligation,
            actor=actor,
            period_start=date(2026, 1, 1),
            delivered_on=date(2026, 1, 7),
            delivered_by=actor,
            supply_ok=True,
            quality_ok=True,
        )


def grow_notifications(world, n):
    from kernel.notifications.services import notify

    for _ in range(n):
        notify(recipients=list(world.viewers.values()), template="bienvenida", context={})


def grow_events(world, n):
    """Sign-ins, locks, suspensions and searches of both institutions' people (dashboards, timeline)."""
    from audit.models import AccessEvent
    from audit.services import record_event

    people = list(User.objects.filter(institution__in=[world.mine, world.other]).order_by("-pk")[: 2 * n])
    actions = [("auth", "login_success"), ("auth", "lock"), ("auth", "suspension"), ("access", "search")]
    for i, person in enumerate(people):
        for category, action in actions[: 1 + i % len(actions)]:
            if category == "access":  # a search is an access to a list with its query
                AccessEvent.objects.create(
                    user_id=person.pk,
                    username=person.username,
                    institution_id=person.institution_id,
                    method="GET",
                    path="/convenios/",
                    view_name="agreements:list",
                    query={"q": "convenio"},
                    status=200,
                )
            else:
                record_event(category=category, action=action, actor=person)
    for _ in range(n):
        record_event(category="auth", action="login_success", actor=world.sample_user)


def grow_account_requests(world, n):
    """Submitted requests of both institutions (review queue, request list, dashboards)."""
    import datetime as dt

    from django.utils import timezone

    from accounts.models import AccountRequest
    from accounts.tests.factories import valid_curp

    now = timezone.now()
    statuses = ["submitted", "submitted", "draft", "returned", "approved", "rejected"]
    for i in range(n):
        for institution in (world.mine, world.other):
            world.serial += 1
            status = statuses[world.serial % len(statuses)]
            decided = status in ("approved", "rejected")
            AccountRequest.objects.create(
                institution=institution,
                status=status,
                given_names="Persona",
                paternal_surname=f"Solicitante{world.serial}",
                curp=valid_curp(50000 + world.serial),
                requested_profile=profile("analyst"),
                created_by=world.viewers["institution_admin"],
                submitted_at=None if status == "draft" else now - dt.timedelta(days=i),
                due_date=None if status == "draft" else timezone.localdate() + dt.timedelta(days=10 - i),
                decided_at=now if decided else None,
                decided_by=world.viewers["commission_reviewer"] if decided else None,
            )


GROWERS = [grow_accounts, grow_agreements, grow_notifications, grow_events, grow_account_requests]


@dataclass(frozen=True)
class Page:
    label: str
    viewer: str  # profile code of the World's viewer who opens it
    url: object  # callable(world) -> str


PAGES = [
    Page("tablero de la Comisión", "commission_admin", lambda w: reverse("dashboard")),
    Page("tablero de revisión", "commission_reviewer", lambda w: reverse("dashboard")),
    Page("tablero de auditoría", "auditor", lambda w: reverse("dashboard")),
    Page("tablero de la institución", "institution_admin", lambda w: reverse("dashboard")),
    Page("tablero de consulta", "analyst", lambda w: reverse("dashboard")),
    Page("lista de usuarios (Comisión)", "commission_admin", lambda w: reverse("accounts:user_list")),
    Page("lista de usuarios con filtro", "commission_admin", lambda w: reverse("accounts:user_list") + "?q=usuario"),
    Page("lista de usuarios (institución)", "institution_admin", lambda w: reverse("accounts:user_list")),
    Page(
        "detalle de usuario",
        "commission_admin",
        lambda w: reverse("accounts:user_detail", kwargs={"user_pk": w.sample_user.pk}),
    ),
    Page("catálogo de perfiles", "commission_admin", lambda w: reverse("accounts:profile_list")),
    Page(
        "convenios con filtro (Comisión)",
        "commission_admin",
        lambda w: reverse("agreements:list") + "?status=in_force&q=CONV",
    ),
    Page(
        "convenios con filtro (institución)",
        "institution_admin",
        lambda w: reverse("agreements:list") + f"?status=in_force&institution={w.mine.pk}",
    ),
    Page("bitácora con filtro de usuario", "auditor", lambda w: reverse("audit:timeline") + "?user=muestra"),
    Page("bitácora con filtro de tipo", "auditor", lambda w: reverse("audit:timeline") + "?kind=auth"),
    Page("cola de revisión", "commission_reviewer", lambda w: reverse("onboarding:review_queue")),
    Page(
        "solicitudes de cuenta (institución)", "institution_admin", lambda w: reverse("onboarding:account_request_list")
    ),
    Page("bandeja de notificaciones", "institution_admin", lambda w: reverse("notifications:inbox")),
    Page("envíos de notificaciones", "commission_admin", lambda w: reverse("notifications:outbox")),
    Page(
        "detalle de convenio",
        "commission_admin",
        lambda w: reverse("agreements:detail", kwargs={"agreement_pk": w.sample_agreement.pk}),
    ),
    Page(
        "detalle de convenio (institución)",
        "institution_admin",
        lambda w: reverse("agreements:detail", kwargs={"agreement_pk": w.sample_agreement.pk}),
    ),
]


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types, site, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def measure(world, clients):
    return {page.label: count_queries(clients[page.viewer], page.url(world)) for page in PAGES}


def test_query_counts_do_not_grow_with_the_data():
    from django.test import Client

    world = World()
    clients = {}
    for code, viewer in world.viewers.items():
        clients[code] = Client()
        assert clients[code].login(username=viewer.username, password=PASSWORD)

    world.grow(SMALL)
    small = measure(world, clients)
    world.grow(GROWTH)
    world.grow(GROWTH)
    large = measure(world, clients)

    grew = {}
    for label, (count, queries) in small.items():
        big_count, big_queries = large[label]
        if big_count > count:  # fewer is not an N+1 (e.g. fewer kinds of object on the page)
            extra = [q for q in big_queries if q not in queries][:5]
            grew[label] = f"{count} -> {big_count} queries; e.g. {extra}"
    assert not grew, "pages whose query count grows with the data (N+1):\n" + "\n".join(
        f"  {k}: {v}" for k, v in grew.items()
    )
    print({label: count for label, (count, _) in large.items()})
