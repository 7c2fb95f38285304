"""Per-object change history for any page: ``{% include "audit/_object_history.html" with
object=agreement %}`` (the include loads ``history_page`` from here). The page that shows the
object has already checked that the user may see it; this only reads the object's own history.
"""

from django import template
from django.core.paginator import Paginator

from audit.history import entries_for

register = template.Library()
PAGE_SIZE = 20
PAGE_PARAM = "historial"


@register.simple_tag(takes_context=True)
def history_page(context, obj):
    """A page of ``obj``'s change history (newest first) with field-level diffs."""
    manager = getattr(obj, "history", None)
    if manager is None:
        return None
    request = context.get("request")
    number = request.GET.get(PAGE_PARAM, 1) if request is not None else 1
    records = manager.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(records, PAGE_SIZE).get_page(number)
    page.entries = entries_for(page.object_list)
    if request is not None:
        params = request.GET.copy()
        params.pop(PAGE_PARAM, None)
        page.base_query = params.urlencode()
    else:
        page.base_query = ""
    page.param = PAGE_PARAM
    return page
