"""Reads of the history log: one timeline over accesses, events and every model's changes.

The timeline merges several sources, newest first, by (timestamp, source, id). Each source is
asked for at most ``limit + 1`` rows after the cursor, with a condition that its indexes serve
(``(occurred_at, id)``, ``(user_id, occurred_at, id)``...), so a page costs the same at the first
row and at the millionth: keyset pagination, never OFFSET.
"""

import base64
import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import events
from .history import ACTIONS, diff, historical_models, previous_records, record_key, summary
from .models import AccessEvent, Event


@dataclass
class TimelineFilters:
    user: str = ""
    institution_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""
    object_type: str = ""
    object_id: str = ""
    ip: str = ""
    text: str = ""


@dataclass
class TimelineRow:
    ts: dt.datetime
    source: str
    id: int
    kind: str
    action: str
    user_id: int | None = None
    username: str = ""
    institution_id: int | None = None
    institution: str = ""
    object_type: str = ""
    object_id: str = ""
    path: str = ""
    ip: str = ""
    status: int | None = None
    detail: str = ""
    record: object = field(default=None, repr=False)
    changes: list = field(default_factory=list, repr=False)  # a change row's FieldChanges

    @property
    def key(self):
        return (self.ts, self.source, self.id)


# --- cursor ----------------------------------------------------------------------------------
def encode_cursor(row: TimelineRow) -> str:
    raw = f"{row.ts.isoformat()}|{row.source}|{row.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value: str):
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        ts_text, source, row_id = raw.rsplit("|", 2)
        ts = parse_datetime(ts_text)
        if ts is None:
            return None
        return ts, source, int(row_id)
    except (ValueError, UnicodeDecodeError):
        return None


def _after(cursor, source, ts_field, id_field, descending=True):
    """Rows strictly after the cursor in (ts, source, id) order, newest or oldest first."""
    if cursor is None:
        return Q()
    ts, csource, cid = cursor
    strict, loose = ("lt", "lte") if descending else ("gt", "gte")
    comes_later = source < csource if descending else source > csource
    if source == csource:
        return Q(**{f"{ts_field}__{strict}": ts}) | Q(**{ts_field: ts, f"{id_field}__{strict}": cid})
    return Q(**{f"{ts_field}__{loose if comes_later else strict}": ts})


# --- sources ---------------------------------------------------------------------------------
def _date_range(filters, ts_field):
    q = Q()
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        q &= Q(**{f"{ts_field}__gte": start})
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        q &= Q(**{f"{ts_field}__lt": end})
    return q


# The timeline's user filter given a name rather than a username: at most this many people match.
USER_FILTER_MATCHES = 50


def _user_ids(filters):
    if not filters.user:
        return None
    # lower(username) = lower(typed): served by the case-insensitive unique index on usernames
    # (username__iexact compiles to UPPER() on PostgreSQL and scans 50,000 accounts).
    typed = filters.user.strip().lower()
    manager = get_user_model()._default_manager
    users = manager.alias(lowered=Lower("username")).filter(lowered=typed)
    found = list(users.order_by().values_list("pk", flat=True))
    if found or not hasattr(manager, "search"):
        return found
    # Not a username: a person's name, typed as people type it ("jose perez" for José Pérez). The
    # user model's manager searches accents and case aside (accounts: kernel.search, by trigram
    # index); the first USER_FILTER_MATCHES people found, so a common name stays one cheap query.
    matches = manager.search(filters.user).order_by("pk").values_list("pk", flat=True)
    return list(matches[:USER_FILTER_MATCHES])


