"""Memberships and notices to members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kernel import web
from kernel.access import permission

from .. import forms, selectors, services
from ..models import Membership
from .common import _errors_to_form, _page, _query_without_page

MEMBERSHIP_SORTS = web.Sortable(
    {
        "institucion": ("institution__acronym",),
        "responsable": ("responsible_name",),
        "solicitada": ("requested_at",),
        "estado": ("status",),
        "baja": ("ends_on",),
    },
    default="-solicitada",
)


@permission("agreements.view_membership")
def membership_list(request):
    qs = selectors.membership_list(user=request.user)
    status = request.GET.get("estado")
    if status in Membership.Status.values:
        qs = qs.filter(status=status)
    qs, sorting = web.sort(request, qs, MEMBERSHIP_SORTS)
    return render(
        request,
        "agreements/membership_list.html",
        {
            "page": _page(request, qs),
            "sorting": sorting,
            "query": _query_without_page(request),
            "statuses": Membership.Status.choices,
            "status": status,
        },
    )


@permission("agreements.add_membership")
@require_http_methods(["GET", "POST"])
def membership_request(request):
    institution = request.user.institution
    if institution is None:
        raise Http404
    form = forms.MembershipRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_request(institution=institution, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Solicitud de registro enviada."))
            return redirect("agreements:membership_detail", membership_pk=membership.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Solicitar registro como integrante"), "multipart": True},
    )


@permission("agreements.view_membership")
def membership_detail(request, membership_pk):
    membership = selectors.membership_get(user=request.user, pk=membership_pk)
    user = request.user
    return render(
        request,
        "agreements/membership_detail.html",
        {
            "membership": membership,
            "can_decide": user.has_perm("agreements.decide_membership"),
            "can_exit": user.has_perm("agreements.change_membership")
            and membership.institution_id == user.institution_id,
            "history": membership.history.select_related("history_user"),
        },
    )


@permission("agreements.decide_membership")
@require_http_methods(["GET", "POST"])
def membership_decide(request, membership_pk):
    membership = selectors.membership_get(user=request.user, pk=membership_pk)
    form = forms.MembershipDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.membership_accept(membership=membership, actor=request.user, note=data["note"])
            else:
                services.membership_deny(
                    membership=membership, actor=request.user, reason=data["reason"], note=data["note"]
                )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Solicitud resuelta."))
            return redirect("agreements:membership_detail", membership_pk=membership.pk)
    return render(request, "agreements/form.html", {"form": form, "title": _("Resolver solicitud de registro")})


@permission("agreements.change_membership")
@require_http_methods(["GET", "POST"])
def membership_follow_up(request, membership_pk):
    """The member names its responsible person and sends, after registration, the list of people
    entitled to use the platform and its commitment letter (001 Cap. III.1 II, III.3 VI)."""
    from django.contrib.auth import get_user_model

    membership = selectors.membership_get(user=request.user, pk=membership_pk)
    if membership.institution_id != request.user.institution_id:
        raise Http404
    people = get_user_model().objects.filter(institution=membership.institution, is_active=True)
    form = forms.MembershipFollowUpForm(
        request.POST or None,
        request.FILES or None,
        people=people,
        initial={"responsible_user": membership.responsible_user_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["responsible_user"] and data["responsible_user"].pk != membership.responsible_user_id:
                membership = services.membership_set_responsible(
                    membership=membership, actor=request.user, user=data["responsible_user"]
                )
            if data["entitled_users_file"] or data["commitment_letter_file"]:
                services.membership_follow_up_submit(
                    membership=membership,
                    actor=request.user,
                    entitled_users_file=data["entitled_users_file"],
                    commitment_letter_file=data["commitment_letter_file"],
                )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Membresía actualizada."))
            return redirect("agreements:membership_detail", membership_pk=membership.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Responsable y documentos posteriores al registro"), "multipart": True},
    )


@permission("agreements.change_membership")
@require_http_methods(["GET", "POST"])
def membership_exit(request, membership_pk):
    membership = selectors.membership_get(user=request.user, pk=membership_pk)
    if membership.institution_id != request.user.institution_id:
        raise Http404
    form = forms.MembershipExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_exit(
                membership=membership,
                actor=request.user,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Baja programada."))
            return redirect("agreements:membership_detail", membership_pk=membership.pk)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": _("Darse de baja como integrante"),
            "danger": True,
            "submit_label": _("Confirmar baja"),
        },
    )


@permission("agreements.decide_membership")
@require_http_methods(["GET", "POST"])
def membership_terminate(request, membership_pk):
    membership = selectors.membership_get(user=request.user, pk=membership_pk)
    form = forms.RequiredNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_terminate(membership=membership, actor=request.user, reason=form.cleaned_data["note"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Terminación notificada; surte efectos en 5 días naturales."))
            return redirect("agreements:membership_detail", membership_pk=membership.pk)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": _("Terminar membresía"),
            "lead": _("La baja surtirá efectos cinco días naturales después de hoy."),
            "danger": True,
            "submit_label": _("Notificar terminación"),
        },
    )


# --- Notices to members ----------------------------------------------------------------------


NOTICE_SORTS = web.Sortable(
    {"asunto": ("subject",), "tipo": ("kind",), "enviado": ("sent_on",), "cambio": ("change_on",)},
    default="-enviado",
)


@permission("agreements.view_membernotice")
def member_notice_list(request):
    rows, sorting = web.sort(request, selectors.member_notice_list(user=request.user), NOTICE_SORTS)
    return render(
        request,
        "agreements/member_notice_list.html",
        {"page": _page(request, rows), "query": _query_without_page(request), "sorting": sorting},
    )


@permission("agreements.add_membernotice")
@require_http_methods(["GET", "POST"])
def member_notice_create(request):
    form = forms.MemberNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_notice_send(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Aviso enviado a las instituciones integrantes."))
            return redirect("agreements:member_notice_list")
    return render(request, "agreements/form.html", {"form": form, "title": _("Enviar aviso a integrantes")})
