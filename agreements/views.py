import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.export import csv_safe_row
from audit.services import record_event
from kernel import documents as kernel_documents
from kernel.access import permission

from . import forms, selectors, services
from .filters import SignatoryFilter
from .models import AgreementParty, Institution, Membership

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _errors_to_form(form, error):
    for message in error.messages:
        form.add_error(None, message)


# --- Agreements ------------------------------------------------------------------------------


def _confirm_then(request, agreement, *, run, done, title, question, danger=False):
    """GET asks ``question``; POST runs the service (``run()``) and returns to the agreement.

    A refusal of the service (ValidationError) is shown as an error message, the success as ``done``.
    """
    if request.method == "POST":
        try:
            run()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("agreements:detail", agreement_pk=agreement.pk)
    context = {"title": title, "question": question, "cancel_url": agreement.get_absolute_url(), "danger": danger}
    return render(request, "agreements/confirm.html", context)


@permission("agreements.view_agreement")
def agreement_list(request):
    filterset = selectors.agreement_list(user=request.user, filters=request.GET)
    qs = filterset.qs
    # Every search is kept once, by the access log with its query (000, DÉCIMA TERCERA).
    if request.GET.get("formato") == "csv":
        return _agreements_csv(qs)
    return render(
        request,
        "agreements/agreement_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request)},
    )


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(csv_safe_row(row) for row in rows)
    return response


def _agreements_csv(qs):
    header = [_("Folio"), _("Título"), _("Tipo"), _("Partes"), _("Firma"), _("Término"), _("Estado"), _("Por vencer")]
    return _csv_response("convenios.csv", header, _agreement_rows(qs))


def _agreement_rows(qs):
    for agreement in qs:
        yield (
            [
                agreement.folio,
                agreement.title,
                agreement.get_kind_display(),
                "; ".join(p.institution.acronym for p in agreement.parties.all()),
                agreement.signed_on.isoformat() if agreement.signed_on else "",
                agreement.end_date.isoformat() if agreement.end_date else _("Indefinida"),
                agreement.get_status_display(),
                _("Sí") if agreement.expiring_soon else _("No"),
            ]
        )


@permission("agreements.view_agreement")
def agreement_detail(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    today = timezone.localdate()
    parties = list(agreement.parties.select_related("institution"))
    officers = list(selectors.officers_of(agreement))
    for party in parties:
        party.officer_rows = [o for o in officers if o.party_id == party.pk]
        party.current = [
            o
            for o in party.officer_rows
            if o.effective_from <= today and (o.effective_until is None or o.effective_until >= today)
        ]
        party.upcoming = [o for o in party.officer_rows if o.effective_from > today]
        party.overdue = bool(
            party.officer_designation_due and party.officer_designation_due < today and not party.officer_rows
        )
        party.can_manage = request.user.has_perm("agreements.add_linkofficer") and (
            request.user.has_platform_scope or party.institution_id == request.user.institution_id
        )
    obligations = selectors.obligations_with_next_due(
        obligations=agreement.obligations.select_related("party__institution"), today=today
    )
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "documents": agreement.documents.all(),
            "obligations": obligations,
            "records": selectors.compliance_records(user=request.user, agreement=agreement),
            "compliance": selectors.compliance_table(user=request.user, agreement=agreement),
            "amendments": _amendments_with_labels(agreement),
            "notices": agreement.termination_notices.select_related("notifying_party__institution"),
            "history": agreement.history.select_related("history_user")[:50],
            "today": today,
        },
    )


def _amendments_with_labels(agreement):
    from .models import Agreement

    amendments = list(agreement.amendments.select_related("document"))
    for amendment in amendments:
        amendment.change_rows = [
            (Agreement._meta.get_field(field).verbose_name, old, new) for field, (old, new) in amendment.changes.items()
        ]
    return amendments