class _Source:
    name = ""
    ts_field = "occurred_at"
    id_field = "id"

    def queryset(self, filters, user_ids):
        raise NotImplementedError

    def row(self, obj):
        raise NotImplementedError

    def bounded(self, filters, user_ids, cursor, limit, descending=True):
        """The source's next ``limit`` rows after the cursor, as an ordered, sliced queryset."""
        qs = self.queryset(filters, user_ids)
        if qs is None:
            return None
        after = _after(cursor, self.name, self.ts_field, self.id_field, descending)
        qs = qs.filter(_date_range(filters, self.ts_field), after)
        sign = "-" if descending else ""
        return qs.order_by(f"{sign}{self.ts_field}", f"{sign}{self.id_field}")[:limit]

    def fetch(self, filters, user_ids, cursor, limit, descending=True):
        qs = self.bounded(filters, user_ids, cursor, limit, descending)
        return [] if qs is None else [self.row(obj) for obj in qs]


class _AccessSource(_Source):
    name = "access"

    def queryset(self, filters, user_ids):
        if filters.kind and filters.kind != "access":
            return None
        qs = AccessEvent.objects.all()
        if user_ids is not None:
            qs = qs.filter(user_id__in=user_ids) if user_ids else qs.filter(username__iexact=filters.user.strip())
        if filters.institution_id:
            qs = qs.filter(institution_id=filters.institution_id)
        if filters.object_type:
            qs = qs.filter(object_type=filters.object_type)
        if filters.object_id:
            qs = qs.filter(object_id=filters.object_id)
        if filters.ip:
            qs = qs.filter(ip=filters.ip)
        if filters.text:
            qs = qs.filter(Q(path__icontains=filters.text) | Q(view_name__icontains=filters.text))
        return qs

    def row(self, e):
        detail = " ".join(f"{k}={v}" for k, v in (e.query or {}).items())
        return TimelineRow(
            ts=e.occurred_at,
            source=self.name,
            id=e.id,
            kind="access",
            action=e.view_name or e.method,
            user_id=e.user_id,
            username=e.username,
            institution_id=e.institution_id,
            object_type=e.object_type,
            object_id=e.object_id,
            path=f"{e.method} {e.path}",
            ip=e.ip or "",
            status=e.status,
            detail=(detail + f" ({e.duration_ms} ms)").strip(),
            record=e,
        )


class _EventSource(_Source):
    name = "event"

    def queryset(self, filters, user_ids):
        if filters.kind and filters.kind not in ("auth", "business"):
            return None
        qs = Event.objects.all()
        if filters.kind:
            qs = qs.filter(category=filters.kind)
        if user_ids is not None:
            qs = qs.filter(Q(actor_id__in=user_ids) | Q(actor_id=None, username__iexact=filters.user.strip()))
        if filters.institution_id:
            qs = qs.filter(institution_id=filters.institution_id)
        if filters.object_type:
            qs = qs.filter(target_type=filters.object_type)
        if filters.object_id:
            qs = qs.filter(target_id=filters.object_id)
        if filters.ip:
            qs = qs.filter(ip=filters.ip)
        if filters.text:
            qs = qs.filter(
                Q(action__icontains=filters.text)
                | Q(target_repr__icontains=filters.text)
                | Q(username__icontains=filters.text)
            )
        return qs

    def row(self, e):
        detail = " ".join(f"{k}={v}" for k, v in (e.detail or {}).items())
        return TimelineRow(
            ts=e.occurred_at,
            source=self.name,
            id=e.id,
            kind=e.category,
            action=events.label(e.action),
            user_id=e.actor_id,
            username=e.username,
            institution_id=e.institution_id,
            object_type=e.target_type,
            object_id=e.target_id,
            path=e.path,
            ip=e.ip or "",
            detail=(f"{e.target_repr} {detail}").strip(),
            record=e,
        )


