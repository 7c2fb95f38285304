"""View plumbing every app shares: one page of a list, the list's query string without its page,
and the list's sort by column (a whitelist of public keys).

Lists page in the database (``Paginator`` slices the queryset); the query string keeps the
person's filters and sort when they move between pages. Templates show the count and the
sortable headers with the ``listing`` tags (kernel/templatetags/listing.py) and
``includes/result_count.html``.
"""

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import OrderBy
from django.http import HttpRequest

PAGE_SIZE = 20


def page(request: HttpRequest, rows, size: int = PAGE_SIZE) -> Page:
    """The page of ``rows`` the request asks for (``?page=``); out-of-range numbers give the last."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without ``page``, to build the other pages' links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Sortable columns ---------------------------------------------------------------------------
#
# A list declares which columns sort as a whitelist: public key (what the query string carries,
# in Spanish) -> the ORM ordering it stands for. ``?orden=nombre`` sorts ascending,
# ``?orden=-nombre`` descending; anything else (an unknown key, a field name, an injection
# attempt) gives the list's default. The query string never reaches ``order_by`` itself.

SORT_PARAM = "orden"


@dataclass(frozen=True)
class Sortable:
    """A list's sortable columns and its default (a public key, ``-`` in front for descending)."""

    columns: Mapping[str, tuple[str | OrderBy, ...]]
    default: str
    tiebreaker: tuple[str, ...] | str = "pk"

    def __post_init__(self):
        if self.default.removeprefix("-") not in self.columns:
            raise ValueError(f"default sort {self.default!r} is not one of the columns")


@dataclass(frozen=True)
class Sort:
    """The sort a list is shown in: its active key and direction, what the header links need.

    ``reset`` names the parameters a new sort drops (the page number, a cursor): sorting again
    starts at the first page.
    """

    key: str
    descending: bool
    param: str = SORT_PARAM
    reset: tuple[str, ...] = ("page",)
    columns: frozenset[str] = field(default_factory=frozenset)

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key


def _reversed(term):
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    flipped = copy.copy(term)  # OrderBy.reverse_ordering() changes the expression in place
    return flipped.reverse_ordering()


def sort_from(params, sortable: Sortable, *, param: str = SORT_PARAM, reset=("page",)) -> Sort:
    """The sort the query ``params`` ask for, or the default when the value is not whitelisted."""
    wanted = params.get(param, "")
    wanted = wanted if isinstance(wanted, str) else ""
    key = wanted.removeprefix("-")
    if key not in sortable.columns:
        wanted = sortable.default
        key = wanted.removeprefix("-")
    return Sort(
        key=key,
        descending=wanted.startswith("-"),
        param=param,
        reset=tuple(reset),
        columns=frozenset(sortable.columns),
    )


def ordering(sortable: Sortable, current: Sort) -> list:
    """The ``order_by`` terms of ``current``: the column's, then the primary key so pages are stable."""
    terms = list(sortable.columns[current.key])
    last = sortable.tiebreaker
    terms.extend((last,) if isinstance(last, str) else last)
    return [_reversed(term) for term in terms] if current.descending else terms


def sort(request: HttpRequest, rows, sortable: Sortable, **kwargs) -> tuple:
    """``rows`` ordered as the request's ``?orden=`` asks (whitelisted), and the ``Sort`` shown.

    ``rows`` is a queryset (ordered in the database), or a list a selector computed in Python
    (rows of dicts or objects): then each column's terms are attribute paths ("institution.acronym"),
    the list is sorted in memory and the tiebreaker is the list's own order (Python's sort is stable).
    """
    chosen = sort_from(request.GET, sortable, **kwargs)
    if isinstance(rows, list):
        return _sorted_in_memory(rows, sortable.columns[chosen.key], chosen.descending), chosen
    return rows.order_by(*ordering(sortable, chosen)), chosen


def _value(row, path: str):
    for part in path.split("."):
        row = row[part] if isinstance(row, Mapping) else getattr(row, part)
    return row


def _sorted_in_memory(rows: list, terms, descending: bool) -> list:
    for term in terms:
        if not isinstance(term, str) or term.startswith("-"):
            raise ValueError("a list sorted in memory takes attribute paths in one direction")
    # None (an empty cell) sorts last ascending, like PostgreSQL's NULLs.
    return sorted(
        rows,
        key=lambda row: tuple((value is None, value) for value in (_value(row, t) for t in terms)),
        reverse=descending,
    )


def sort_state(current, key: str) -> str:
    """``aria-sort`` of column ``key``: "ascending", "descending", or "" when not the active one."""
    if current is None or getattr(current, "key", None) != key:
        return ""
    return "descending" if current.descending else "ascending"


def sort_query(params, current, key: str) -> str:
    """The query string of column ``key``'s header link: the same filters and search, no page,
    sorted by ``key`` ascending, or descending when it already is the ascending column."""
    query = params.copy()
    for name in (*current.reset, current.param):
        query.pop(name, None)
    ascending_now = current.key == key and not current.descending
    query[current.param] = f"-{key}" if ascending_now else key
    return query.urlencode()
