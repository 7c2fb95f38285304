"""The OpenID Connect endpoints (namespace ``oauth2_provider``, as django-oauth-toolkit reverses
them) and the systems catalog. Discovery lives at the issuer's root: the portal's base URL."""

from django.urls import path, re_path
from oauth2_provider import views as oauth_views

from kernel import access

from . import views

oidc_patterns = [
    path("o/authorize/", access.signed_in(views.PortalAuthorizationView.as_view()), name="authorize"),
    # Clients authenticate themselves (secret or PKCE verifier); no session, no CSRF.
    path("o/token/", access.public(oauth_views.TokenView.as_view()), name="token"),
    path("o/revoke_token/", access.public(oauth_views.RevokeTokenView.as_view()), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        access.public(oauth_views.ConnectDiscoveryInfoView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path("o/jwks/", access.public(oauth_views.JwksInfoView.as_view()), name="jwks-info"),
    path("o/userinfo/", access.public(oauth_views.UserInfoView.as_view()), name="user-info"),
    path("o/logout/", access.public(oauth_views.RPInitiatedLogoutView.as_view()), name="rp-initiated-logout"),
]

catalog_patterns = [
    path("sistemas/", views.system_list, name="system_list"),
    path("sistemas/nuevo/", views.system_create, name="system_create"),
    path("sistemas/<int:system_pk>/", views.system_detail, name="system_detail"),
    path("sistemas/<int:system_pk>/editar/", views.system_update, name="system_update"),
]