class _ChangeSource(_Source):
    ts_field = "history_date"
    id_field = "history_id"

    def __init__(self, model):
        self.model = model
        self.label = model.instance_type._meta.label_lower
        self.name = f"change:{self.label}"
        self.pk_attname = model.instance_type._meta.pk.attname

    def queryset(self, filters, user_ids):
        if filters.kind and filters.kind != "change":
            return None
        if filters.ip or (filters.object_type and filters.object_type != self.label):
            return None
        if user_ids == []:
            return None  # a name no account has made no change (and an empty IN breaks the union)
        qs = self.model.objects.all()
        if user_ids is not None:
            qs = qs.filter(history_user_id__in=user_ids)
        if filters.institution_id:
            users = get_user_model()._default_manager.filter(institution_id=filters.institution_id)
            qs = qs.filter(history_user_id__in=users.values("pk"))
        if filters.object_id:
            qs = qs.filter(**{self.pk_attname: filters.object_id})
        if filters.text:
            users = get_user_model()._default_manager.filter(username__icontains=filters.text)
            if filters.text.lower() not in self.label:
                qs = qs.filter(history_user_id__in=users.values("pk"))
        return qs

    def bounded(self, filters, user_ids, cursor, limit, descending=True):
        if filters.object_id and not str(filters.object_id).isdigit():
            pk_field = self.model.instance_type._meta.pk
            if pk_field.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
                return None
        return super().bounded(filters, user_ids, cursor, limit, descending)

    def row(self, r):
        return TimelineRow(
            ts=r.history_date,
            source=self.name,
            id=r.history_id,
            kind="change",
            action=str(ACTIONS.get(r.history_type, r.history_type)),
            user_id=r.history_user_id,
            object_type=self.label,
            object_id=str(getattr(r, self.pk_attname)),
            record=r,
        )


def _fetch_changes(change_sources, filters, user_ids, cursor, limit, descending):
    """The next rows over every historical table in one round trip (PostgreSQL: UNION ALL).

    Each branch is the table's own keyset query (ordered, limited, index-served); the union keeps
    the first ``limit`` overall, then one query per table that contributed loads those rows.
    """
    if connection.vendor != "postgresql":
        rows = [row for src in change_sources for row in src.fetch(filters, user_ids, cursor, limit, descending)]
        rows.sort(key=lambda r: r.key, reverse=descending)
        return rows[:limit]
    parts, params, by_name = [], [], {}
    for src in change_sources:
        qs = src.bounded(filters, user_ids, cursor, limit, descending)
        if qs is None:
            continue
        qs = qs.annotate(timeline_source=Value(src.name, output_field=CharField())).values_list(
            "timeline_source", "history_id", "history_date"
        )
        sql, branch_params = qs.query.get_compiler(using=qs.db).as_sql()
        parts.append(f"({sql})")
        params.extend(branch_params)
        by_name[src.name] = src
    if not parts:
        return []
    way = "DESC" if descending else "ASC"
    sql = (
        f"SELECT u.timeline_source, u.history_id FROM ({' UNION ALL '.join(parts)}) AS u "  # noqa: S608 - built by the ORM
        f'ORDER BY u.history_date {way}, u.timeline_source COLLATE "C" {way}, u.history_id {way} LIMIT {int(limit)}'
    )
    with connection.cursor() as cursor_:
        cursor_.execute(sql, params)
        picked = cursor_.fetchall()
    wanted = defaultdict(list)
    for name, history_id in picked:
        wanted[name].append(history_id)
    rows = []
    for name, ids in wanted.items():
        src = by_name[name]
        rows.extend(src.row(record) for record in src.model.objects.filter(history_id__in=ids))
    rows.sort(key=lambda r: r.key, reverse=descending)
    return rows


def sources():
    return [_AccessSource(), _EventSource(), *(_ChangeSource(m) for m in historical_models())]


def object_types() -> list[str]:
    return sorted(m.instance_type._meta.label_lower for m in historical_models())


# --- the timeline ----------------------------------------------------------------------------
def scoped_filters(user, filters: TimelineFilters):
    """The filters narrowed to what ``user`` may see, or None when nothing could match."""
    if user is None or getattr(user, "has_platform_scope", False):
        return filters
    if not getattr(user, "has_institution_scope", False):
        # An assigned-scope profile reaches objects one by one, not its institution's log.
        return None
    own = getattr(user, "institution_id", None)
    if own is None or (filters.institution_id and filters.institution_id != own):
        return None
    return replace(filters, institution_id=own)


