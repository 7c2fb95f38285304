from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from portal.notifications.services import notify


class PortalAuthenticationForm(AuthenticationForm):
    """Login form with one message for every refusal: it never tells whether a username exists."""

    error_messages = {
        "invalid_login": _("Usuario o contraseña incorrectos. Revise sus datos e inténtelo de nuevo."),
        "inactive": _("Usuario o contraseña incorrectos. Revise sus datos e inténtelo de nuevo."),
    }


class PortalPasswordResetForm(PasswordResetForm):
    """Reset e-mails only go to accounts that may sign in (suspended or cancelled ones get nothing)."""

    def get_users(self, email):
        return (u for u in super().get_users(email) if u.status in u.LIVE_STATUSES)

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        """Through the outbox like every other message (templates/notifications/password_reset/)."""
        notify(recipients=[context["user"]], template="password_reset", context=context, channels=("email",))
