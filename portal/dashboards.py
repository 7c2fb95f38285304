"""Dashboards: figures for each profile, read through the apps' scoped selectors.

A figure is a small table of numbers (row labels x one or more series) that the dashboard shows
twice: as a Chart.js chart (static/js/dashboards.js reads the numbers from a json_script block)
and as an accessible HTML table with the same numbers. Register a figure with ``@figure(...)``:
its builder receives the signed-in user and returns a ``Figure`` (or None when it has nothing to
show to that user). Every builder starts from a selector that already limits rows to the user's
scope, so the commission sees the whole platform and an institution administrator only its own.

Audiences: ``platform`` (commission profiles and superusers), ``institution`` (an institution's
own profiles) and ``assigned`` (profiles that see assigned agreements only).

Built figures are kept for a few minutes (``PORTAL_FIGURE_CACHE_SECONDS``, see ``_built``) in the
"shared" cache, one copy for every worker (Redis in production, this process's memory in the demo);
the dashboard says so. The beat job ``portal.tasks.refresh_dashboard_figures`` rebuilds the
platform's figures (the heavy history-log ones among them) before they go stale, so no one's view
pays for them; without it, one view rebuilds a stale figure under a lock while the others are
shown the previous one.
"""

import datetime as dt
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts import selectors as account_selectors
from accounts import selectors_basis as basis_selectors
from agreements import selectors as agreement_selectors
from audit.access import HISTORY_LOG  # the history-log figures ask for the same permission as its pages
from governance import selectors as governance_selectors
from kernel.scoping import ASSIGNED, INSTITUTION, PLATFORM, user_scope

WEEKS = 12


@dataclass
class Series:
    label: str
    values: list


@dataclass
class Figure:
    key: str
    title: str
    chart: str  # "bar", "line" or "doughnut"
    row_header: str
    labels: list
    series: list[Series]
    description: str = ""
    stacked: bool = False
    horizontal: bool = False

    @property
    def data_id(self):
        return f"{self.key}-datos"

    @property
    def rows(self):
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    def chart_data(self):
        return {
            "type": self.chart,
            "title": str(self.title),
            "labels": [str(label) for label in self.labels],
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "series": [{"label": str(s.label), "values": list(s.values)} for s in self.series],
        }


_REGISTRY = []


def figure(*, audiences=(PLATFORM, INSTITUTION, ASSIGNED), permission=None, order=100):
    """Register a figure builder for the given audiences, shown when the user holds ``permission``."""

    def decorator(builder):
        _REGISTRY.append({"builder": builder, "audiences": audiences, "permission": permission, "order": order})
        _REGISTRY.sort(key=lambda entry: entry["order"])
        return builder

    return decorator


def figures_for(user, *, rebuild=False):
    """The figures ``user`` may see; ``rebuild`` builds them again and stores them (the beat job)."""
    audience = user_scope(user)
    found = []
    for entry in _REGISTRY:
        if audience not in entry["audiences"]:
            continue
        if entry["permission"] and not user.has_perm(entry["permission"]):
            continue
        built = _built(entry["builder"], user, audience, rebuild=rebuild)
        if built is not None:
            found.append(built)
    return found


# A figure is shown for PORTAL_FIGURE_CACHE_SECONDS after it was built ("fresh"), and kept this many
# times longer, so that while one worker rebuilds it the others show the previous one.
STALE_FACTOR = 12
LOCK_SECONDS = 120  # longest a figure may take to build; past it, another worker may try
WAIT_SECONDS = 10  # nothing built yet and someone building it: wait this long for theirs
WAIT_STEP = 0.05


def figure_cache():
    return caches["shared"]


def figure_key(builder, user, audience):
    """Everything a figure depends on: its scope (the whole platform, one institution, or one
    person's assignments), the user's permissions (two profiles of the same scope may see
    different things), the language and the day. So no one is ever shown a figure built for a
    scope or permissions other than their own."""
    owner = {PLATFORM: "", INSTITUTION: user.institution_id, ASSIGNED: user.pk}.get(audience, user.pk)
    permissions = hashlib.sha256(" ".join(sorted(user.get_all_permissions())).encode()).hexdigest()[:16]
    return ":".join(
        [
            "figure",
            f"{builder.__module__}.{builder.__qualname__}",
            str(audience),
            str(owner),
            permissions,
            get_language() or "",
            timezone.localdate().isoformat(),
        ]
    )


