"""The sign-in endpoint with the portal's rules, and the systems catalog (commission)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views import AuthorizationView

from audit.services import record_event
from kernel import access

from ..models import System
from . import rules, selectors, services
from .forms import SystemForm


@method_decorator(never_cache, name="dispatch")
class PortalAuthorizationView(AuthorizationView):
    """django-oauth-toolkit's authorization endpoint, behind the portal's rules.

    The client and its redirect URI are checked first (an unknown one gets an error page and no
    redirect); then the person: an account that is not live, a letter not accepted or a system
    not granted gets a page saying why, in Spanish, and no code.
    """

    def _refused(self, request):
        try:
            _scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        system = rules.system_for_client(credentials.get("client_id"))
        reason = rules.refusal(user=request.user, system=system)
        detail = {"system": system.name if system else "", "client_id": credentials.get("client_id", "")}
        if reason is None:
            if request.method == "GET":
                record_event(category="auth", action="system_sign_in_authorized", request=request, detail=detail)
            return None
        record_event(
            category="auth",
            action="system_sign_in_refused",
            request=request,
            target=request.user,
            detail={**detail, "reason": reason},
        )
        context = {"system": system, "message": rules.refusal_message(reason, system=system), "reason": reason}
        return render(request, "accounts/identity/refused.html", context, status=403)

    def get(self, request, *args, **kwargs):
        return self._refused(request) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refused(request) or super().post(request, *args, **kwargs)


# --- Systems catalog ----------------------------------------------------------------------


def _system_or_404(request, pk):
    try:
        return selectors.system_get(user=request.user, pk=pk)
    except System.DoesNotExist:
        raise Http404 from None


@access.permission("accounts.view_system")
def system_list(request):
    return render(request, "accounts/identity/system_list.html", {"systems": selectors.system_list(user=request.user)})


@access.permission("accounts.view_system")
def system_detail(request, system_pk):
    system = _system_or_404(request, system_pk)
    return render(request, "accounts/identity/system_detail.html", {"system": system})


@access.permission("accounts.add_system")
def system_create(request):
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            system, secret = services.system_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                confidential=data["confidential"],
                redirect_uris=data["redirect_uris"],
                post_logout_redirect_uris=data["post_logout_redirect_uris"],
                profiles=list(data["profiles"]),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Sistema «%(name)s» registrado.") % {"name": system.name})
            return render(request, "accounts/identity/system_detail.html", {"system": system, "client_secret": secret})
    return render(request, "accounts/identity/system_form.html", {"form": form, "creating": True})


@access.permission("accounts.change_system")
def system_update(request, system_pk):
    system = _system_or_404(request, system_pk)
    form = SystemForm(request.POST or None, system=system)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.system_update(
                actor=request.user,
                system=system,
                name=data["name"],
                description=data["description"],
                redirect_uris=data["redirect_uris"],
                post_logout_redirect_uris=data["post_logout_redirect_uris"],
                profiles=list(data["profiles"]),
                is_active=data["is_active"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Sistema actualizado."))
            return redirect("accounts:system_detail", system_pk=system.pk)
    return render(request, "accounts/identity/system_form.html", {"form": form, "system": system, "creating": False})
