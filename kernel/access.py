"""Who may use a view (kernel). Every view declares it; the URL-walk test fails on one that does not.

- ``public``: no sign-in needed (login, password reset, language switch, health check).
- ``signed_in``: any signed-in user (their own dashboard, notifications, password change).
- ``permission("app.codename", ...)``: the user's profile must hold every permission named;
  otherwise 403. Rows outside the user's scope are a separate matter: views read them through
  scoped selectors, and an object out of scope answers 404.

Use them on function views or around ``View.as_view()`` in urls.py.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

PUBLIC = "public"
SIGNED_IN = "signed_in"


def public(view):
    view = login_not_required(view)
    view.access_rule = PUBLIC
    return view


def signed_in(view):
    # LoginRequiredMiddleware already sends anonymous visitors to the login page.
    view.access_rule = SIGNED_IN
    return view


def permission(*perms):
    if not perms:
        raise ValueError("permission() needs at least one permission name")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = tuple(perms)
        return wrapped

    return decorator
