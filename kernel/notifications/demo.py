"""Demo data: a welcome in-app notification for each demo account (idempotent)."""

from django.urls import reverse

from .models import Notification
from .services import notify


def seed(ctx):
    for user in ctx.get("users", {}).values():
        if not Notification.objects.filter(recipient=user, template="bienvenida").exists():
            notify(recipients=[user], template="bienvenida", context={}, link=reverse("dashboard"), channels=("inapp",))