def _built(builder, user, audience, *, rebuild=False):
    """The builder's figure, built once for every worker and kept PORTAL_FIGURE_CACHE_SECONDS.

    Weekly figures over the history log cost a scan of millions of rows; people open their
    dashboard many times an hour, on any of the app servers' workers. Each figure is kept once in
    the shared cache as (figure, fresh until). A fresh one is shown. A stale one is shown too,
    unless this view is the one that takes the lock (``cache.add``, atomic in Redis and in
    memory): that one builds it again. With nothing kept yet, the view that takes the lock
    builds it and the others wait for it (at most WAIT_SECONDS), so a figure is never built by
    every worker at once.
    """
    seconds = settings.PORTAL_FIGURE_CACHE_SECONDS
    if not seconds:
        return builder(user)
    cache, key = figure_cache(), figure_key(builder, user, audience)
    lock = f"{key}:building"
    if not rebuild:
        kept = cache.get(key)
        if kept is not None:
            built, fresh_until = kept
            if fresh_until > time.time() or not cache.add(lock, 1, LOCK_SECONDS):
                return built
        elif not cache.add(lock, 1, LOCK_SECONDS):
            kept = _wait_for(cache, key, lock)
            if kept is not None:
                return kept[0]
    try:
        built = builder(user)
        cache.set(key, (built, time.time() + seconds), seconds * STALE_FACTOR)
    finally:
        cache.delete(lock)
    return built


def _wait_for(cache, key, lock):
    """What another worker is building under ``lock``: once it is kept, or None if it is not
    within WAIT_SECONDS (then this view builds it itself)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        kept = cache.get(key)
        if kept is not None:
            return kept
        if cache.get(lock) is None:
            return cache.get(key)
    return None


def rebuild_platform_figures():
    """Build again the figures of every platform profile (the commission's, with the history-log
    figures), in every language, and keep them for all workers. Returns how many were built.

    One active account per profile stands for its holders: platform figures depend only on the
    profile's permissions (``figure_key``), never on the person. Institution and assignment
    figures are light (one institution's rows) and are built by the first view, under the lock.
    """
    from django.utils import translation

    from accounts.models import Profile, User

    built = 0
    for profile in Profile.objects.filter(scope=Profile.Scope.PLATFORM).order_by("pk"):
        holder = (
            User.objects.filter(profile=profile, is_active=True, is_superuser=False, status=User.Status.ACTIVE)
            .order_by("pk")
            .first()
        )
        if holder is None or user_scope(holder) != PLATFORM:
            continue
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                built += len(figures_for(holder, rebuild=True))
                _accounts_at_risk(holder, rebuild=True)
    return built


# --- Helpers for builders -------------------------------------------------------------------


def week_starts(weeks=WEEKS, today=None):
    """Mondays of the last ``weeks`` weeks, oldest first, in the portal's time zone."""
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def week_label(monday):
    return formats.date_format(monday, "j M")


def since(weeks=WEEKS):
    first = week_starts(weeks)[0]
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))


def weekly_counts(queryset, date_field, weeks=WEEKS, **filters):
    """{monday: count} of rows per week of ``date_field`` over the last ``weeks`` weeks."""
    mondays = week_starts(weeks)
    lookup = {f"{date_field}__gte": since(weeks), **filters}
    rows = (
        queryset.filter(**lookup).annotate(week=TruncWeek(date_field)).values("week").annotate(n=Count("pk")).order_by()
    )
    counts = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, dt.datetime):
            week = timezone.localtime(week).date() if timezone.is_aware(week) else week.date()
        counts[week] = counts.get(week, 0) + row["n"]
    return [counts.get(m, 0) for m in mondays]


