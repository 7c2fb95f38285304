"""Whether a person may sign in to a system right now: the one place the rule is written."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import LoginThrottle, System, SystemGrant, User

# Refusal reasons (history-log detail and the explanation page).
NOT_LIVE = "account_not_live"
LETTER_PENDING = "letter_pending"
NO_SYSTEM = "unknown_system"
SYSTEM_INACTIVE = "system_inactive"
NOT_GRANTED = "system_not_granted"
PROFILE_NOT_ALLOWED = "profile_not_allowed"
LOCKED = "account_locked"


def _locked(user) -> bool:
    """Locked by the lockout right now (wrong passwords or codes): no code, no token meanwhile."""
    state = LoginThrottle.objects.filter(username=User.normalize_username(user.username)).first()
    return bool(state and state.locked_until is not None and timezone.now() < state.locked_until)


def system_for_client(client_id: str | None) -> System | None:
    if not client_id:
        return None
    return System.objects.select_related("application").filter(application__client_id=client_id).first()


def refusal(*, user, system: System | None) -> str | None:
    """Why ``user`` may not sign in to ``system`` now, or None when they may."""
    if system is None:
        return NO_SYSTEM
    if not system.is_active:
        return SYSTEM_INACTIVE
    if user.status == User.Status.PENDING_LETTER:
        return LETTER_PENDING
    if user.status != User.Status.ACTIVE or not user.is_active:
        return NOT_LIVE
    if _locked(user):
        return LOCKED
    if not SystemGrant.objects.live().filter(user=user, system=system).exists():
        return NOT_GRANTED
    if not system.profiles.filter(pk=user.profile_id).exists():
        return PROFILE_NOT_ALLOWED
    return None


def refusal_message(reason: str, *, system: System | None) -> str:
    name = system.name if system is not None else ""
    messages = {
        NOT_LIVE: _("Su cuenta no está vigente (suspendida o cancelada), así que no puede entrar a %(system)s."),
        LETTER_PENDING: _("Antes de entrar a %(system)s debe aceptar su carta de confidencialidad en el portal."),
        NO_SYSTEM: _("El sistema que pidió la entrada no está registrado en el portal."),
        SYSTEM_INACTIVE: _("El sistema %(system)s está dado de baja en el catálogo del portal."),
        NOT_GRANTED: _(
            "Su cuenta no tiene otorgado el acceso a %(system)s. La administración de su institución "
            "puede solicitarlo a la Comisión con una solicitud de cambio de cuenta."
        ),
        PROFILE_NOT_ALLOWED: _("Su perfil no está autorizado para usar %(system)s."),
        LOCKED: _(
            "Su cuenta está bloqueada por intentos fallidos de inicio de sesión; no puede entrar a %(system)s "
            "hasta que termine el bloqueo."
        ),
    }
    return messages[reason] % {"system": name}
