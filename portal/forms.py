from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import lockout, lockout_display, throttle
from kernel.notifications.services import notify
from kernel.site import absolute_url, site_domain, site_url


class LockoutMessagesMixin:
    """Say why the lockout policy refused an attempt: wrong data, locked (until when) or suspended.

    The same three messages are given for known and unknown usernames (no account enumeration).
    """

    def get_invalid_login_error(self):
        refusal = getattr(self.request, "portal_login_refusal", None)
        if refusal is not None:
            return ValidationError(refusal.message(), code=refusal.kind)
        return super().get_invalid_login_error()

    @property
    def lock_help(self):
        return lockout.lock_help_text()

    @property
    def attempts_left(self):
        """After a wrong password, how many attempts remain before the lock (None otherwise).

        Said only after a failed attempt, and computed the same way for any typed username (every
        username has its own counter), so it tells nothing about whether an account exists.
        """
        refusal = getattr(self.request, "portal_login_refusal", None)
        if refusal is None or refusal.kind != lockout.LoginRefused.INVALID:
            return None
        return lockout_display.attempts_before_lock(username=self.data.get("username", ""))


class PortalAuthenticationForm(LockoutMessagesMixin, AuthenticationForm):
    """Login form with one message for every refusal: it never tells whether a username exists."""

    error_messages = {
        "invalid_login": _("Usuario o contraseña incorrectos. Revise sus datos e inténtelo de nuevo."),
        "inactive": _("Usuario o contraseña incorrectos. Revise sus datos e inténtelo de nuevo."),
    }


class PortalAdminAuthenticationForm(LockoutMessagesMixin, AdminAuthenticationForm):
    """Django admin's login, through the same lockout policy and messages."""


class PortalPasswordResetForm(PasswordResetForm):
    """Reset e-mails only go to accounts that may sign in (suspended or cancelled ones get nothing).

    Requests are rate-limited per address and per client (accounts/throttle.py); the answer is
    the same whether the address exists, is throttled or not. The link is built from
    ``PORTAL_SITE_URL`` (portal/site.py), never from the request's Host header.
    """

    def get_users(self, email):
        return (u for u in super().get_users(email) if u.status in u.LIVE_STATUSES)

    def save(self, *, request=None, **kwargs):
        if not throttle.password_reset_allowed(email=self.cleaned_data["email"], request=request):
            return
        kwargs.update(domain_override=site_domain(), use_https=site_url().startswith("https://"))
        super().save(request=request, **kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Through the outbox like every other message (templates/notifications/password_reset/)."""
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        context = {"user": context["user"], "link": absolute_url(path)}
        notify(recipients=[context["user"]], template="password_reset", context=context, channels=("email",))
