import logging
import os

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.views.decorators.cache import never_cache

from kernel import access

from . import dashboards
from .celery import app as celery_app

logger = logging.getLogger(__name__)


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


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _broker_ok() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return True  # the demo run: tasks run in the web process
    with celery_app.connection_for_write(url) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    return True


def _storage_ok() -> bool:
    storage = storages["default"]
    location = getattr(storage, "location", None)
    if isinstance(storage, FileSystemStorage):
        os.makedirs(location, exist_ok=True)  # created on the first upload anyway
        return os.access(location, os.W_OK)
    storage.exists("healthz")  # any remote storage: one cheap request that must not fail
    return True


HEALTH_CHECKS = {"database": _database_ok, "broker": _broker_ok, "storage": _storage_ok}


@access.public
@never_cache
def healthz(request):
    """For load balancers and monitors: whether the database, the broker and the file storage
    answer. 200 when all do, 503 otherwise; only "ok"/"error" per component, never the cause
    (which goes to the log)."""
    checks = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            checks[name] = "ok" if check() else "error"
        except Exception:  # noqa: BLE001 - any failure means "not healthy"; the detail stays in the logs
            logger.exception("health check %s failed", name)
            checks[name] = "error"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
