"""Demo data: a welcome in-app notification for each demo account (idempotent)."""

from .models import Notification
from .services import notify


def seed(ctx):
    for user in ctx.get("users", {}).values():
        if not Notification.objects.filter(recipient=user, template="bienvenida").exists():
            notify(recipients=[user], template="bienvenida", context={}, channels=("inapp",))
