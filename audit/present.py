"""The history log in the auditor's words.

The timeline's rows carry what was stored: model labels (``accounts.accountrequest``), event
names, route names, query parameters and ids. This module turns a page of rows into what an
auditor reads: "Solicitud de cuenta «Ana López»", "solicitud de cuenta aprobada",
"Institución: ISSE → IMS", times in Mexico City to the second.

``audit`` imports no other app: model names come from the app registry at run time
(``apps.get_model(label)._meta.verbose_name``), event labels from ``audit.events``, and the
words for pages and detail keys from the registries below, which each app fills in its
``events.py`` (loaded by its AppConfig.ready()).
"""

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- registries the apps fill ------------------------------------------------------------------

_pages: dict[str, object] = {}  # view name -> what the page shows ("la lista de firmantes")
_keys: dict[str, object] = {
    # Keys shared by several apps' events and searches; apps add their own with register_keys().
    "reason": gettext_lazy("Motivo"),
    "until": gettext_lazy("Hasta"),
    "minutes": gettext_lazy("Minutos"),
    "status": gettext_lazy("Estado"),
    "counted": gettext_lazy("Contó para el bloqueo"),
    "failures": gettext_lazy("Intentos fallidos"),
    "after_lock": gettext_lazy("Después de un bloqueo"),
    "logins_ended": gettext_lazy("Sesiones cerradas"),
    "sessions_ended": gettext_lazy("Sesiones cerradas"),
    "due_date": gettext_lazy("Fecha límite"),
    "method": gettext_lazy("Método"),
    "code": gettext_lazy("Clave"),
    "scope": gettext_lazy("Alcance"),
    "from": gettext_lazy("Antes"),
    "to": gettext_lazy("Después"),
    "object": gettext_lazy("Objeto"),
    "permission": gettext_lazy("Permiso"),
    "q": gettext_lazy("Texto buscado"),
    "page": gettext_lazy("Página"),
    "pagina": gettext_lazy("Página"),
    "institution": gettext_lazy("Institución"),
    "institucion": gettext_lazy("Institución"),
    "orden": gettext_lazy("Orden"),
    "estado": gettext_lazy("Estado"),
    "formato": gettext_lazy("Formato"),
    "filters": gettext_lazy("Filtros"),
}
# Keys whose value is an institution's id: shown by its acronym.
_INSTITUTION_KEYS = {"institution", "institucion", "institution_id"}


def register_pages(labels: dict) -> None:
    """What each route shows, for accesses to it: {"agreements:signatory_list": _("la lista de firmantes")}."""
    _pages.update(labels)


_kinds: dict[str, str] = {}  # an access row's object type from a URL argument -> "app.model"


def register_object_kinds(kinds: dict) -> None:
    """Which model a view's URL argument names, where the name does not say it.

    ``{"request": "accounts.accountrequest"}``: accesses to /cuentas/solicitudes/<request_pk>/ read
    "Solicitud de cuenta: …".
    """
    _kinds.update(kinds)


def register_keys(labels: dict) -> None:
    """The words for detail and search keys: {"acuerdo": _("Acuerdo")}."""
    _keys.update(labels)


def key_label(key: str) -> str:
    found = _keys.get(key)
    return str(found) if found is not None else capfirst(key.replace("_", " "))


# --- the words ---------------------------------------------------------------------------------


def local_time(value: dt.datetime) -> str:
    """A moment as the auditor reads it: Mexico City (the portal's zone), to the second."""
    return formats.date_format(timezone.localtime(value), "d/m/Y H:i:s")


@functools.cache
def _by_model_name() -> dict:
    """{model name: "app.model"} for names only one model has (``agreement`` -> agreements.agreement)."""
    seen: dict[str, list[str]] = defaultdict(list)
    for model in apps.get_models():
        seen[model._meta.model_name].append(model._meta.label_lower)
    return {name: labels[0] for name, labels in seen.items() if len(labels) == 1}


def resolve_type(object_type: str) -> str:
    """The model label an access row's object type names: the access log stores a model label,
    or, for a function view, the name of its URL argument (``agreement`` of ``agreement_pk``)."""
    if not object_type or "." in object_type:
        return object_type or ""
    return _kinds.get(object_type) or _by_model_name().get(object_type.replace("_", ""), "")


def type_label(label_lower: str) -> str:
    """ "Solicitud de cuenta" for ``accounts.accountrequest``; "" for what names no model."""
    if not label_lower or "." not in label_lower:
        return ""
    try:
        model = apps.get_model(label_lower)
    except (LookupError, ValueError):
        return ""
    return capfirst(str(model._meta.verbose_name))


def _model(label_lower: str):
    try:
        return apps.get_model(label_lower) if "." in (label_lower or "") else None
    except (LookupError, ValueError):
        return None


