"""Link officers and the parties' designation deadlines."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.requestinfo import client_ip
from kernel.access import permission, signed_in

from .. import forms, selectors, services
from .common import _errors_to_form


@permission("agreements.add_linkofficer")
@require_http_methods(["GET", "POST"])
def officer_designate(request, agreement_pk, party_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    party = selectors.party_get(user=request.user, agreement=agreement, pk=party_pk, own_only=True)
    form = forms.OfficerForm(
        request.POST or None, request.FILES or None, party=party, initial={"notified_on": timezone.localdate()}
    )
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


def _party_page(request, agreement, form, title, lead=""):
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": title, "lead": lead, "agreement": agreement, "multipart": True},
    )


@permission("agreements.add_linkofficer")
@require_http_methods(["GET", "POST"])
def officer_deputy(request, agreement_pk, party_pk):
    """A deputy of lower rank for one of the party's officers in office (003 QUINTA)."""
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    party = selectors.party_get(user=request.user, agreement=agreement, pk=party_pk, own_only=True)
    form = forms.OfficerDeputyForm(request.POST or None, officers=selectors.current_officers_of(party))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.officer_deputy_add(officer=data.pop("officer"), actor=request.user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Suplente registrado."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return _party_page(
        request, agreement, form, _("Suplente de enlace de %(inst)s") % {"inst": party.institution.acronym}
    )


@permission("agreements.add_linkofficer")
@require_http_methods(["GET", "POST"])
def officer_report(request, agreement_pk, party_pk):
    """A periodic report of one of the party's officers in office (000 DÉCIMA SEXTA IV)."""
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    party = selectors.party_get(user=request.user, agreement=agreement, pk=party_pk, own_only=True)
    form = forms.OfficerReportForm(
        request.POST or None,
        request.FILES or None,
        officers=selectors.current_officers_of(party),
        initial={"filed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.officer_report_file(officer=data.pop("officer"), actor=request.user, **data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Informe del enlace registrado."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return _party_page(
        request, agreement, form, _("Informe periódico de enlace de %(inst)s") % {"inst": party.institution.acronym}
    )


@permission("agreements.change_agreementparty")
@require_http_methods(["GET", "POST"])
def party_address(request, agreement_pk, party_pk):
    """A party notifies a new address for notices (000 VIGÉSIMA PRIMERA)."""
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    party = selectors.party_get(user=request.user, agreement=agreement, pk=party_pk, own_only=True)
    form = forms.PartyAddressForm(request.POST or None, initial={"notified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.party_address_change(party=party, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Cambio de domicilio registrado. Surte efectos el %(date)s; hasta entonces las "
                    "notificaciones se siguen haciendo en: %(previous)s"
                )
                % {
                    "date": f"{change.effective_on:%d/%m/%Y}",
                    "previous": party.notice_address(on=change.effective_on - timedelta(days=1)) or _("sin registrar"),
                },
            )
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return _party_page(
        request,
        agreement,
        form,
        _("Cambio de domicilio de %(inst)s") % {"inst": party.institution.acronym},
        lead=_("El nuevo domicilio surte efectos 15 días naturales después de notificado."),
    )


@permission("agreements.add_linkofficer")
@require_http_methods(["GET", "POST"])
def officer_account(request, agreement_pk, party_pk):
    """Link a commission officer with the account from which they sign the letter for the data
    received (000 NOVENA). Other parties' officers have no account here."""
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    party = selectors.party_get(user=request.user, agreement=agreement, pk=party_pk, own_only=True)
    title = _("Cuenta del enlace de %(inst)s") % {"inst": party.institution.acronym}
    if not party.institution.is_commission:
        lead = _("Sólo el enlace de la Comisión se vincula con una cuenta del portal.")
        return _party_page(request, agreement, None, title, lead=lead)
    form = forms.OfficerAccountForm(request.POST or None, officers=selectors.officers_not_replaced(party))
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_account_set(
                officer=form.cleaned_data["officer"], actor=request.user, account=form.cleaned_data["account"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Cuenta del enlace actualizada."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return _party_page(
        request,
        agreement,
        form,
        title,
        lead=_("El enlace firma desde esa cuenta la carta de confidencialidad sobre los datos personales recibidos."),
    )


@signed_in
@require_http_methods(["GET", "POST"])
def officer_letters(request):
    """The letters for the data received the signed-in person owes or signed as commission officer:
    they read each pending one and sign it ("Firmo la carta")."""
    from ..services.officer_letters import LETTER_TITLE, letter_paragraphs

    if request.method == "POST":
        try:
            pk = int(request.POST.get("officer", ""))
        except ValueError:
            raise Http404 from None
        officer = selectors.officer_letter_officer_get(user=request.user, pk=pk)
        try:
            letter = services.officer_letter_sign(officer=officer, actor=request.user, ip=client_ip(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Carta firmada. Folio de verificación: %(folio)s.") % {"folio": letter.folio},
            )
        return redirect("agreements:officer_letters")
    rows = list(selectors.officer_letters_of(user=request.user))
    for officer in rows:
        letter = getattr(officer, "data_letter", None)
        officer.letter = letter
        if letter is None:
            officer.paragraphs = letter_paragraphs(
                officer=officer, when=timezone.now(), username=request.user.get_username()
            )
    return render(request, "agreements/officer_letters.html", {"rows": rows, "letter_title": LETTER_TITLE})
