"""The commission's non-working days."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kernel import web
from kernel.access import permission

from .. import forms, services
from .common import _errors_to_form, _page

NON_WORKING_DAY_SORTS = web.Sortable({"fecha": ("date",), "motivo": ("description",)}, default="fecha")


@permission("agreements.view_nonworkingday")
@require_http_methods(["GET", "POST"])
def non_working_days(request):
    from ..models import NonWorkingDay

    can_add = request.user.has_perm("agreements.add_nonworkingday")
    form = forms.NonWorkingDayForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.non_working_day_add(
                    actor=request.user, day=form.cleaned_data["date"], description=form.cleaned_data["description"]
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Día inhábil registrado."))
                return redirect("agreements:non_working_days")
    rows, sorting = web.sort(request, NonWorkingDay.objects.all(), NON_WORKING_DAY_SORTS)
    return render(
        request,
        "agreements/non_working_days.html",
        {"page": _page(request, rows), "query": web.query_without_page(request), "form": form, "sorting": sorting},
    )


@permission("agreements.delete_nonworkingday")
@require_http_methods(["GET", "POST"])
def non_working_day_delete(request, non_working_day_pk):
    from django.shortcuts import get_object_or_404

    from ..models import NonWorkingDay

    entry = get_object_or_404(NonWorkingDay, pk=non_working_day_pk)
    if request.method == "POST":
        services.non_working_day_remove(actor=request.user, entry=entry)
        messages.success(request, _("Día inhábil eliminado."))
        return redirect("agreements:non_working_days")
    return render(
        request,
        "agreements/confirm.html",
        {
            "title": _("Eliminar día inhábil"),
            "question": _("¿Eliminar el %(day)s (%(desc)s) de los días inhábiles?")
            % {"day": f"{entry.date:%d/%m/%Y}", "desc": entry.description},
            "cancel_url": reverse("agreements:non_working_days"),
            "danger": True,
        },
    )
