"""Demo systems: the data platform's public client and the 002 dashboard's confidential one."""

from oauth2_provider.models import Application

from ..models import Profile, System, SystemGrant

DEMO_PUBLIC_CLIENT_ID = "plataforma-demo"
DEMO_DASHBOARD_CLIENT_ID = "tablero-002"
DEMO_DASHBOARD_SECRET = "tablero-002-secreto-de-demostracion"  # demo only, stated in the README


def _system(code, name, description, client_id, *, confidential, redirect, profiles):
    system = System.objects.filter(code=code).first()
    if system is not None:
        return system
    application = Application.objects.create(
        name=name,
        client_id=client_id,
        client_type=Application.CLIENT_CONFIDENTIAL if confidential else Application.CLIENT_PUBLIC,
        client_secret=DEMO_DASHBOARD_SECRET if confidential else "",
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect,
        post_logout_redirect_uris=redirect.rsplit("/", 1)[0] + "/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    system = System.objects.create(code=code, name=name, description=description, application=application)
    system.profiles.set(Profile.objects.filter(code__in=profiles))
    return system


def seed(ctx):
    from .services import grant_system, system_withdraw

    users = ctx["users"]
    platform = _system(
        "plataforma-datos",
        "Plataforma de datos (demostración)",
        "Plataforma que abre el convenio 000 (cláusulas OCTAVA a DÉCIMA).",
        DEMO_PUBLIC_CLIENT_ID,
        confidential=False,
        redirect="http://127.0.0.1/callback",
        profiles=["analyst", "institution_admin", "commission_admin"],
    )
    dashboard = _system(
        "tablero-002",
        "Tablero de mando 002 (demostración)",
        "Tablero del convenio 002 (cláusula CUARTO).",
        DEMO_DASHBOARD_CLIENT_ID,
        confidential=True,
        redirect="https://tablero.demo.gob.mx/oidc/callback",
        profiles=["commission_admin", "commission_reviewer"],
    )
    ctx["systems"] = {"platform": platform, "dashboard": dashboard}
    if SystemGrant.objects.exists():
        return
    admin = users["comision.admin"]
    for username in ("inst1.analista", "inst2.analista"):
        grant_system(user=users[username], system=platform, actor=admin)
    grant_system(user=users["comision.admin"], system=dashboard, actor=admin)
    # A withdrawn grant, so the demo shows both states.
    withdrawn = grant_system(user=users["inst1.admin"], system=platform, actor=admin)
    system_withdraw(grant=withdrawn, actor=admin)