def counts_by_choice(queryset, field_name, choices):
    """(labels, values) of rows per value of a choices field, in the choices' order."""
    found = dict(queryset.values_list(field_name).annotate(n=Count("pk")).order_by())
    labels, values = [], []
    for value, label in choices:
        labels.append(label)
        values.append(found.get(value, 0))
    return labels, values


# --- Accounts -------------------------------------------------------------------------------


@figure(permission="accounts.view_user", order=10)
def accounts_by_status(user):
    from accounts.models import User

    labels, values = counts_by_choice(account_selectors.user_list(user=user), "status", User.Status.choices)
    return Figure(
        key="cuentas-estado",
        title=_("Cuentas por estado"),
        chart="bar",
        row_header=_("Estado"),
        labels=labels,
        series=[Series(_("Cuentas"), values)],
        description=_("Todas las cuentas a su alcance, según su estado actual."),
        horizontal=True,
    )


@figure(permission="accounts.view_user", order=11)
def accounts_created_per_week(user):
    values = weekly_counts(account_selectors.user_list(user=user), "date_joined")
    return Figure(
        key="cuentas-altas",
        title=_("Cuentas dadas de alta por semana"),
        chart="line",
        row_header=_("Semana que inicia"),
        labels=[week_label(m) for m in week_starts()],
        series=[Series(_("Altas"), values)],
        description=_("Cuentas registradas en el portal en cada una de las últimas 12 semanas."),
    )


# --- Account requests -------------------------------------------------------------------------


@figure(permission="accounts.view_accountrequest", order=20)
def account_requests_by_status(user):
    from accounts.models import AccountRequest

    labels, values = counts_by_choice(
        account_selectors.account_request_list(user=user), "status", AccountRequest.Status.choices
    )
    return Figure(
        key="solicitudes-estado",
        title=_("Solicitudes de cuenta por estado"),
        chart="bar",
        row_header=_("Estado"),
        labels=labels,
        series=[Series(_("Solicitudes"), values)],
        description=_(
            "Solicitudes de cuenta a su alcance según su estado; las abiertas son borrador, en revisión y devueltas."
        ),
        horizontal=True,
    )


@figure(permission="accounts.view_accountrequest", audiences=(PLATFORM,), order=21)
def account_requests_sla(user):
    from django.db.models import F

    mondays = week_starts()
    decided = account_selectors.account_request_list(user=user).filter(decided_at__isnull=False, due_date__isnull=False)
    on_time = weekly_counts(decided.filter(decided_at__date__lte=F("due_date")), "decided_at")
    late = weekly_counts(decided.filter(decided_at__date__gt=F("due_date")), "decided_at")
    return Figure(
        key="solicitudes-plazo",
        title=_("Cumplimiento del plazo de atención por semana"),
        chart="bar",
        row_header=_("Semana que inicia"),
        labels=[week_label(m) for m in mondays],
        series=[Series(_("Resueltas en plazo"), on_time), Series(_("Resueltas fuera de plazo"), late)],
        description=_("Solicitudes de cuenta resueltas cada semana, dentro o fuera de su fecha límite de atención."),
        stacked=True,
    )


# --- Agreements -----------------------------------------------------------------------------


def month_starts(months, today=None):
    today = today or timezone.localdate()
    first = today.replace(day=1)
    found = []
    for _i in range(months):
        found.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return found


@figure(permission="agreements.view_agreement", order=30)
def agreements_by_status(user):
    from agreements.models import Agreement

    labels, values = counts_by_choice(agreement_selectors.agreement_list(user=user), "status", Agreement.Status.choices)
    return Figure(
        key="convenios-estado",
        title=_("Convenios por estado"),
        chart="bar",
        row_header=_("Estado"),
        labels=labels,
        series=[Series(_("Convenios"), values)],
        description=_("Convenios a su alcance según su estado."),
        horizontal=True,
    )


