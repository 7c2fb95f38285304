"""``python manage.py account_reactivate USERNAME --reason "..."``: a server operator lifts a
lockout suspension or lock when nobody who could do it in the portal can sign in.

Recorded in the history log (an auth ``reactivation`` event naming the operator's OS user and
host, with the reason) and in the account's change history; the failed-login counters and the
lock history are cleared.
"""

import getpass
import os
import socket

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import account_reactivate_by_operator


def operator_name() -> str:
    """The OS user running the command, and the host: the history log's description of the actor."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        user = f"uid {os.getuid()}"
    return f"{user}@{socket.gethostname()}"


class Command(BaseCommand):
    help = (
        "Reactiva una cuenta suspendida o bloqueada por intentos fallidos de acceso. Queda en la "
        "bitácora con el usuario del sistema operativo que lo ejecuta y el motivo."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="nombre de usuario de la cuenta")
        parser.add_argument("--reason", required=True, help="motivo (queda en la bitácora)")

    def handle(self, *args, username, reason, **options):
        try:
            user = account_reactivate_by_operator(username=username, operator=operator_name(), reason=reason)
        except User.DoesNotExist:
            raise CommandError(f"No existe una cuenta con el usuario {username!r}.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Cuenta {user.username} reactivada (estado: {user.get_status_display()}).")
        )
