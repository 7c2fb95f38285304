"""The catalog of authorized signatures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kernel import web
from kernel.access import permission

from .. import forms, selectors, services
from ..filters import SignatoryFilter
from .common import _csv_response, _errors_to_form, _page, _query_without_page

# "envio" has no column: the default, the latest submissions first (the catalog's review order).
SIGNATORY_SORTS = web.Sortable(
    {
        "nombre": ("full_name",),
        "cargo": ("position",),
        "institucion": ("institution__acronym",),
        "vigencia": ("valid_from",),
        "estado": ("status",),
        "envio": ("submitted_at",),
    },
    default="-envio",
)


@permission("agreements.view_signatory")
def signatory_list(request):
    filterset = SignatoryFilter(request.GET, queryset=selectors.signatory_list(user=request.user), user=request.user)
    rows, sorting = web.sort(request, filterset.qs, SIGNATORY_SORTS)
    if request.GET.get("formato") == "csv":
        header = [_("Nombre"), _("Cargo"), _("Nivel"), _("Institución"), _("Desde"), _("Hasta"), _("Estado")]
        rows = (
            [
                s.full_name,
                s.position,
                s.rank,
                s.institution.acronym,
                s.valid_from.isoformat(),
                s.valid_until.isoformat() if s.valid_until else "",
                s.get_status_display(),
            ]
            for s in rows
        )
        return _csv_response("firmas-autorizadas.csv", header, rows)
    return render(
        request,
        "agreements/signatory_list.html",
        {"filter": filterset, "page": _page(request, rows), "query": _query_without_page(request), "sorting": sorting},
    )


@permission("agreements.add_signatory")
@require_http_methods(["GET", "POST"])
def signatory_submit(request):
    institution = request.user.institution
    if institution is None:
        raise Http404
    form = forms.SignatoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signatory = services.signatory_submit(
                institution=institution,
                actor=request.user,
                full_name=data["full_name"],
                position=data["position"],
                rank=data["rank"],
                specimen_file=data["specimen"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                attested=data["attested"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Firma enviada a la Comisión para su registro."))
            return redirect("agreements:signatory_detail", signatory_pk=signatory.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Enviar firma autorizada"), "multipart": True},
    )


@permission("agreements.view_signatory")
def signatory_detail(request, signatory_pk):
    signatory = selectors.signatory_get(user=request.user, pk=signatory_pk)
    return render(
        request,
        "agreements/signatory_detail.html",
        {
            "signatory": signatory,
            "can_decide": request.user.has_perm("agreements.decide_signatory"),
            "can_sign": services.signatory_can_sign(signatory),
            "cannot_sign_reason": signatory.cannot_sign_reason(),
            "history": signatory.history.select_related("history_user"),
        },
    )


SIGNATORY_ACTIONS = {
    "registrar": (services.signatory_register, forms.DecisionNoteForm, _("Registrar firma"), False),
    "rechazar": (services.signatory_reject, forms.RequiredNoteForm, _("Rechazar firma"), True),
    "revocar": (services.signatory_revoke, forms.RequiredNoteForm, _("Revocar firma"), True),
}


@permission("agreements.decide_signatory")
@require_http_methods(["GET", "POST"])
def signatory_decide(request, signatory_pk, signatory_action):
    signatory = selectors.signatory_get(user=request.user, pk=signatory_pk)
    if signatory_action not in SIGNATORY_ACTIONS:
        raise Http404
    service, form_class, title, danger = SIGNATORY_ACTIONS[signatory_action]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signatory = service(signatory=signatory, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Firma: %(status)s.") % {"status": signatory.get_status_display()})
            return redirect("agreements:signatory_detail", signatory_pk=signatory.pk)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": title,
            "lead": _("%(name)s, %(position)s (%(inst)s).")
            % {"name": signatory.full_name, "position": signatory.position, "inst": signatory.institution.acronym},
            "danger": danger,
            "submit_label": title,
        },
    )