@figure(permission="agreements.view_agreement", order=31)
def agreements_expiring(user):
    from agreements.models import Agreement

    months = month_starts(7)
    rows = (
        agreement_selectors.agreement_list(user=user)
        .filter(status=Agreement.Status.IN_FORCE, end_date__gte=months[0], end_date__lt=months[-1])
        .values_list("pk", "end_date")  # with the pk: a DISTINCT scope must not merge equal dates
    )
    counts = dict.fromkeys(months[:-1], 0)
    for _pk, end in rows:
        counts[end.replace(day=1)] += 1
    return Figure(
        key="convenios-por-vencer",
        title=_("Convenios vigentes por mes de término"),
        chart="bar",
        row_header=_("Mes"),
        labels=[formats.date_format(m, "F Y") for m in months[:-1]],
        series=[Series(_("Convenios que terminan"), list(counts.values()))],
        description=_("Convenios vigentes que terminan en este mes y en los cinco siguientes."),
    )


# An institution's own deliveries: computing every obligation's calendar is cheap for one
# institution's few dozen, not for the whole platform's thousands on every commission page view.
@figure(permission="agreements.view_agreement", audiences=(INSTITUTION,), order=32)
def obligations_due(user):
    today = timezone.localdate()
    mondays = week_starts(8, today=today + dt.timedelta(weeks=7))
    overdue = 0
    counts = dict.fromkeys(mondays, 0)
    for row in agreement_selectors.obligation_due_dates(user=user, today=today):
        if row["overdue"]:
            overdue += 1
            continue
        monday = row["next_due"] - dt.timedelta(days=row["next_due"].weekday())
        if monday in counts:
            counts[monday] += 1
    return Figure(
        key="obligaciones",
        title=_("Obligaciones por entregar"),
        chart="bar",
        row_header=_("Semana"),
        labels=[_("Vencidas")] + [week_label(m) for m in mondays],
        series=[Series(_("Entregas pendientes"), [overdue, *counts.values()])],
        description=_("Entregas de compromisos de convenios vigentes: vencidas y por semana de fecha límite."),
    )


# --- History log: sign-ins, locks, searches -------------------------------------------------


def _search_routes():
    """The list routes whose filled parameters make a search: {view name: parameter names}.

    The parameters are the lists' own filters, so a filter added to a list is counted at once.
    """
    from accounts.forms import UserFilterForm
    from agreements.filters import AgreementFilter

    return {
        "agreements:list": tuple(AgreementFilter.base_filters),
        "accounts:user_list": tuple(UserFilterForm.base_fields),
    }


def _analyst_ids(user):
    return account_selectors.user_list(user=user).filter(profile__code="analyst").values("pk")


@figure(audiences=(PLATFORM,), permission=HISTORY_LOG, order=50)
def locks_and_suspensions(user):
    from audit import selectors as audit_selectors

    mondays = week_starts()
    counts = audit_selectors.event_counts_by_week(
        user=user, actions=("lock", "suspension"), since=since(), accounts_only=True
    )
    return Figure(
        key="bloqueos",
        title=_("Bloqueos y suspensiones de cuentas por semana"),
        chart="bar",
        row_header=_("Semana que inicia"),
        labels=[week_label(m) for m in mondays],
        series=[
            Series(_("Bloqueos (60 minutos)"), [counts.get(("lock", m), 0) for m in mondays]),
            Series(_("Suspensiones"), [counts.get(("suspension", m), 0) for m in mondays]),
        ],
        description=_("Cuentas bloqueadas por intentos fallidos y cuentas suspendidas, en las últimas 12 semanas."),
    )


@figure(audiences=(PLATFORM,), permission=HISTORY_LOG, order=51)
def usage_per_week(user):
    from audit import selectors as audit_selectors

    mondays, start = week_starts(), since()
    logins = audit_selectors.event_counts_by_week(user=user, actions=("login_success",), since=start)
    people = audit_selectors.event_counts_by_week(
        user=user, actions=("login_success",), since=start, distinct_actors=True
    )
    searches = audit_selectors.search_counts_by_week(
        user=user, routes=_search_routes(), since=start, user_ids=_analyst_ids(user)
    )
    return Figure(
        key="uso-semanal",
        title=_("Uso del portal por semana"),
        chart="line",
        row_header=_("Semana que inicia"),
        labels=[week_label(m) for m in mondays],
        series=[
            Series(_("Inicios de sesión"), [logins.get(("login_success", m), 0) for m in mondays]),
            Series(_("Personas que entraron"), [people.get(("login_success", m), 0) for m in mondays]),
            Series(_("Búsquedas de analistas"), [searches.get(m, 0) for m in mondays]),
        ],
        description=_("Inicios de sesión, personas distintas que entraron y búsquedas hechas por analistas."),
    )


