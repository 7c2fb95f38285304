"""django-oauth-toolkit's validator with the portal's rules: claims, and no code or token for a
person who may not enter the system (checked again at every token exchange and refresh)."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from audit.services import record_event

from ..models import SystemGrant
from . import rules


def _systems(user) -> list[str]:
    grants = SystemGrant.objects.live().filter(user=user, system__is_active=True).select_related("system")
    return sorted(g.system.code for g in grants)


class PortalOAuth2Validator(OAuth2Validator):
    # Which scope releases which claim ("openid" releases the portal's own claims with the name).
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "preferred_username": "profile",
        "name": "profile",
        "institution": "profile",
        "profile": "profile",
        "scope": "profile",
        "systems": "profile",
        "email": "email",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "name": user.full_name,
            "email": user.email,
            "institution": user.institution.acronym if user.institution_id else "",
            "profile": user.profile.code if user.profile_id else "",
            "scope": user.profile.scope if user.profile_id else "",
            "systems": _systems(user),
        }

    def _still_allowed(self, request, client, grant_type) -> bool:
        user = getattr(request, "user", None)
        if user is None:
            return False
        user.refresh_from_db()
        system = getattr(client, "system", None) if client is not None else None
        reason = rules.refusal(user=user, system=system)
        if reason is None:
            return True
        record_event(
            category="auth",
            action="system_token_refused",
            actor=None,
            username=user.username,
            institution=user.institution,
            target=user,
            detail={"system": system.name if system else "", "reason": reason, "grant_type": grant_type},
        )
        return False

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        return self._still_allowed(request, client, "authorization_code")

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        return self._still_allowed(request, client, "refresh_token")

    def save_bearer_token(self, token, request, *args, **kwargs):
        super().save_bearer_token(token, request, *args, **kwargs)
        user = request.user
        system = getattr(request.client, "system", None)
        record_event(
            category="auth",
            action="system_token_issued",
            actor=user,
            username=user.username,
            institution=user.institution,
            target=user,
            detail={"system": system.name if system else "", "grant_type": request.grant_type},
        )
