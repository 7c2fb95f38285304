"""Field-level diffs over simple-history records (who, when, field: old -> new)."""

import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history import utils

ACTIONS = {"+": _("alta"), "~": _("cambio"), "-": _("baja")}


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: object
    action: str
    changes: list = field(default_factory=list)

    @property
    def when(self):
        return self.record.history_date

    @property
    def user(self):
        return self.record.history_user


@functools.cache
def historical_models():
    """Every simple-history model (not the many-to-many snapshots), from the app registry."""
    found = []
    for model in apps.get_models():
        if hasattr(model, "instance_type") and model._meta.pk.column == "history_id":
            found.append(model)
    return tuple(sorted(found, key=lambda m: m._meta.db_table))


def _display(model, name, value):
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field dropped since: show the raw value
        return str(value)
    if isinstance(value, dict | list):  # a JSON field: unhashable, shown as its JSON text
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    related = model_field.related_model if (model_field.many_to_one or model_field.one_to_one) else None
    if related is not None:  # a foreign key: the related object's name, not its id
        found = related._default_manager.filter(pk=value).first()
        return str(found) if found is not None else str(value)
    choices = dict(model_field.flatchoices) if getattr(model_field, "flatchoices", None) else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return str(_("sí") if value else _("no"))
    return str(value)


def _m2m_display(model, name, old, new):
    """Both sides of a many-to-many change as names of the related objects (groups, permissions)."""
    model_field = model._meta.get_field(name)
    other = utils.get_m2m_reverse_field_name(model_field)
    old_ids = {row.get(other) for row in old or [] if isinstance(row, dict)}
    new_ids = {row.get(other) for row in new or [] if isinstance(row, dict)}
    # select_related(): a permission's name shows its content type; one query, not one per row.
    related = model_field.related_model._default_manager.select_related().in_bulk(
        [i for i in old_ids | new_ids if i is not None]
    )

    def show(ids):
        return ", ".join(sorted(str(related.get(i, i)) for i in ids if i is not None)) or "—"

    return show(old_ids), show(new_ids)


def _label(model, name):
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:  # noqa: BLE001
        return name


def diff(record, previous) -> list[FieldChange]:
    """What changed from ``previous`` to ``record`` (both historical rows of one object)."""
    model = record.instance_type
    if previous is None:
        if record.history_type != "+":
            return []
        changes = []
        for f in record.tracked_fields:
            if not f.editable or f.primary_key:
                continue
            value = getattr(record, f.attname)
            if value in (None, ""):
                continue
            changes.append(FieldChange(f.name, _label(model, f.name), "—", _display(model, f.name, value)))
        return changes
    delta = record.diff_against(previous)
    changes = []
    m2m_names = {f.name for f in getattr(record, "_history_m2m_fields", [])}
    for change in delta.changes:
        if change.field in m2m_names:
            old, new = _m2m_display(model, change.field, change.old, change.new)
        else:
            old, new = _display(model, change.field, change.old), _display(model, change.field, change.new)
        changes.append(FieldChange(change.field, _label(model, change.field), old, new))
    return changes


def record_key(record) -> tuple:
    """A historical row's identity across tables: each history table numbers its rows itself,
    so a ``history_id`` alone names one row per table."""
    return (type(record), record.history_id)


# The annotation carrying the previous row's id: a name no tracked model can have as a field
# (an agreement's history has its own ``previous_id``, the renewal link).
_PREVIOUS = "_audit_previous_history_id"


def previous_records(records) -> dict:
    """{record_key(row): the row before it, or None} for historical rows of any tracked models.

    The same row simple-history's ``prev_record`` gives (the object's latest row dated before
    this one), found with one query per history table instead of one per row.
    """
    by_model = defaultdict(list)
    for record in records:
        by_model[type(record)].append(record.history_id)
    found = {}
    for model, ids in by_model.items():
        object_pk = model.instance_type._meta.pk.attname
        earlier = model._default_manager.filter(
            **{object_pk: OuterRef(object_pk)}, history_date__lt=OuterRef("history_date")
        ).order_by("-history_date")
        links = dict(
            model._default_manager.filter(history_id__in=ids)
            .annotate(**{_PREVIOUS: Subquery(earlier.values("history_id")[:1])})
            .values_list("history_id", _PREVIOUS)
        )
        rows = model._default_manager.in_bulk([p for p in links.values() if p is not None])
        found.update({(model, hid): rows.get(prev) for hid, prev in links.items()})
    return found


def entries_for(records) -> list[HistoryEntry]:
    """History entries with their diffs for an iterable of historical rows."""
    records = list(records)
    previous = previous_records(records)
    return [
        HistoryEntry(
            record, ACTIONS.get(record.history_type, record.history_type), diff(record, previous[record_key(record)])
        )
        for record in records
    ]


def summary(changes: list[FieldChange]) -> str:
    return "; ".join(f"{c.label}: {c.old} → {c.new}" for c in changes)