@permission("agreements.add_agreement")
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    form = forms.AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commission = Institution.objects.filter(kind=Institution.Kind.COMMISSION).first()
        parties = [(commission, AgreementParty.Role.COMMISSION)] if commission else []
        parties += [(inst, AgreementParty.Role.MEMBER) for inst in data["members"]]
        fields = {k: v for k, v in data.items() if k != "members"}
        try:
            agreement = services.agreement_create(actor=request.user, parties=parties, **fields)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Convenio registrado como borrador."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "title": _("Registrar convenio"), "multipart": False})


@permission("agreements.change_agreement")
@require_http_methods(["GET", "POST"])
def agreement_activate(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    return _confirm_then(
        request,
        agreement,
        run=lambda: services.agreement_activate(agreement=agreement, actor=request.user),
        done=_("El convenio está vigente."),
        title=_("Declarar vigente el convenio"),
        question=_("¿Confirma que el convenio %(folio)s está firmado y vigente?") % {"folio": agreement.folio},
    )


@permission("agreements.add_document")
@require_http_methods(["GET", "POST"])
def document_upload(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        institution = request.user.institution or agreement.parties.first().institution
        try:
            services.document_upload(
                actor=request.user,
                institution=institution,
                agreement=agreement,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Documento cargado."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Cargar documento"), "multipart": True, "agreement": agreement},
    )


@permission("agreements.view_document")
def document_download(request, document_pk):
    document = selectors.document_get(user=request.user, pk=document_pk)
    record_event(
        category="business",
        action="document_downloaded",
        actor=request.user,
        institution=request.user.institution,
        target=document,
        detail={"sha256": document.sha256},
        request=request,
    )
    return kernel_documents.attachment_response(
        document.file.name, filename=document.original_name, content_type=document.content_type
    )


@permission("agreements.add_linkofficer")
@require_http_methods(["GET", "POST"])
def officer_designate(request, agreement_pk, party_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    party = selectors.party_get(user=request.user, agreement=agreement, pk=party_pk, own_only=True)
    form = forms.OfficerForm(request.POST or None, initial={"notified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_designate(party=party, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Enlace registrado."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": _("Designar o sustituir enlace de %(inst)s") % {"inst": party.institution.acronym},
            "lead": _(
                "Si ya hay un enlace de ese tipo, la designación lo sustituye: el nuevo surte efectos al día siguiente de la notificación."  # noqa: E501
            ),
            "agreement": agreement,
        },
    )


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def termination_notice_create(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.TerminationNoticeForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_notice_create(agreement=agreement, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Aviso registrado; las fechas se calcularon con la regla del convenio."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Aviso de terminación o rescisión"), "agreement": agreement},
    )


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def termination_finalize(request, agreement_pk, notice_pk):
    agreement, notice = selectors.termination_notice_get(user=request.user, agreement_pk=agreement_pk, pk=notice_pk)
    return _confirm_then(
        request,
        agreement,
        run=lambda: services.termination_finalize(notice=notice, actor=request.user),
        done=_("El convenio concluyó."),
        title=_("Hacer definitivo el aviso"),
        question=_("El convenio %(folio)s dejará de estar vigente. ¿Continuar?") % {"folio": agreement.folio},
        danger=True,
    )


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def amendment_create(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.AmendmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_create(
                agreement=agreement,
                actor=request.user,
                signed_on=form.cleaned_data["signed_on"],
                summary=form.cleaned_data["summary"],
                file=form.cleaned_data["file"],
                new_terms=form.new_terms(),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Modificación registrada."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Registrar modificación"), "multipart": True, "agreement": agreement},
    )


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
    from . import rules

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


@permission("agreements.view_compliancerecord")
def compliance_overview(request):
    rows = selectors.compliance_table(user=request.user)
    return render(request, "agreements/compliance.html", {"page": _page(request, rows), "query": ""})


# --- Signature catalog -----------------------------------------------------------------------


