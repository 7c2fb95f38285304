from django.conf import settings
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
