"""Tags every list shares: its result count and its sortable column headers.

``{% load listing %}`` then, in a table's header row, ``{% sort_header "nombre" _("Nombre") %}``
for each sortable column; the view puts the list's ``Sort`` in the context as ``sorting``
(kernel.web.sort). Without it (a shared table shown elsewhere unsorted) the header is plain.
Above the table, ``{% include "includes/result_count.html" %}`` (it reads ``page``).
"""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kernel import web

register = template.Library()


@register.simple_tag
def result_count(page) -> str:
    """ "134 resultados (mostrando 21–40)", "1 resultado", "Sin resultados"."""
    total = page.paginator.count
    if not total:
        return _("Sin resultados")
    text = ngettext("%(count)s resultado", "%(count)s resultados", total) % {
        "count": number_format(total, force_grouping=True)
    }
    if page.paginator.num_pages > 1:
        shown = _("(mostrando %(first)s–%(last)s)") % {
            "first": number_format(page.start_index(), force_grouping=True),
            "last": number_format(page.end_index(), force_grouping=True),
        }
        text = f"{text} {shown}"
    return text


def _sort_anchor(current, request, key: str, label, *, idle_arrow: bool):
    """The link sorting by ``key`` (ascending, then descending on a second click) and its state:
    on the active column a visible arrow and words for screen readers."""
    state = web.sort_state(current, key)
    href = "?" + web.sort_query(request.GET, current, key)
    if not state:
        if idle_arrow:
            return state, format_html(
                '<a class="sort" href="{}">{}<span class="sort-arrow" aria-hidden="true">↕</span></a>', href, label
            )
        return state, format_html('<a class="sort" href="{}">{}</a>', href, label)
    arrow, spoken = ("▲", _("orden ascendente")) if state == "ascending" else ("▼", _("orden descendente"))
    return state, format_html(
        '<a class="sort active" href="{}">{}<span class="sort-arrow" aria-hidden="true">{}</span>'
        '<span class="visually-hidden"> ({})</span></a>',
        href,
        label,
        arrow,
        spoken,
    )


def _sortable(context, key: str):
    current, request = context.get("sorting"), context.get("request")
    if current is None or request is None or key not in getattr(current, "columns", ()):
        return None, None
    return current, request


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label) -> str:
    """A column's ``<th>``: a sorting link, with ``aria-sort`` on the active column."""
    current, request = _sortable(context, key)
    if current is None:
        return format_html('<th scope="col">{}</th>', label)
    state, anchor = _sort_anchor(current, request, key, label, idle_arrow=True)
    if not state:
        return format_html('<th scope="col">{}</th>', anchor)
    return format_html('<th scope="col" aria-sort="{}">{}</th>', state, anchor)


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label) -> str:
    """A list of cards has no column headers: a link that sorts it by ``key`` like a header does."""
    current, request = _sortable(context, key)
    if current is None:
        return format_html("{}", label)
    return _sort_anchor(current, request, key, label, idle_arrow=False)[1]


@register.simple_tag(takes_context=True)
def keep_sort(context) -> str:
    """A filter form's hidden field that keeps the list's current sort when the filters change
    (only a whitelisted value; the default sort needs none)."""
    current = context.get("sorting")
    request = context.get("request")
    if current is None or request is None:
        return ""
    param = getattr(current, "param", web.SORT_PARAM)
    value = request.GET.get(param, "")
    if not value or value.removeprefix("-") not in getattr(current, "columns", ()):
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', param, value)
