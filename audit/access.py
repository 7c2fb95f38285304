"""Who may read the history log. Audit's own guard, since audit imports no other app.

The view declares its rule as ``access_rule`` like ``kernel.access.permission`` does, so the
URL-walk tests (portal/tests/routes.py) read it as they read every other route's.
"""

from django.contrib.auth.decorators import permission_required

# Declared on audit.models.Event (Meta.permissions); granted through the profile's group.
HISTORY_LOG = "audit.view_history_log"


def history_log_required(view):
    """403 unless the user holds ``audit.view_history_log`` (sign-in is the middleware's job)."""
    guarded = permission_required(HISTORY_LOG, raise_exception=True)(view)
    guarded.access_rule = (HISTORY_LOG,)
    return guarded
