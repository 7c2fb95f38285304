from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.views.decorators.cache import never_cache

from . import access, dashboards


@access.signed_in
def dashboard(request):
    """Each profile lands on its own dashboard; a custom profile gets its scope's dashboard."""
    user = request.user
    profile = user.profile
    candidates = []
    if profile is not None:
        candidates = [f"portal/dashboards/{profile.code}.html", f"portal/dashboards/scope_{profile.scope}.html"]
    candidates.append(
        "portal/dashboards/scope_platform.html" if user.is_superuser else "portal/dashboards/default.html"
    )
    template = select_template(candidates)
    return render(request, template.template.name, dashboards.context_for(user))


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    pass


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset link never works for an account that may not sign in (suspended, cancelled).

    A reset changes only the password: it neither lifts a lock nor a suspension.
    """

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is not None and user.status not in user.LIVE_STATUSES:
            return None
        return user


@access.public
@never_cache
def healthz(request):
    """Liveness for load balancers: says whether the database answers, without any detail."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        ok = True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"; the detail stays in the logs
        ok = False
    return JsonResponse({"status": "ok" if ok else "error"}, status=200 if ok else 503)