@figure(audiences=(PLATFORM,), permission=HISTORY_LOG, order=52)
def usage_per_institution(user):
    from audit import selectors as audit_selectors

    rows = audit_selectors.usage_by_institution(
        user=user, since=since(4), search_routes=_search_routes(), searcher_ids=_analyst_ids(user), limit=10
    )
    names = dict(
        agreement_selectors.institution_list(user=user)
        .filter(pk__in=[r["institution_id"] for r in rows])
        .values_list("pk", "acronym")
    )
    return Figure(
        key="uso-instituciones",
        title=_("Uso por institución en las últimas 4 semanas"),
        chart="bar",
        row_header=_("Institución"),
        labels=[names.get(r["institution_id"], "—") for r in rows],
        series=[
            Series(_("Inicios de sesión"), [r["logins"] for r in rows]),
            Series(_("Personas que entraron"), [r["people"] for r in rows]),
            Series(_("Búsquedas de analistas"), [r["searches"] for r in rows]),
        ],
        description=_("Las diez instituciones con más inicios de sesión en las últimas cuatro semanas."),
        horizontal=True,
    )


# --- Context for the dashboard view ------------------------------------------------------------


def _access_review_context(user):
    """Institution administrators: their dormant accounts and the accounts still awaiting their answer."""
    from access_reviews import selectors as review_selectors

    if not (user.has_institution_scope and user.has_perm("access_reviews.change_reviewitem")):
        return {}
    return {
        "dormant_count": review_selectors.dormant_accounts(user=user).count(),
        "dormant_days": review_selectors.dormant_days(),
        "review_pending_count": review_selectors.open_items_for(user=user).count(),
    }


def _at_risk_rows(user):
    return basis_selectors.accounts_at_risk(user=user)


def _accounts_at_risk(user, *, rebuild=False):
    """Commission administrators (they reinstate and suspend): accounts whose basis ends soon.

    Working it out reads each member institution's agreements, memberships and suspensions, so
    it is kept in the shared cache like the figures: built once for every worker (and again by
    the beat job), not on each view of the dashboard."""
    if user_scope(user) != PLATFORM or not user.has_perm("accounts.reactivate_user"):
        return []
    return _built(_at_risk_rows, user, PLATFORM, rebuild=rebuild)


def context_for(user):
    agreements = (
        agreement_selectors.agreement_dashboard(user=user) if user.has_perm("agreements.view_agreement") else {}
    )
    governance = governance_selectors.dashboard(user=user) if user.has_perm("governance.view_acuerdo") else None
    return {
        **agreements,
        "governance": governance,
        "institutions_count": agreement_selectors.institution_list(user=user).count(),
        "users_count": account_selectors.user_list(user=user).count(),
        # Newest first by id (creation order): served by the primary key, no sort over every account.
        "recent_users": account_selectors.user_list(user=user).order_by("-pk")[:5],
        # Commission administrators (they reinstate and suspend): accounts whose basis ends soon.
        "accounts_at_risk": _accounts_at_risk(user),
        "figures": figures_for(user),
        **_access_review_context(user),
        # The commission's link officer: the letters for the data received still to sign (000 NOVENA).
        # Only the designations linked to this very account, whatever its profile's scope.
        "officer_letters_pending": list(agreement_selectors.officer_letters_pending(user=user)),
        "figures_refresh_minutes": round(settings.PORTAL_FIGURE_CACHE_SECONDS / 60),
        "audit_log_retention_years": settings.AUDIT_LOG_RETENTION_YEARS,
    }
