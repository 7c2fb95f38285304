"""The registry of event names: every action ``record_event`` accepts is registered here once.

Each app registers its own events in its ``events.py`` (imported by its AppConfig.ready()), so
this app knows no other app. An event type carries its category, the Spanish label the auditor
reads on the timeline, and the keys its detail may hold.

Names are ``<noun>_<past participle>`` (``agreement_renewed``). The sign-in events keep the short
names they were born with (``login_success``, ``lock``, ``suspension``...): dashboards, lockout
tests and whoever reads an export count them. Rows are never rewritten (the log is append-only),
so a renamed event lists its former names as ``aliases``: older rows keep their label, new rows
must use the new name. A ``retired`` event is one no code records any more; it stays registered
so that older rows still read as words.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

AUTH = "auth"
BUSINESS = "business"


@dataclass(frozen=True)
class EventType:
    name: str
    category: str
    label: str  # a lazy translation
    detail: tuple[str, ...] = ()  # the keys its detail may hold (none by default)
    aliases: tuple[str, ...] = ()  # former names, found on older rows
    retired: bool = False  # no longer recorded; registered for older rows' labels


_types: dict[str, EventType] = {}  # by name and by every alias


def register(*types: EventType) -> None:
    """Register event types; a name (or alias) registered twice by different types is a bug."""
    for event_type in types:
        if event_type.category not in (AUTH, BUSINESS):
            raise ValueError(f"Unknown event category: {event_type.category!r}")
        if not event_type.name or len(event_type.name) > 60:
            raise ValueError(f"An event needs a short name: {event_type.name!r}")
        for name in (event_type.name, *event_type.aliases):
            known = _types.get(name)
            if known is not None and known != event_type:
                raise ValueError(f"Event name registered twice: {name!r}")
            _types[name] = event_type


def registered() -> list[EventType]:
    """Every registered event type, once each, by name."""
    return sorted({t.name: t for t in _types.values()}.values(), key=lambda t: t.name)


def get(name: str) -> EventType | None:
    """The event type stored rows named ``name`` belong to (its current name or a former one)."""
    return _types.get(name)


def label(name: str) -> str:
    """What the auditor reads for an event name (the name itself if nobody registered it)."""
    event_type = _types.get(name)
    return str(event_type.label) if event_type is not None else name


def check(*, category: str, action: str, detail: dict | None) -> EventType:
    """The event type a new row may be recorded as; ValueError for anything not registered."""
    event_type = _types.get(action)
    if event_type is None:
        raise ValueError(f"Unregistered event: {action!r}")
    if event_type.retired or action != event_type.name:
        raise ValueError(f"Event {action!r} is no longer recorded; the current name is {event_type.name!r}")
    if category != event_type.category:
        raise ValueError(f"Event {action!r} belongs to category {event_type.category!r}, not {category!r}")
    unknown = sorted(set(detail or {}) - set(event_type.detail))
    if unknown:
        raise ValueError(f"Event {action!r} does not take detail keys {unknown}")
    return event_type


# --- The events this app records itself: sign-in, sign-out and passwords ---------------------

register(
    EventType("login_success", AUTH, _("inicio de sesión")),
    EventType(
        "login_failure",
        AUTH,
        _("intento fallido de inicio de sesión"),
        detail=("reason", "counted", "failures", "after_lock"),
    ),
    EventType("logout", AUTH, _("cierre de sesión")),
    EventType("password_change", AUTH, _("cambio de contraseña")),
    EventType("password_reset", AUTH, _("restablecimiento de contraseña")),
    EventType("password_reset_requested", AUTH, _("solicitud de restablecimiento de contraseña")),
)


# --- Archiving months of the history log (audit.archive) ------------------------------------
register(
    EventType("log_month_archived", BUSINESS, _("mes de la bitácora archivado"), detail=("month", "rows")),
    EventType("log_month_dropped", BUSINESS, _("mes de la bitácora retirado de la base de datos"), detail=("month",)),
    EventType(
        "log_month_restored", BUSINESS, _("mes de la bitácora restaurado desde su archivo"), detail=("month", "rows")
    ),
)