def timeline_page(*, user, filters: TimelineFilters, cursor=None, limit=50, with_diffs=True, descending=True):
    """One page of the timeline, newest first (or oldest first): (rows, next_cursor or None).

    ``user`` must hold audit.view_history_log (the view checks it). Platform-wide profiles
    (auditors, the commission) see every row; anyone else only the rows of their own institution
    (accesses and events of its people, changes its people made). ``user=None``: the operator's
    command line (audit_export), unscoped.
    """
    filters = scoped_filters(user, filters)
    if filters is None:
        return [], None
    user_ids = _user_ids(filters)
    every = sources()
    changes = [src for src in every if isinstance(src, _ChangeSource)]
    per_source = [src.fetch(filters, user_ids, cursor, limit + 1, descending) for src in every if src not in changes]
    per_source.append(_fetch_changes(changes, filters, user_ids, cursor, limit + 1, descending))
    merged = heapq.merge(*per_source, key=lambda r: r.key, reverse=descending)
    rows = []
    for row in merged:
        rows.append(row)
        if len(rows) > limit:
            break
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    rows = rows[:limit]
    _decorate(rows, with_diffs=with_diffs)
    return rows, next_cursor


def timeline_iter(*, user, filters: TimelineFilters, batch=1000, descending=True):
    """Every row of the filtered timeline in keyset batches (for exports)."""
    cursor = None
    while True:
        rows, next_cursor = timeline_page(user=user, filters=filters, cursor=cursor, limit=batch, descending=descending)
        yield from rows
        if next_cursor is None:
            return
        cursor = decode_cursor(next_cursor)


def _decorate(rows, *, with_diffs):
    """Fill usernames and institutions from the user table, and diffs of change rows."""
    User = get_user_model()
    user_ids = {r.user_id for r in rows if r.user_id}
    users = {u.pk: u for u in User._default_manager.filter(pk__in=user_ids).only("pk", "username", "institution_id")}
    for row in rows:
        found = users.get(row.user_id)
        if found is not None:
            row.username = row.username or found.username
            if row.kind == "change":
                row.institution_id = found.institution_id
    institution_model = User._meta.get_field("institution").related_model
    inst_ids = {r.institution_id for r in rows if r.institution_id}
    names = {i.pk: getattr(i, "acronym", str(i)) for i in institution_model._default_manager.filter(pk__in=inst_ids)}
    previous = previous_records([r.record for r in rows if r.kind == "change"]) if with_diffs else {}
    for row in rows:
        row.institution = names.get(row.institution_id, "")
        if with_diffs and row.kind == "change":
            row.changes = diff(row.record, previous[record_key(row.record)])
            row.detail = summary(row.changes)


# --- figures for the dashboards ----------------------------------------------------------------


def _events_in_scope(user):
    # The figures come from the history log: only those who may read it get them (defence in
    # depth; the dashboard registers these figures with the same permission).
    if not user.has_perm("audit.view_history_log"):
        return Event.objects.none()
    qs = Event.objects.all()
    if not getattr(user, "has_platform_scope", False):
        if not getattr(user, "has_institution_scope", False):
            return Event.objects.none()
        qs = qs.filter(institution_id=getattr(user, "institution_id", None))
    return qs


