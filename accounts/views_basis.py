"""The institution's page with its standing, and the commission's actions on its basis (issue 15).

Each action is a reviewed step: a page that lists the accounts it will touch, then a confirmation.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import InstitutionSuspension
from kernel import access

from . import selectors_basis as selectors
from . import services_basis as services
from .models import User


class MemberSuspendForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Causa (Protocolo, Cap. III.4 III)"), choices=InstitutionSuspension.Reason.choices
    )
    text = forms.CharField(
        label=gettext_lazy("Hechos que la motivan"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class LiftForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Motivo del levantamiento"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


def _errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


@access.permission("agreements.view_institution")
def institution_detail(request, institution_pk):
    institution = selectors.institution_get(user=request.user, pk=institution_pk)
    context = selectors.institution_page(user=request.user, institution=institution)
    context["can_suspend"] = request.user.has_perm("agreements.suspend_institution") and not institution.is_commission
    context["can_reinstate"] = request.user.has_perm("accounts.reactivate_user") and request.user.has_platform_scope
    return render(request, "accounts/institution_detail.html", context)


@access.permission("agreements.suspend_institution")
def member_suspend(request, institution_pk):
    """Two steps: the form (cause and facts), then a page that lists the accounts to block."""
    institution = selectors.institution_get(user=request.user, pk=institution_pk)
    form = MemberSuspendForm(request.POST or None)
    live = User.objects.filter(institution=institution, status__in=User.LIVE_STATUSES).order_by("username")
    confirming = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "1":
            try:
                _suspension, effect = services.member_suspend(
                    institution=institution,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(acronym)s quedó suspendida; se bloquearon %(n)s cuentas.")
                    % {"acronym": institution.acronym, "n": len(effect.suspended)},
                )
                return redirect("accounts:institution_detail", institution_pk=institution.pk)
        else:
            confirming = True
    reason_label = dict(InstitutionSuspension.Reason.choices).get(form.cleaned_data.get("reason")) if confirming else ""
    context = {
        "institution": institution,
        "form": form,
        "confirming": confirming,
        "live": live,
        "reason_label": reason_label,
    }
    return render(request, "accounts/member_suspend.html", context)


@access.permission("agreements.suspend_institution")
def member_suspension_lift(request, institution_pk):
    institution = selectors.institution_get(user=request.user, pk=institution_pk)
    suspension = (
        InstitutionSuspension.objects.visible_to(request.user).in_effect().filter(institution=institution).first()
    )
    form = LiftForm(request.POST or None)
    blocked = User.objects.filter(
        institution=institution, status=User.Status.SUSPENDED, suspended_for=User.SuspendedFor.MEMBER_SUSPENDED
    ).order_by("username")
    if suspension is not None and request.method == "POST" and form.is_valid():
        try:
            result = services.member_suspension_lift(
                suspension=suspension, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(
                request,
                _("Suspensión levantada: %(n)s cuentas restablecidas; %(m)s siguen suspendidas sin convenio vigente.")
                % {"n": len(result["restored"]), "m": len(result["still_suspended"])},
            )
            return redirect("accounts:institution_detail", institution_pk=institution.pk)
    context = {"institution": institution, "suspension": suspension, "form": form, "blocked": blocked}
    return render(request, "accounts/member_suspension_lift.html", context)


@access.permission("accounts.reactivate_user")
def reinstate(request, institution_pk):
    """The list of accounts suspended "sin convenio vigente", each to confirm; then one action."""
    institution = selectors.institution_get(user=request.user, pk=institution_pk)
    candidates = list(services.reinstatement_candidates(institution=institution))
    page = selectors.institution_page(user=request.user, institution=institution)
    error = None
    if request.method == "POST":
        try:
            restored = services.accounts_reinstate(
                institution=institution, actor=request.user, user_ids=request.POST.getlist("accounts")
            )
        except (ValidationError, ValueError) as problem:
            error = " ".join(getattr(problem, "messages", [str(problem)]))
        else:
            messages.success(request, _("Se reinstalaron %(n)s cuentas.") % {"n": len(restored)})
            return redirect("accounts:institution_detail", institution_pk=institution.pk)
    context = {**page, "candidates": candidates, "error": error}
    return render(request, "accounts/reinstate.html", context)