KINDS = {
    "access": gettext_lazy("Acceso"),
    "auth": gettext_lazy("Autenticación"),
    "business": gettext_lazy("Operación"),
    "change": gettext_lazy("Cambio"),
}


@dataclass
class Item:
    label: str
    value: str


@dataclass
class ShownRow:
    """A timeline row in words: every attribute is text the auditor reads."""

    row: object
    when: str
    kind: str
    who: str
    institution: str
    action: str
    object: str
    path: str = ""
    ip: str = ""
    status: str = ""
    items: list[Item] = field(default_factory=list)  # the detail: search, event detail, changes
    changes: list = field(default_factory=list)  # FieldChange (label, old, new) of a change row

    @property
    def detail_text(self) -> str:
        parts = [f"{i.label}: {i.value}" for i in self.items]
        parts += [f"{c.label}: {c.old} → {c.new}" for c in self.changes]
        return "; ".join(parts)


def _names(pairs) -> dict:
    """{(label_lower, id): str(object)} for the objects still present, one query per model."""
    wanted = defaultdict(set)
    for label_lower, object_id in pairs:
        if label_lower and object_id:
            wanted[label_lower].add(str(object_id))
    found = {}
    for label_lower, ids in wanted.items():
        model = _model(label_lower)
        if model is None:
            continue
        pk = model._meta.pk
        keys = []
        for i in ids:
            try:
                keys.append(pk.to_python(i))
            except ValidationError:  # an id of another shape (a folio): not looked up
                pass
        for obj in model._default_manager.filter(pk__in=keys):
            found[(label_lower, str(obj.pk))] = str(obj)
    return found


def _institutions(ids) -> dict:
    model = get_user_model()._meta.get_field("institution").related_model
    clean = {int(i) for i in ids if str(i).isdigit()}
    return {str(i.pk): getattr(i, "acronym", str(i)) for i in model._default_manager.filter(pk__in=clean)}


def _value(key, value, institutions) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("sí") if value else _("no")
    if key in _INSTITUTION_KEYS:
        return institutions.get(str(value), str(value))
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and "T" in value:
        moment = parse_datetime(value)
        if moment is not None:
            return local_time(moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key_label(k)}: {_value(k, v, institutions)}" for k, v in value.items())
    return str(value)


def _object_text(type_name: str, name: str, object_id: str) -> str:
    if name:
        return f"{type_name}: {name}" if type_name else name
    if type_name:
        return f"{type_name} n.º {object_id}" if object_id else type_name
    return ""


def show(rows) -> list[ShownRow]:
    """The page's rows in the auditor's words (a few queries per page, not per row)."""
    rows = list(rows)
    types = {r.object_type: resolve_type(r.object_type) for r in rows}
    names = _names((types[r.object_type], r.object_id) for r in rows)
    inst_ids = set()
    for r in rows:
        record = r.record
        for source in (getattr(record, "query", None), getattr(record, "detail", None)):
            if isinstance(source, dict):
                inst_ids.update(str(v) for k, v in source.items() if k in _INSTITUTION_KEYS)
    institutions = _institutions(inst_ids)
    shown = []
    for r in rows:
        type_name = type_label(types[r.object_type])
        name = names.get((types[r.object_type], str(r.object_id)), "")
        items: list[Item] = []
        changes: list = []
        path = ip = status = ""
        if r.kind == "access":
            record = r.record
            page = _pages.get(getattr(record, "view_name", ""))
            target = _object_text(type_name, name, r.object_id)
            shown_page = target or (str(page) if page else getattr(record, "path", r.path))
            verb = _("consultó") if getattr(record, "method", "GET") in ("GET", "HEAD") else _("envió datos en")
            action, obj = verb, shown_page
            items = [
                Item(key_label(k), _value(k, v, institutions))
                for k, v in (getattr(record, "query", None) or {}).items()
            ]
            path, ip = r.path, r.ip
            status = "" if r.status is None else str(r.status)
        elif r.kind == "change":
            action = r.action
            obj = _object_text(type_name, name, r.object_id)
            changes = list(getattr(r, "changes", None) or [])
        else:
            record = r.record
            action = r.action  # the event's registered label
            repr_ = getattr(record, "target_repr", "") or name
            obj = _object_text(type_name, repr_, r.object_id) if (type_name or repr_) else ""
            items = [
                Item(key_label(k), _value(k, v, institutions))
                for k, v in (getattr(record, "detail", None) or {}).items()
            ]
            ip = r.ip
        shown.append(
            ShownRow(
                row=r,
                when=local_time(r.ts),
                kind=str(KINDS.get(r.kind, r.kind)),
                who=r.username or _("Sistema"),
                institution=r.institution,
                action=action,
                object=obj or "—",
                path=path,
                ip=ip,
                status=status,
                items=items,
                changes=changes,
            )
        )
    return shown
