"""Obligations and compliance."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kernel import web
from kernel.access import permission

from .. import forms, selectors, services
from .common import _errors_to_form, _page


@permission("agreements.add_obligation")
@require_http_methods(["GET", "POST"])
def obligation_create(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.ObligationForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.obligation_create(agreement=agreement, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Obligación registrada."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request, "agreements/form.html", {"form": form, "title": _("Registrar obligación"), "agreement": agreement}
    )


@permission("agreements.add_compliancerecord")
@require_http_methods(["GET", "POST"])
def compliance_create(request, obligation_pk):
    obligation = selectors.obligation_get(user=request.user, pk=obligation_pk)
    if not request.user.has_platform_scope and obligation.party.institution_id != request.user.institution_id:
        raise Http404
    from .. import rules

    today = timezone.localdate()
    done = set(obligation.records.values_list("period_start", flat=True))
    periods = [
        (p, _("%(start)s (vence %(due)s)") % {"start": f"{p:%d/%m/%Y}", "due": f"{d:%d/%m/%Y}"})
        for p, d in rules.obligation_periods(
            schedule=obligation.schedule,
            starts_on=obligation.starts_on,
            due_on=obligation.due_on,
            business_days=obligation.business_days,
            ends_on=obligation.ends_on,
            until=today,
        )
        if p not in done
    ]
    form = forms.ComplianceForm(request.POST or None, request.FILES or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.compliance_create(
                obligation=obligation,
                actor=request.user,
                evidence_file=data.get("evidence"),
                period_start=date.fromisoformat(data["period_start"]),
                delivered_on=data["delivered_on"],
                delivered_by=data["delivered_by"],
                supply_ok=data["supply_ok"],
                quality_ok=data["quality_ok"],
                notes=data["notes"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Cumplimiento registrado."))
            return redirect("agreements:detail", agreement_pk=obligation.agreement_id)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Registrar cumplimiento"), "multipart": True, "agreement": obligation.agreement},
    )


COMPLIANCE_SORTS = web.Sortable(
    {
        "institucion": ("institution.acronym", "agreement.folio"),
        "convenio": ("agreement.folio", "institution.acronym"),
        "entregas": ("records",),
        "acopio": ("supply_pct",),
        "oportunidad": ("timeliness_pct",),
        "calidad": ("quality_pct",),
    },
    default="institucion",
)


@permission("agreements.view_compliancerecord")
def compliance_overview(request):
    # Computed per institution in Python: sorted in memory by the columns' attribute paths.
    rows, sorting = web.sort(request, selectors.compliance_table(user=request.user), COMPLIANCE_SORTS)
    return render(
        request,
        "agreements/compliance.html",
        {"page": _page(request, rows), "query": web.query_without_page(request), "sorting": sorting},
    )
