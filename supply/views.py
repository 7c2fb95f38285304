import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements.models import Agreement, Institution, Obligation
from audit.export import csv_safe_row
from kernel import web
from kernel.access import permission

from . import forms, selectors, services
from .models import Delivery

PAGE_SIZE = 20


def _page(request, rows):
    return web.page(request, rows, PAGE_SIZE)


_query_without_page = web.query_without_page


def _download(name: str, *, filename: str, content_type: str) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Deliveries ------------------------------------------------------------------------------


# Each list's sortable columns (?orden=, kernel.web): public keys -> orderings.
DELIVERY_SORTS = web.Sortable(
    {
        "archivo": ("file_name",),
        "institucion": ("institution__acronym",),
        "periodo": ("period_start",),
        "recibida": ("received_at",),
        "registros": ("records",),
        "estado": ("status",),
    },
    default="-recibida",
)
LAYOUT_SORTS = web.Sortable(
    {
        "layout": ("name",),
        "convenio": ("agreement__folio", "code"),
        "separador": ("delimiter",),
        "codificacion": ("encoding",),
        "umbral": ("quality_threshold",),
    },
    default="convenio",
)
CATALOG_SORTS = web.Sortable(
    {
        "catalogo": ("name", "-version"),
        "clave": ("code", "-version"),
        "version": ("version",),
        "claves": ("entry_count",),
        "institucion": ("institution__acronym", "code", "-version"),
        "cargado": ("created_at",),
    },
    default="institucion",
)
ENTRY_SORTS = web.Sortable({"clave": ("code",), "significado": ("meaning",)}, default="clave")
EVALUATION_SORTS = web.Sortable(
    {
        "periodo": ("period_start",),
        "institucion": ("institution__acronym",),
        "convenio": ("agreement__folio",),
        "fecha_limite": ("due_on",),
        "validos": ("valid_percent",),
        "reciente": ("-period_start", "institution__acronym"),  # no column: the default
    },
    default="reciente",
)


@permission("supply.view_delivery")
def delivery_list(request):
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("estado", "")
    rows, sorting = web.sort(request, selectors.delivery_list(user=request.user, q=q, status=status), DELIVERY_SORTS)
    context = {
        "page": _page(request, rows),
        "query": _query_without_page(request),
        "q": q,
        "status": status,
        "sorting": sorting,
        "statuses": Delivery.Status.choices,
    }
    return render(request, "supply/delivery_list.html", context)


def _institution_for(request, layout):
    """Who the delivery is for: the user's own institution, or (commission) the agreement's member."""
    if request.user.institution and not request.user.institution.is_commission:
        return request.user.institution
    party = layout.agreement.parties.exclude(institution__kind=Institution.Kind.COMMISSION).first()
    if party is None:
        raise Http404
    return party.institution


