"""The lock on a person's page: see it, and lift it early with a reason (issue 21)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kernel import access

from . import lockout_display, services_lockout
from .forms import LockLiftForm
from .views import _user_or_404


@access.permission("accounts.view_user", "accounts.reactivate_user")
def lock_lift(request, user_pk):
    account = _user_or_404(request, user_pk)
    until = lockout_display.locked_until(username=account.username)
    form = LockLiftForm(request.POST or None) if until else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services_lockout.account_lock_lift(user=account, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Se levantó el bloqueo de %(username)s.") % {"username": account.username})
            return redirect("accounts:user_detail", account.pk)
    return render(request, "accounts/lock_lift_confirm.html", {"account": account, "form": form, "until": until})
