"""Where an obligation's compliance marks come from.

By default the commission types them (``ComplianceRecord``: three checkboxes per period). An app
above agreements that computes them (supply: the evaluation of validated data deliveries, 000
DÉCIMA OCTAVA) registers a source here from its ``AppConfig.ready()``; the obligations it covers
are no longer typed by hand, and the compliance tables read its marks instead.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.db.models import QuerySet


@dataclass(frozen=True)
class Marks:
    """One period's three marks for an institution under an agreement."""

    institution: Any
    agreement: Any
    supply: bool
    timeliness: bool
    quality: bool


class Source(Protocol):
    def computed(self, obligations: QuerySet) -> QuerySet:
        """The obligations among ``obligations`` whose marks this source computes."""
        ...

    def marks(self, *, user, agreement=None) -> Iterable[Marks]:
        """The computed marks the user may see (of one agreement when given)."""
        ...

    def done_periods(self, obligation_ids: Iterable[int]) -> Iterable[tuple[int, date]]:
        """(obligation id, period start) of the periods fulfilled (supply met)."""
        ...


_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def sources() -> tuple[Source, ...]:
    return tuple(_SOURCES)


def computed_ids(obligations: QuerySet) -> set[int]:
    """Ids of the obligations whose marks a registered source computes (not typed by hand)."""
    found: set[int] = set()
    for source in _SOURCES:
        found.update(source.computed(obligations).values_list("pk", flat=True))
    return found


def done_periods(obligation_ids: Iterable[int]) -> list[tuple[int, date]]:
    ids = list(obligation_ids)
    return [pair for source in _SOURCES for pair in source.done_periods(ids)]
