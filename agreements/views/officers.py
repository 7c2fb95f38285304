"""Link officers and the parties' designation deadlines."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kernel.access import permission

from .. import forms, selectors, services
from .common import _errors_to_form


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
