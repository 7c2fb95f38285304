import itertools
from types import SimpleNamespace

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from .access import history_log_required
from .export import auditor_csv_lines, guarded
from .forms import TimelineFilterForm
from .present import show
from .selectors import TimelineFilters, decode_cursor, timeline_iter, timeline_page

PAGE_SIZE = 50


def _filters(request):
    form = TimelineFilterForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return form, form.filters()
    return form, None if form.is_bound else TimelineFilters()


@history_log_required
def timeline(request):
    form, filters = _filters(request)
    sorting = _timeline_sort(request)
    rows, next_cursor = [], None
    if filters is not None:
        rows, next_cursor = timeline_page(
            user=request.user,
            filters=filters,
            cursor=decode_cursor(request.GET.get("despues", "")),
            limit=PAGE_SIZE,
            descending=sorting.descending,
        )
    params = request.GET.copy()
    params.pop("despues", None)
    return render(
        request,
        "audit/timeline.html",
        {
            "form": form,
            "rows": show(rows),
            "next_cursor": next_cursor,
            "filter_query": params.urlencode(),
            "is_first_page": not request.GET.get("despues"),
            "sorting": sorting,
        },
    )


def _timeline_sort(request):
    """The timeline sorts by its date only, newest first unless ``?orden=fecha`` (oldest first).

    The same shape as kernel.web's ``Sort`` (which audit, below the kernel, does not import), so the
    ``listing`` header tag draws its column; a new sort drops the cursor (``despues``). Any other
    value is the default.
    """
    return SimpleNamespace(
        key="fecha",
        descending=request.GET.get("orden") != "fecha",
        param="orden",
        reset=("despues", "page"),
        columns=frozenset({"fecha"}),
    )


@history_log_required
def timeline_csv(request):
    form, filters = _filters(request)
    if filters is None:
        return render(request, "audit/timeline.html", {"form": form, "rows": [], "is_first_page": True}, status=400)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    lines = auditor_csv_lines(timeline_iter(user=request.user, filters=filters))
    # The header and the first row (so the first batch) are made before the response starts:
    # what fails there (the filters, every source's query, the diffs) answers an error page
    # instead of a 200 with an empty file.
    head = ["\ufeff", *itertools.islice(lines, 2)]  # the BOM: spreadsheets read the accents
    response = StreamingHttpResponse(
        guarded(itertools.chain(head, lines), name="timeline_csv"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="bitacora-{stamp}.csv"'
    return response


def public_key(request):
    """The verifier keys of the history log's checkpoints (C2SP vkey lines, current first).

    Public (no sign-in): an outside auditor fetches it to check checkpoints offline. The URLconf
    that mounts it at /.well-known/bitacora-key declares it public.
    """
    from .keys import verifiers

    response = HttpResponse("".join(f"{v.vkey}\n" for v in verifiers()), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