def event_counts_by_week(*, user, actions, since, actor_ids=None, distinct_actors=False, accounts_only=False):
    """{(action, local date of the week's Monday): count} of events with ``actions`` since ``since``.

    Scoped like the timeline (and empty without its permission): platform profiles count every
    institution's, anyone else their own. ``actor_ids`` (a queryset of user ids) narrows to those
    people; ``distinct_actors`` counts people instead of events; ``accounts_only`` leaves out
    events about usernames that match no account (a lock of a made-up name is logged, but no
    account was locked). One query, served
    by the (category, action, occurred_at) index.
    """
    from django.db.models import Count
    from django.db.models.functions import TruncWeek

    qs = _events_in_scope(user).filter(action__in=list(actions), occurred_at__gte=since)
    if actor_ids is not None:
        qs = qs.filter(actor_id__in=actor_ids)
    if accounts_only:
        qs = qs.exclude(target_id="")
    counted = Count("actor_id", distinct=True) if distinct_actors else Count("id")
    rows = qs.annotate(week=TruncWeek("occurred_at")).values("action", "week").annotate(n=counted).order_by()
    found: defaultdict[tuple, int] = defaultdict(int)
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, dt.datetime) else week
        found[(row["action"], week)] += row["n"]
    return dict(found)


def _accesses_in_scope(user):
    if not user.has_perm("audit.view_history_log"):
        return AccessEvent.objects.none()
    qs = AccessEvent.objects.all()
    if not getattr(user, "has_platform_scope", False):
        qs = qs.filter(institution_id=getattr(user, "institution_id", None))
    return qs


def _searches(routes):
    """Accesses that are searches: a list route answered with one of its search parameters filled.

    ``routes`` is {view name: names of its search parameters}. A search is logged once, by the
    access log with its query (000, DÉCIMA TERCERA); a page number alone, or a form sent with
    every field empty, is no search.
    """
    from django.db.models import Value
    from django.db.models.fields.json import KeyTextTransform
    from django.db.models.lookups import GreaterThan

    found = Q(pk__in=[])
    for view_name, params in routes.items():
        filled = Q(pk__in=[])
        for param in params:
            filled |= Q(GreaterThan(KeyTextTransform(param, "query"), Value("")))
        found |= Q(view_name=view_name) & filled
    return found & Q(method="GET", status__lt=400)


def search_counts_by_week(*, user, routes, since, user_ids=None):
    """{local date of the week's Monday: searches} on the list ``routes`` since ``since``.

    Scoped like ``event_counts_by_week``; ``user_ids`` (a queryset of user ids) narrows to those
    people. One query, served by the (view_name, occurred_at) index.
    """
    from django.db.models import Count
    from django.db.models.functions import TruncWeek

    qs = _accesses_in_scope(user).filter(_searches(routes), occurred_at__gte=since)
    if user_ids is not None:
        qs = qs.filter(user_id__in=user_ids)
    rows = qs.annotate(week=TruncWeek("occurred_at")).values("week").annotate(n=Count("id")).order_by()
    found: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, dt.datetime) else week
        found[week] += row["n"]
    return dict(found)


def usage_by_institution(
    *, user, since, login_actions=("login_success",), search_routes=None, searcher_ids=None, limit=10
):
    """Per institution id since ``since``: sign-ins, people who signed in, searches; busiest first.

    Searches are accesses to ``search_routes`` (see ``_searches``); ``searcher_ids`` (a queryset
    of user ids) counts only those people's searches.
    """
    from django.db.models import Count

    rows = list(
        _events_in_scope(user)
        .filter(occurred_at__gte=since, action__in=list(login_actions), institution_id__isnull=False)
        .values("institution_id")
        .annotate(logins=Count("id"), people=Count("actor_id", distinct=True))
        .order_by("-logins", "institution_id")[:limit]
    )
    searches = {}
    if search_routes and rows:
        qs = _accesses_in_scope(user).filter(
            _searches(search_routes), occurred_at__gte=since, institution_id__in=[r["institution_id"] for r in rows]
        )
        if searcher_ids is not None:
            qs = qs.filter(user_id__in=searcher_ids)
        searches = dict(
            qs.values("institution_id").annotate(n=Count("id")).values_list("institution_id", "n").order_by()
        )
    for row in rows:
        row["searches"] = searches.get(row["institution_id"], 0)
    return rows
