import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.export import csv_safe_row
from kernel import web
from kernel.access import permission
from kernel.pdf import render_pdf

from . import forms, selectors, services
from .models import ReviewCampaign, ReviewItem

# Each list's sortable columns (?orden=, kernel.web): public keys -> orderings.
CAMPAIGN_SORTS = web.Sortable(
    {"revision": ("name",), "abierta": ("opened_on",), "fecha_limite": ("due_on",), "estado": ("status",)},
    default="-abierta",
)
ITEM_SORTS = web.Sortable(
    {
        "nombre": ("user__paternal_surname", "user__maternal_surname", "user__given_names"),
        "usuario": ("user__username",),
        "institucion": ("institution__acronym", "user__paternal_surname"),
        "perfil": ("user__profile__name", "user__paternal_surname"),
        # Never signed in counts as the oldest access, on PostgreSQL as on SQLite.
        "acceso": (F("last_login_at").asc(nulls_first=True),),
        "decision": ("decision", "user__paternal_surname"),
    },
    default="nombre",
)
DORMANT_SORTS = web.Sortable(
    {
        "nombre": ("paternal_surname", "maternal_surname", "given_names"),
        "usuario": ("username",),
        "institucion": ("institution__acronym", "paternal_surname"),
        "acceso": (F("last_login").asc(nulls_first=True), "paternal_surname"),
    },
    default="acceso",
)


def _campaign_or_404(request, pk):
    try:
        return selectors.campaign_get(user=request.user, pk=pk)
    except ReviewCampaign.DoesNotExist:
        raise Http404 from None


@permission("access_reviews.view_reviewcampaign")
def campaign_list(request):
    campaigns, sorting = web.sort(request, selectors.campaign_list(user=request.user), CAMPAIGN_SORTS)
    return render(
        request,
        "access_reviews/campaign_list.html",
        {"page": web.page(request, campaigns), "query": web.query_without_page(request), "sorting": sorting},
    )


@permission("access_reviews.add_reviewcampaign")
@require_http_methods(["GET", "POST"])
def campaign_open(request):
    if not services.can_open(request.user):
        raise PermissionDenied
    form = forms.CampaignOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["institutions"])
        try:
            campaign = services.campaign_open(
                actor=request.user,
                name=form.cleaned_data["name"],
                business_days=form.cleaned_data["business_days"],
                reminder_days=form.cleaned_data["reminder_days"],
                institutions=chosen or None,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Revisión abierta con %(n)s cuentas; vence el %(due)s.")
                % {"n": campaign.items.count(), "due": campaign.due_on.strftime("%d/%m/%Y")},
            )
            return redirect("access_reviews:campaign_detail", campaign.pk)
    return render(request, "access_reviews/campaign_open.html", {"form": form})


@permission("access_reviews.view_reviewcampaign", "access_reviews.view_reviewitem")
def campaign_detail(request, campaign_pk):
    campaign = _campaign_or_404(request, campaign_pk)
    items = selectors.item_list(
        user=request.user,
        campaign=campaign,
        search=request.GET.get("q", ""),
        decision=request.GET.get("decision", ""),
        dormant=request.GET.get("inactivas") == "1",
    )
    items, sorting = web.sort(request, items, ITEM_SORTS)
    today = timezone.localdate()
    may_answer = request.user.has_perm("access_reviews.change_reviewitem") and campaign.accepts_answers(today)
    return render(
        request,
        "access_reviews/campaign_detail.html",
        {
            "campaign": campaign,
            "page": web.page(request, items),
            "query": web.query_without_page(request),
            "report": selectors.campaign_report(user=request.user, campaign=campaign),
            "may_answer": may_answer,
            "late": campaign.is_open and today > campaign.due_on,
            "sorting": sorting,
            "decisions": ReviewItem.Decision.choices,
        },
    )


def _answer_refused(request, campaign, error):
    for message in error.messages:
        messages.error(request, message)
    return redirect("access_reviews:campaign_detail", campaign.pk)


@permission("access_reviews.change_reviewitem")
@require_http_methods(["GET", "POST"])
def items_confirm(request, campaign_pk):
    campaign = _campaign_or_404(request, campaign_pk)  # first: another tenant's campaign is a 404
    if request.method != "POST":
        return redirect("access_reviews:campaign_detail", campaign.pk)
    only = request.POST.get("only")
    wanted = [only] if only else request.POST.getlist("items")
    ids = [int(v) for v in wanted if str(v).isdigit()]
    if not ids:
        messages.error(request, _("Marque al menos una cuenta para ratificar."))
        return redirect("access_reviews:campaign_detail", campaign.pk)
    items = list(ReviewItem.objects.visible_to(request.user).filter(campaign=campaign, pk__in=ids).order_by("pk"))
    if len(items) != len(set(ids)):
        raise Http404
    try:
        done = services.items_confirm(actor=request.user, items=items)
    except ValidationError as error:
        return _answer_refused(request, campaign, error)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Cuentas ratificadas: %(n)s.") % {"n": done})
    back = request.POST.get("back", "")
    url = reverse("access_reviews:campaign_detail", args=[campaign.pk])
    return redirect(url + back if back.startswith("?") else url)


@permission("access_reviews.change_reviewitem")
@require_http_methods(["GET", "POST"])
def item_revoke(request, review_item_pk):
    try:
        item = selectors.item_get(user=request.user, pk=review_item_pk)
    except ReviewItem.DoesNotExist:
        raise Http404 from None
    form = forms.RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_revoke(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Cuenta %(username)s revocada: se cancelará al cierre de la revisión.")
                % {"username": item.user.username},
            )
            return redirect("access_reviews:campaign_detail", item.campaign_id)
    return render(request, "access_reviews/item_revoke.html", {"form": form, "item": item})


def _report_rows(report):
    for r in report:
        yield [
            r.acronym,
            r.legal_name,
            r.total,
            f"{r.completion}%",
            r.confirmed,
            r.revoked,
            r.unconfirmed,
            r.pending,
            r.dormant,
        ]


REPORT_HEADER = [
    gettext_lazy("Siglas"),
    gettext_lazy("Institución"),
    gettext_lazy("Cuentas"),
    gettext_lazy("Avance"),
    gettext_lazy("Ratificadas"),
    gettext_lazy("Revocadas"),
    gettext_lazy("Suspendidas"),
    gettext_lazy("Sin respuesta"),
    gettext_lazy("Inactivas"),
]


@permission("access_reviews.view_reviewcampaign", "access_reviews.view_reviewitem")
def campaign_report(request, campaign_pk):
    campaign = _campaign_or_404(request, campaign_pk)
    report = selectors.campaign_report(user=request.user, campaign=campaign)
    fmt = request.GET.get("formato")
    header = [str(h) for h in REPORT_HEADER]
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="revision-accesos-{campaign.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(csv_safe_row(header))
        writer.writerows(csv_safe_row(row) for row in _report_rows(report))
        return response
    context = {"campaign": campaign, "report": report, "now": timezone.now()}
    if fmt == "pdf":
        response = HttpResponse(render_pdf("pdf/access_review_report.html", context), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="revision-accesos-{campaign.pk}.pdf"'
        return response
    return render(request, "access_reviews/campaign_report.html", context)


@permission("accounts.view_user")
def dormant_list(request):
    accounts, sorting = web.sort(request, selectors.dormant_accounts(user=request.user), DORMANT_SORTS)
    return render(
        request,
        "access_reviews/dormant_list.html",
        {
            "page": web.page(request, accounts),
            "query": web.query_without_page(request),
            "days": selectors.dormant_days(),
            "sorting": sorting,
        },
    )
