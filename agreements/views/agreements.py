"""Agreements: list, detail, creation and lifecycle (activation, renewal, amendments, terminations)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kernel import web
from kernel.access import permission

from .. import forms, selectors, services
from ..models import Agreement, Institution
from .common import _confirm_then, _csv_response, _errors_to_form, _page, _query_without_page

# The column headers sort (?orden=), the filters narrow; the CSV keeps the order shown.
AGREEMENT_SORTS = web.Sortable(
    {
        "folio": ("folio",),
        "titulo": ("title",),
        "tipo": ("kind",),
        "termino": ("end_date",),
        "estado": ("status",),
        "reciente": ("-signed_on", "folio"),  # no column: the default, the latest signed first
    },
    default="reciente",
)


@permission("agreements.view_agreement")
def agreement_list(request):
    filterset = selectors.agreement_list(user=request.user, filters=request.GET)
    qs, sorting = web.sort(request, filterset.qs, AGREEMENT_SORTS)
    # Every search is kept once, by the access log with its query (000, DÉCIMA TERCERA).
    if request.GET.get("formato") == "csv":
        return _agreements_csv(qs)
    return render(
        request,
        "agreements/agreement_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request), "sorting": sorting},
    )


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
        party.can_change_address = request.user.has_perm("agreements.change_agreementparty") and (
            request.user.has_platform_scope or party.institution_id == request.user.institution_id
        )
        party.address_now = party.notice_address(on=today)
        party.address_pending = party.pending_address(on=today)
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
        commission = Institution.objects.filter(kind=Institution.Kind.COMMISSION).first()
        try:
            agreement = services.agreement_create(
                actor=request.user, parties=form.parties(commission), **form.service_fields()
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Convenio registrado como borrador."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(request, "agreements/form.html", {"form": form, "title": _("Registrar convenio"), "multipart": False})


@permission("agreements.change_agreement")
@require_http_methods(["GET", "POST"])
def agreement_edit(request, agreement_pk):
    """Correct a draft's data; in force, its terms change only by an amendment."""
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    if not agreement.is_draft:
        messages.error(request, _("Solo se pueden corregir los datos de un convenio en borrador."))
        return redirect("agreements:detail", agreement_pk=agreement.pk)
    form = forms.AgreementDraftForm(request.POST or None, instance=Agreement.objects.get(pk=agreement.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_draft_update(agreement=agreement, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Datos del convenio guardados."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    title = _("Corregir los datos del convenio %(folio)s") % {"folio": agreement.folio}
    return render(request, "agreements/form.html", {"form": form, "title": title, "agreement": agreement})


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


def _notice_addresses_said(request, agreement, data):
    """Where the notice goes to each other party: the address in effect on the notice's date. A
    change still within its 15 natural days does not count yet (000 VIGÉSIMA PRIMERA), and the
    page says the previous address is used."""
    on = data["notified_on"]
    for party in agreement.parties.exclude(pk=data["notifying_party"].pk).select_related("institution"):
        address = party.notice_address(on=on)
        services.notice_address_check(party=party, address=address, on=on)
        pending = party.pending_address(on=on)
        if pending is not None:
            messages.warning(
                request,
                _(
                    "El aviso a %(inst)s va a su domicilio anterior, %(prev)s: su cambio de domicilio surte "
                    "efectos hasta el %(date)s."
                )
                % {"inst": party.institution.acronym, "prev": address, "date": f"{pending.effective_on:%d/%m/%Y}"},
            )


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def termination_notice_create(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.TerminationNoticeForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_notice_create(agreement=agreement, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Aviso registrado; las fechas se calcularon con la regla del convenio."))
            _notice_addresses_said(request, agreement, form.cleaned_data)
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Aviso de terminación o rescisión"), "agreement": agreement, "multipart": True},
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


@permission("agreements.manage_agreement_lifecycle")
@require_http_methods(["GET", "POST"])
def agreement_renew(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.RenewalForm(request.POST or None, request.FILES or None)
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
                renewal_file=data["renewal_file"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Renovación registrada como borrador."))
            return redirect("agreements:detail", agreement_pk=renewal.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Renovar convenio"), "agreement": agreement, "multipart": True},
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
