from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from accounts.identity.urls import oidc_patterns
from audit import views as audit_views
from kernel import access

from . import views
from .forms import PortalAuthenticationForm, PortalPasswordResetForm

auth_patterns = [
    path(
        "entrar/",
        access.public(
            auth_views.LoginView.as_view(
                template_name="registration/login.html",
                authentication_form=PortalAuthenticationForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("salir/", access.signed_in(auth_views.LogoutView.as_view()), name="logout"),
    path("contrasena/cambiar/", access.signed_in(views.PortalPasswordChangeView.as_view()), name="password_change"),
    path(
        "contrasena/cambiada/",
        access.signed_in(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "contrasena/restablecer/",
        access.public(auth_views.PasswordResetView.as_view(form_class=PortalPasswordResetForm)),
        name="password_reset",
    ),
    path(
        "contrasena/restablecer/enviado/",
        access.public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "contrasena/restablecer/<uidb64>/<token>/",
        access.public(views.PortalPasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "contrasena/restablecer/listo/",
        access.public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("idioma/", access.public(set_language), name="set_language"),
    # The history log's checkpoint verifier keys, for auditors outside the portal.
    path(".well-known/bitacora-key", access.public(audit_views.public_key), name="bitacora_key"),
    path("cuenta/", include(auth_patterns)),
    path("cuentas/", include("accounts.urls_onboarding")),
    path("notificaciones/", include("kernel.notifications.urls")),
    path("bitacora/", include("audit.urls")),
    path("verificar/", include("kernel.evidence.urls")),
    path("convenios/", include("agreements.urls")),
    path("suministro/", include("supply.urls")),
    path("gobernanza/", include("governance.urls")),
    path("revisiones-de-acceso/", include("access_reviews.urls")),
    path("", include("accounts.urls")),
    # OpenID Connect provider: discovery at the site root (the issuer is the portal's base URL).
    path("", include((oidc_patterns, "oauth2_provider"))),
    path("admin/", admin.site.urls),
]