@permission("agreements.view_signatory")
def signatory_list(request):
    filterset = SignatoryFilter(request.GET, queryset=selectors.signatory_list(user=request.user), user=request.user)
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
            for s in filterset.qs
        )
        return _csv_response("firmas-autorizadas.csv", header, rows)
    return render(
        request,
        "agreements/signatory_list.html",
        {"filter": filterset, "page": _page(request, filterset.qs), "query": _query_without_page(request)},
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


# --- Memberships -----------------------------------------------------------------------------


@permission("agreements.view_membership")
def membership_list(request):
    qs = selectors.membership_list(user=request.user)
    status = request.GET.get("estado")
    if status in Membership.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "agreements/membership_list.html",
        {
            "page": _page(request, qs),
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


@permission("agreements.view_membernotice")
def member_notice_list(request):
    return render(
        request,
        "agreements/member_notice_list.html",
        {"page": _page(request, selectors.member_notice_list(user=request.user)), "query": ""},
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


# --- Renewal, rescission answers, withdrawals ------------------------------------------------


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def agreement_renew(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.RenewalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        term_kind = "until_date" if data["term_until"] else None
        try:
            renewal = services.agreement_renew(
                agreement=agreement,
                actor=request.user,
                folio=data["folio"],
                signed_on=data["signed_on"],
                term_kind=term_kind,
                term_years=data["term_years"],
                term_until=data["term_until"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Renovación registrada como borrador."))
            return redirect("agreements:detail", agreement_pk=renewal.pk)
    return render(
        request, "agreements/form.html", {"form": form, "title": _("Renovar convenio"), "agreement": agreement}
    )


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def rescission_answer(request, agreement_pk, notice_pk):
    agreement, notice = selectors.termination_notice_get(user=request.user, agreement_pk=agreement_pk, pk=notice_pk)
    form = forms.RescissionAnswerForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.rescission_answer(notice=notice, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Respuesta registrada."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Registrar respuesta a la rescisión"), "agreement": agreement},
    )


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def termination_withdraw(request, agreement_pk, notice_pk):
    agreement, notice = selectors.termination_notice_get(user=request.user, agreement_pk=agreement_pk, pk=notice_pk)
    return _confirm_then(
        request,
        agreement,
        run=lambda: services.termination_withdraw(notice=notice, actor=request.user),
        done=_("Aviso retirado; el convenio sigue vigente."),
        title=_("Retirar aviso"),
        question=_("¿Retirar el aviso de %(kind)s del convenio %(folio)s?")
        % {"kind": notice.get_kind_display().lower(), "folio": agreement.folio},
        danger=True,
    )


# --- Commission's non-working days -----------------------------------------------------------


@permission("agreements.view_nonworkingday")
@require_http_methods(["GET", "POST"])
def non_working_days(request):
    from .models import NonWorkingDay

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
    return render(
        request,
        "agreements/non_working_days.html",
        {"page": _page(request, NonWorkingDay.objects.all()), "query": "", "form": form},
    )


@permission("agreements.delete_nonworkingday")
@require_http_methods(["GET", "POST"])
def non_working_day_delete(request, non_working_day_pk):
    from django.shortcuts import get_object_or_404

    from .models import NonWorkingDay

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


@permission("agreements.change_agreementparty")
@require_http_methods(["GET", "POST"])
def party_deadline(request, agreement_pk, party_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    party = selectors.party_get(user=request.user, agreement=agreement, pk=party_pk)
    form = forms.DesignationDeadlineForm(request.POST or None, initial={"due_on": party.officer_designation_due})
    if request.method == "POST" and form.is_valid():
        services.party_set_designation_deadline(party=party, actor=request.user, due_on=form.cleaned_data["due_on"])
        messages.success(request, _("Plazo de designación actualizado."))
        return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": _("Plazo para que %(inst)s designe enlace") % {"inst": party.institution.acronym},
            "agreement": agreement,
        },
    )
