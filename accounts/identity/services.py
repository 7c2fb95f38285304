"""Writes on the systems catalog and on who may enter which system. Each takes ``actor``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, Application, RefreshToken

from audit.services import record_event

from ..models import Profile, System, SystemGrant, User


def _require(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied


def _clean_uris(uris: list[str]) -> str:
    cleaned = [u.strip() for u in uris if u.strip()]
    for uri in cleaned:
        if not (uri.startswith("https://") or uri.startswith("http://127.0.0.1") or uri.startswith("http://[::1]")):
            raise ValidationError(
                _("%(uri)s no es válida: use https, o http sólo en la dirección de bucle local (127.0.0.1).")
                % {"uri": uri},
                code="redirect_uri",
            )
    return " ".join(cleaned)


@transaction.atomic
def system_create(
    *,
    actor,
    code: str,
    name: str,
    description: str = "",
    confidential: bool,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str] | None = None,
    profiles: list[Profile],
) -> tuple[System, str | None]:
    """Register a system and its OIDC client. Returns the system and, for a confidential client,
    its secret: shown once, stored hashed."""
    _require(actor, "accounts.add_system")
    if System.objects.filter(code=code).exists() or System.objects.filter(name=name).exists():
        raise ValidationError(_("Ya existe un sistema con esa clave o ese nombre."), code="duplicate")
    secret = None
    application = Application(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL if confidential else Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=_clean_uris(redirect_uris),
        post_logout_redirect_uris=_clean_uris(post_logout_redirect_uris or []),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # first-party platforms: the grant itself is the consent
    )
    if confidential:
        from oauth2_provider.generators import generate_client_secret

        secret = generate_client_secret()
        application.client_secret = secret  # hashed on save
    else:
        application.client_secret = ""
    application.save()
    system = System.objects.create(code=code, name=name, description=description, application=application)
    system.profiles.set(profiles)
    record_event(
        category="business",
        action="system_created",
        actor=actor,
        target=system,
        detail={"code": code, "client_id": application.client_id, "confidential": confidential},
    )
    return system, secret


@transaction.atomic
def system_update(
    *,
    actor,
    system: System,
    name: str,
    description: str,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str],
    profiles: list[Profile],
    is_active: bool,
) -> System:
    _require(actor, "accounts.change_system")
    system = System.objects.select_for_update().get(pk=system.pk)
    application = system.application
    application.name = name
    application.redirect_uris = _clean_uris(redirect_uris)
    application.post_logout_redirect_uris = _clean_uris(post_logout_redirect_uris)
    application.save()
    system.name, system.description, system.is_active = name, description, is_active
    system.save()
    system.profiles.set(profiles)
    if not is_active:
        tokens_revoke(users=None, application=application)
    record_event(category="business", action="system_updated", actor=actor, target=system, detail={"active": is_active})
    return system


def grant_system(*, user: User, system: System, actor) -> SystemGrant:
    """Grant ``system`` to ``user`` (idempotent). For the approval services, which check their
    own actor (the reviewer's decision is the authority); elsewhere use ``system_grant``."""
    existing = SystemGrant.objects.live().filter(user=user, system=system).first()
    if existing is not None:
        return existing
    grant = SystemGrant.objects.create(user=user, system=system)
    record_event(
        category="business",
        action="system_granted",
        actor=actor,
        institution=user.institution,
        target=user,
        detail={"system": system.name},
    )
    return grant


@transaction.atomic
def system_grant(*, user: User, system: System, actor) -> SystemGrant:
    _require(actor, "accounts.add_systemgrant")
    return grant_system(user=user, system=system, actor=actor)


@transaction.atomic
def system_withdraw(*, grant: SystemGrant, actor) -> SystemGrant:
    """Withdraw a granted system: its tokens stop working at once."""
    _require(actor, "accounts.change_systemgrant")
    grant = SystemGrant.objects.select_for_update().select_related("system__application", "user").get(pk=grant.pk)
    grant.withdraw()
    grant.save()
    tokens_revoke(users=[grant.user], application=grant.system.application)
    record_event(
        category="business",
        action="system_withdrawn",
        actor=actor,
        institution=grant.user.institution,
        target=grant.user,
        detail={"system": grant.system.name},
    )
    return grant


def tokens_revoke(*, users, application=None) -> int:
    """Revoke the platform tokens of ``users`` (all users when None), of one application or all.

    Called when an account is suspended or cancelled, its profile changes or a system is
    withdrawn: the refresh token stops working at once (the validator checks the rule again too).
    """
    refresh = RefreshToken.objects.filter(revoked__isnull=True)
    access = AccessToken.objects.all()
    if users is not None:
        refresh = refresh.filter(user__in=users)
        access = access.filter(user__in=users)
    if application is not None:
        refresh = refresh.filter(application=application)
        access = access.filter(application=application)
    count = 0
    for token in refresh:
        token.revoke()
        count += 1
    for token in access:
        token.revoke()
    return count
