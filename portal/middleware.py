from django.conf import settings
from django.contrib.auth import logout
from django.http import FileResponse
from django.utils import translation
from django.utils.translation import get_supported_language_variant


class SpanishFirstLocaleMiddleware:
    """Spanish unless the user chose English with the language switch (cookie).

    The browser's Accept-Language is ignored on purpose: the portal is a Mexican government
    service whose official language is Spanish; English is an opt-in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class AccountStateMiddleware:
    """A session opened under another profile or account status ends at its next request.

    Django's ModelBackend already drops accounts that may not sign in (suspended, cancelled);
    this also catches a profile change, so the old rights never outlive the change, even for a
    session the profile-change service could not delete. Runs after AuthenticationMiddleware and
    before LoginRequiredMiddleware, which then sends the visitor to the login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from accounts.sessions import RIGHTS_SESSION_KEY, rights_stamp

        user = request.user
        if user.is_authenticated:
            stamp = rights_stamp(user)
            stored = request.session.get(RIGHTS_SESSION_KEY)
            if user.status not in user.LIVE_STATUSES or (stored is not None and stored != stamp):
                logout(request)
            elif stored is None:
                request.session[RIGHTS_SESSION_KEY] = stamp
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and files with personal data are never kept by a browser or a proxy cache.

    Every response to a signed-in user (detail pages, CURU and letter PDFs, CSV exports, the
    history log) and every file sent as a download gets ``Cache-Control: private, no-store``
    unless the view chose its own. Static files never reach it: WhiteNoise, earlier in the
    chain, answers them with their long-lived caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if (signed_in or download or isinstance(response, FileResponse)) and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
            response.headers.setdefault("Pragma", "no-cache")
        return response
