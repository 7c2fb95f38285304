"""Demo history log: a few days of sign-ins, page views, searches and edits. Idempotent.

Runs after the accounts step (it needs ctx["users"]). Access and authentication rows are written
back-dated over the last days; two edits go through the models with their actor so that the
object history shows field changes.
"""

import datetime as dt
import random

from django.utils import timezone

from .models import AccessEvent, Event

DEMO_MARK = {"demo": True}
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 (demostración)"
PAGES = [
    ("GET", "/", "dashboard", {}),
    ("GET", "/bitacora/", "audit:timeline", {}),
    ("GET", "/bitacora/", "audit:timeline", {"user": "inst1.analista", "kind": "access"}),
    ("GET", "/contrasena/cambiar/", "password_change", {}),
]


def _ip(rng, institution_id):
    return f"10.{(institution_id or 0) % 250}.{rng.randint(1, 20)}.{rng.randint(2, 250)}"


def seed(ctx):
    if Event.objects.filter(detail__demo=True).exists():
        return
    users = ctx.get("users", {})
    rng = random.Random(2026)  # the same log on every fresh demo database
    now = timezone.now()
    accesses, events = [], []
    for days_ago in range(6, 0, -1):
        day = (now - dt.timedelta(days=days_ago)).replace(hour=15, minute=0, second=0, microsecond=0)
        for offset, user in enumerate(users.values()):
            start = day + dt.timedelta(minutes=7 * offset + rng.randint(0, 5))
            ip = _ip(rng, user.institution_id)
            common = {"user_id": user.pk, "username": user.username, "institution_id": user.institution_id}
            accesses.append(
                AccessEvent(
                    occurred_at=start,
                    ip=ip,
                    user_agent=AGENT,
                    method="POST",
                    path="/cuenta/entrar/",
                    view_name="login",
                    status=302,
                    duration_ms=rng.randint(40, 120),
                    **common,
                )
            )
            events.append(
                Event(
                    occurred_at=start,
                    category="auth",
                    action="login_success",
                    actor_id=user.pk,
                    username=user.username,
                    institution_id=user.institution_id,
                    ip=ip,
                    user_agent=AGENT,
                    path="/cuenta/entrar/",
                    detail=DEMO_MARK,
                )
            )
            allowed = [p for p in PAGES if not p[2].startswith("audit:") or user.has_perm("audit.view_history_log")]
            for step in range(rng.randint(2, 5)):
                method, path, view_name, query = rng.choice(allowed)
                accesses.append(
                    AccessEvent(
                        occurred_at=start + dt.timedelta(seconds=30 * (step + 1)),
                        ip=ip,
                        user_agent=AGENT,
                        method=method,
                        path=path,
                        view_name=view_name,
                        query=query,
                        status=200,
                        duration_ms=rng.randint(8, 90),
                        **common,
                    )
                )
            events.append(
                Event(
                    occurred_at=start + dt.timedelta(minutes=4),
                    category="auth",
                    action="logout",
                    actor_id=user.pk,
                    username=user.username,
                    institution_id=user.institution_id,
                    ip=ip,
                    user_agent=AGENT,
                    path="/cuenta/salir/",
                    detail=DEMO_MARK,
                )
            )
        # A mistyped password now and then: the username as typed, no account behind it.
        events.append(
            Event(
                occurred_at=day + dt.timedelta(hours=2),
                category="auth",
                action="login_failure",
                username="inst2.analist",
                ip="10.2.9.9",
                user_agent=AGENT,
                path="/cuenta/entrar/",
                detail={**DEMO_MARK, "reason": "invalid_credentials"},
            )
        )
    AccessEvent.objects.bulk_create(accesses)
    Event.objects.bulk_create(events)
    _demo_edits(users, now)


def _demo_edits(users, now):
    """Two edits with their actors, so object pages show who changed what."""
    admin, analyst = users.get("inst1.admin"), users.get("inst1.analista")
    if admin is None or analyst is None:
        return
    analyst.phone = "81 2020 1234"
    analyst.area = "Dirección de Análisis"
    analyst._history_user = admin
    analyst._history_date = now - dt.timedelta(days=3, hours=2)
    analyst.save(update_fields=["phone", "area"])
    admin.position = "Jefe de Tecnologías de la Información y Comunicaciones"
    admin._history_user = admin
    admin._history_date = now - dt.timedelta(days=1, hours=5)
    admin.save(update_fields=["position"])
