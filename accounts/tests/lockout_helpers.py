import re
from datetime import timedelta

from django.utils import timezone

from accounts.models import LoginThrottle

LOGIN = "/cuenta/entrar/"
WRONG = "Esta-No-Es-La-Clave-1"


def attempt(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def outcome(response) -> str:
    """What the visitor saw: "in" (redirected, signed in), "invalid", "locked" or "suspended"."""
    if response.status_code == 302:
        return "in"
    assert response.status_code == 200, response.status_code
    errors = " ".join(response.context["form"].non_field_errors())
    if "bloqueada" in errors:
        return "locked"
    if "suspendida" in errors:
        return "suspended"
    if "incorrectos" in errors:
        return "invalid"
    raise AssertionError(f"Unexpected login page: {errors!r}")


def error_text(response) -> str:
    """The refusal message with the unlock time blanked (it differs by the minute only)."""
    errors = " ".join(response.context["form"].non_field_errors())
    return re.sub(r"\d{2}:\d{2} del \d{1,2}/\d{2}/\d{4}", "<time>", errors)


def expire_lock(username):
    """Move the end of the lock into the past (LoginThrottle is not history-tracked)."""
    LoginThrottle.objects.filter(username=username.lower()).update(locked_until=timezone.now() - timedelta(seconds=1))


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def lock(client, username, failures=3):
    results = [outcome(attempt(client, username, WRONG)) for _ in range(failures)]
    assert results == ["invalid"] * (failures - 1) + ["locked"], results