@permission("supply.add_delivery")
@require_http_methods(["GET", "POST"])
def delivery_create(request):
    layouts, sorting = web.sort(request, selectors.layout_list(user=request.user), LAYOUT_SORTS)
    platform = bool(getattr(request.user, "has_platform_scope", False))
    own = request.user.institution if request.user.institution and not request.user.institution.is_commission else None
    form = forms.DeliveryForm(
        request.POST or None, request.FILES or None, layouts=layouts, institution=own, place_allowed=platform
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        layout = data["layout"]
        institution = _institution_for(request, layout)
        obligation = None
        if data["obligation_pk"]:
            obligation = get_object_or_404(Obligation, pk=data["obligation_pk"], agreement=layout.agreement)
        try:
            delivery = services.delivery_submit(
                actor=request.user,
                agreement=layout.agreement,
                institution=institution,
                layout=layout,
                kind=data["kind"],
                period_start=date.fromisoformat(data["period_start"]) if data["period_start"] else date.today(),
                obligation=obligation,
                file=data["file"],
                password=data.get("password") or None,
                replacement_reason=data.get("replacement_reason", ""),
                place=data.get("place") or "portal",
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Entrega recibida; la validación está en curso."))
            return redirect("supply:detail", delivery_pk=delivery.pk)
    return render(
        request,
        "supply/form.html",
        {
            "form": form,
            "title": _("Entregar datos"),
            "submit_label": _("Entregar"),
            "multipart": True,
            "cancel_url": reverse("supply:list"),
        },
    )


@permission("supply.view_delivery")
def delivery_detail(request, delivery_pk):
    delivery = selectors.delivery_get(user=request.user, pk=delivery_pk)
    running = delivery.status in (Delivery.Status.RECEIVED, Delivery.Status.VALIDATING)
    fields = sorted(delivery.errors_per_field.items(), key=lambda item: -item[1])
    context = {
        "delivery": delivery,
        "running": running,
        "progress": services.progress_of(delivery),
        "fields": fields,
        "decision_form": forms.DecisionForm(),
        "can_decide": request.user.has_perm("supply.decide_delivery")
        and getattr(request.user, "has_platform_scope", False)
        and delivery.status == Delivery.Status.VALIDATED,
    }
    return render(request, "supply/delivery_detail.html", context)


@permission("supply.decide_delivery")
def delivery_decide(request, delivery_pk, decision):
    delivery = selectors.delivery_get(user=request.user, pk=delivery_pk)  # another tenant's: 404 first
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.DecisionForm(request.POST)
    note = form.data.get("note", "")[:2000]
    try:
        if decision == "aceptar":
            services.delivery_accept(actor=request.user, delivery=delivery, note=note)
            messages.success(request, _("Entrega aceptada; el recibo está listo."))
        elif decision == "rechazar":
            services.delivery_reject(actor=request.user, delivery=delivery, note=note)
            messages.success(request, _("Entrega rechazada; se avisó a la institución."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("supply:detail", delivery_pk=delivery.pk)


@permission("supply.view_delivery")
def delivery_errors(request, delivery_pk):
    delivery = selectors.delivery_get(user=request.user, pk=delivery_pk)
    from audit.services import record_event

    record_event(
        category="business",
        action="error_report_downloaded",
        actor=request.user,
        institution=delivery.institution,
        target=delivery,
    )
    return _download(delivery.error_report_name, filename=f"errores-entrega-{delivery.pk}.csv", content_type="text/csv")


@permission("supply.view_delivery")
def delivery_receipt(request, delivery_pk):
    delivery = selectors.delivery_get(user=request.user, pk=delivery_pk)
    from audit.services import record_event

    if not delivery.receipt_name:
        raise Http404
    record_event(
        category="business",
        action="receipt_downloaded",
        actor=request.user,
        institution=delivery.institution,
        target=delivery,
        detail={"folio": delivery.receipt_folio},
    )
    return _download(
        delivery.receipt_name, filename=f"recibo-{delivery.receipt_folio}.pdf", content_type="application/pdf"
    )


# --- Layouts and catalogs --------------------------------------------------------------------


@permission("supply.view_layout")
def layout_list(request):
    layouts, sorting = web.sort(request, selectors.layout_list(user=request.user), LAYOUT_SORTS)
    agreements = (
        Agreement.objects.visible_to(request.user).filter(supply_layouts__isnull=True).order_by("folio")
        if request.user.has_perm("supply.add_layout") and getattr(request.user, "has_platform_scope", False)
        else Agreement.objects.none()
    )
    return render(
        request,
        "supply/layout_list.html",
        {
            "page": _page(request, layouts),
            "query": _query_without_page(request),
            "agreements": agreements,
            "sorting": sorting,
        },
    )


@permission("supply.view_layout")
def layout_detail(request, layout_pk):
    layout = selectors.layout_get(user=request.user, pk=layout_pk)
    return render(request, "supply/layout_detail.html", {"layout": layout, "fields": layout.fields.all()})


@permission("supply.add_layout")
@require_POST
def layout_create_default(request):
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=request.POST.get("agreement") or 0)
    try:
        layout = services.layout_create_default(actor=request.user, agreement=agreement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("supply:layouts")
    messages.success(request, _("Layout del Anexo técnico registrado."))
    return redirect("supply:layout_detail", layout_pk=layout.pk)


@permission("supply.view_catalog")
def catalog_list(request):
    catalogs, sorting = web.sort(request, selectors.catalog_list(user=request.user), CATALOG_SORTS)
    return render(
        request,
        "supply/catalog_list.html",
        {"page": _page(request, catalogs), "query": _query_without_page(request), "sorting": sorting},
    )


@permission("supply.view_catalog")
def catalog_detail(request, catalog_pk):
    catalog = selectors.catalog_get(user=request.user, pk=catalog_pk)
    entries, sorting = web.sort(request, catalog.entries.all(), ENTRY_SORTS)
    return render(
        request,
        "supply/catalog_detail.html",
        {
            "catalog": catalog,
            "page": _page(request, entries),
            "query": _query_without_page(request),
            "sorting": sorting,
        },
    )


@permission("supply.add_catalog")
@require_http_methods(["GET", "POST"])
def catalog_upload(request):
    institution = request.user.institution
    form = forms.CatalogForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalog = services.catalog_upload(actor=request.user, institution=institution, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Catálogo cargado como versión %(v)d.") % {"v": catalog.version})
            return redirect("supply:catalogs")
    return render(
        request,
        "supply/form.html",
        {
            "form": form,
            "title": _("Cargar catálogo"),
            "submit_label": _("Cargar"),
            "multipart": True,
            "cancel_url": reverse("supply:catalogs"),
        },
    )


# --- Evaluation ------------------------------------------------------------------------------


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@permission("supply.view_evaluation")
def evaluation_list(request):
    agreement, institution = _int(request.GET.get("convenio")), _int(request.GET.get("institucion"))
    rows = selectors.evaluation_list(user=request.user, agreement=agreement, institution=institution)
    if request.GET.get("formato") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="evaluacion-suministro.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [_("Periodo"), _("Institución"), _("Convenio"), _("Acopio"), _("Oportunidad"), _("Calidad"), _("% válidos")]
        )
        for e in rows:
            writer.writerow(
                csv_safe_row(
                    [
                        e.period_start.isoformat(),
                        e.institution.acronym,
                        e.agreement.folio,
                        _("sí") if e.final_supply else _("no"),
                        _("sí") if e.final_timeliness else _("no"),
                        _("sí") if e.final_quality else _("no"),
                        "" if e.valid_percent is None else str(e.valid_percent),
                    ]
                )
            )
        return response
    chart = []
    if institution:
        chart = list(reversed(list(rows[:12])))  # the last 12 periods, whatever the table's sort
    rows, sorting = web.sort(request, rows, EVALUATION_SORTS)
    context = {
        "page": _page(request, rows),
        "query": _query_without_page(request),
        "sorting": sorting,
        "chart": chart,
        "agreements": Agreement.objects.visible_to(request.user).filter(supply_evaluations__isnull=False).distinct(),
        "institutions": Institution.objects.visible_to(request.user)
        .filter(supply_evaluations__isnull=False)
        .distinct(),
        "agreement": agreement,
        "institution": institution,
    }
    return render(request, "supply/evaluation_list.html", context)


@permission("supply.decide_delivery")
@require_http_methods(["GET", "POST"])
def evaluation_correct(request, evaluation_pk):
    evaluation = selectors.evaluation_get(user=request.user, pk=evaluation_pk)
    form = forms.EvaluationCorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_correct(
                actor=request.user,
                evaluation=evaluation,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                **form.marks(),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Evaluación corregida."))
            return redirect("supply:evaluations")
    return render(
        request,
        "supply/form.html",
        {
            "form": form,
            "title": _("Corregir evaluación"),
            "object": evaluation,
            "cancel_url": reverse("supply:evaluations"),
        },
    )
