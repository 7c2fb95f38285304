"""The portal's only authentication backend: Django's model backend behind the lockout policy."""

from axes.backends import AxesBackend
from django.core.exceptions import PermissionDenied

from . import lockout


class PortalAuthBackend(AxesBackend):
    """Every ``authenticate()`` (portal login, Django admin login, test client) passes the policy.

    Subclasses django-axes' backend so axes sees its integration in place; the decision itself is
    ``accounts.lockout.attempt_login``, taken under a row lock. A refusal raises PermissionDenied,
    which stops Django's ``authenticate`` and sends ``user_login_failed`` (axes records it when it
    is a counted failure). Permissions and ``get_user`` are ModelBackend's.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        try:
            user = lockout.attempt_login(request=request, username=username, password=password)
        except lockout.LoginRefused as refusal:
            raise PermissionDenied(refusal.kind) from None
        return user

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
