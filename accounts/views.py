from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal import access

from . import lockout, selectors, services
from .forms import ReactivationForm


@access.permission("accounts.reactivate_user")
def suspended_list(request):
    page = Paginator(selectors.suspended_accounts(user=request.user), 25).get_page(request.GET.get("pagina"))
    return render(request, "accounts/suspended_list.html", {"page": page})


@access.permission("accounts.reactivate_user")
def reactivate(request, pk):
    account = get_object_or_404(selectors.suspended_accounts(user=request.user), pk=pk)
    form = ReactivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_reactivate(user=account, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La cuenta %(username)s fue reactivada.") % {"username": account.username})
            return redirect("accounts:suspended_list")
    state = lockout.lockout_state(username=account.username)
    return render(request, "accounts/reactivate_confirm.html", {"account": account, "form": form, "state": state})
