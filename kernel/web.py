"""View plumbing every app shares: one page of a list, and the list's query string without its page.

Lists page in the database (``Paginator`` slices the queryset); the query string keeps the
person's filters and sort when they move between pages.
"""

from django.core.paginator import Page, Paginator
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
