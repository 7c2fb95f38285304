"""Second-factor gate (middleware): a privileged session sees only the second-factor pages until
it has passed a code (see ``accounts.services_second_factor``)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

# Routes an unverified privileged session may still reach.
ALLOWED_UNVERIFIED = {
    "second_factor_enrol",
    "second_factor_verify",
    "second_factor_passkey_enrol",
    "second_factor_passkey_verify",
    "logout",
    "set_language",
    "healthz",
}


def safe_next(request) -> str:
    """Where to go once verified: the page first asked for, if it is one of the portal's own."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .services_second_factor import has_second_factor, requires_second_factor

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            # The confidentiality letter comes first (the letter gate keeps a pending account on
            # it); the enrolment follows right after it.
            and not user.awaits_letter
            and not request.path.startswith(settings.STATIC_URL)
            and requires_second_factor(user)
        ):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in ALLOWED_UNVERIFIED:
                target = "second_factor_verify" if has_second_factor(user) else "second_factor_enrol"
                response = redirect(f"onboarding:{target}")
                if request.method == "GET":
                    response["Location"] += "?" + _query({"next": request.get_full_path()})
                return response
        return self.get_response(request)


def _query(params) -> str:
    from urllib.parse import urlencode

    return urlencode(params)
