"""What changed in a resubmitted account request since the Commission returned it.

Read from the history log (django-simple-history) of the request and of its documents, so the
reviewer's second round shows the first round's reasons and exactly what the institution
corrected: fields edited and documents replaced or added."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Field

from .models import AccountRequest
from .services_onboarding import CURU_FIELDS


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class DocumentChange:
    name: str
    replaced: bool  # False: added after the return (there was none before)
    before_name: str
    after_name: str
    note_then: str  # the reviewer's observation at the return, if any


@dataclass
class PreviousRound:
    returned_at: datetime
    reason: str
    fields: list[FieldChange] = field(default_factory=list)
    documents: list[DocumentChange] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (document, observation) at the return


def _field(name: str) -> Field:
    model_field = AccountRequest._meta.get_field(name)
    assert isinstance(model_field, Field)
    return model_field


def _display(record: Any, name: str) -> str:
    model_field = _field(name)
    if model_field.is_relation:
        related = getattr(record, f"{name}_id", None)
        if related is None:
            return "—"
        try:
            return str(getattr(record, name))
        except ObjectDoesNotExist:
            return "—"
    value = getattr(record, name)
    if model_field.choices:
        value = dict(model_field.flatchoices).get(value, value)
    return str(value) if value not in (None, "") else "—"


def _return_record(req: AccountRequest) -> Any | None:
    """The history record of the latest return for correction (submitted → returned)."""
    found, previous_status = None, None
    for record in req.history.order_by("history_date", "history_id"):
        if record.status == AccountRequest.Status.RETURNED and previous_status == AccountRequest.Status.SUBMITTED:
            found = record
        previous_status = record.status
    return found


def previous_round(req: AccountRequest) -> PreviousRound | None:
    """The last round that ended in a return for correction, and what changed since; ``None``
    for a request that was never returned or is not back in review."""
    if req.status != AccountRequest.Status.SUBMITTED or req.submission_count < 2:
        return None
    record = _return_record(req)
    if record is None:
        return None
    returned_at = record.history_date
    result = PreviousRound(returned_at=returned_at, reason=record.decision_reason)
    for name in CURU_FIELDS:
        before, after = _display(record, name), _display(req, name)
        if before != after:
            label = str(_field(name).verbose_name)
            result.fields.append(FieldChange(label=label[:1].upper() + label[1:], before=before, after=after))
    for doc in req.documents.select_related("requirement"):
        then = doc.history.filter(history_date__lte=returned_at).order_by("-history_date", "-history_id").first()
        name = doc.requirement.name
        if then is not None and then.check_note:
            result.notes.append((name, then.check_note))
        if then is None:
            result.documents.append(
                DocumentChange(name=name, replaced=False, before_name="", after_name=doc.original_name, note_then="")
            )
        elif then.sha256 != doc.sha256 or then.uploaded_at != doc.uploaded_at:  # uploaded again
            result.documents.append(
                DocumentChange(
                    name=name,
                    replaced=True,
                    before_name=then.original_name,
                    after_name=doc.original_name,
                    note_then=then.check_note,
                )
            )
    return result
