"""Letter gate (middleware): a new account sees nothing but its confidentiality letter until it accepts it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

# Routes (namespaced view names) a pending account may still reach (the letter itself, its download, signing out...).
ALLOWED_WHILE_PENDING = {
    "onboarding:letter_accept",
    "onboarding:letter_mine",
    "onboarding:letter_own_download",
    "onboarding:letter_scan_upload",
    "logout",
    "set_language",
    "healthz",
    "onboarding:account_activate",
    # The sign-in endpoint of the platforms answers a pending account itself, saying why not.
    "oauth2_provider:authorize",
}


class PendingLetterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.awaits_letter:
            if not request.path.startswith(settings.STATIC_URL):
                try:
                    name = resolve(request.path_info).view_name
                except Resolver404:
                    name = None
                if name not in ALLOWED_WHILE_PENDING:
                    return redirect("onboarding:letter_accept")
        return self.get_response(request)
