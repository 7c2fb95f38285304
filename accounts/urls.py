from django.urls import path

from . import views, views_basis, views_lockout, views_second_factor
from .identity.urls import catalog_patterns

app_name = "accounts"

urlpatterns = [
    path("perfiles/", views.profile_list, name="profile_list"),
    path("perfiles/nuevo/", views.profile_create, name="profile_create"),
    path("perfiles/<int:profile_pk>/", views.profile_detail, name="profile_detail"),
    path("perfiles/<int:profile_pk>/editar/", views.profile_update, name="profile_update"),
    path("perfiles/<int:profile_pk>/desactivar/", views.profile_deactivate, name="profile_deactivate"),
    path("perfiles/<int:profile_pk>/activar/", views.profile_activate, name="profile_activate"),
    path("usuarios/", views.user_list, name="user_list"),
    path("usuarios/<int:user_pk>/", views.user_detail, name="user_detail"),
    path("usuarios/<int:user_pk>/desbloquear/", views_lockout.lock_lift, name="lock_lift"),
    path("usuarios/<int:user_pk>/perfil/", views.user_profile_change, name="user_profile_change"),
    path("usuarios/<int:user_pk>/asignaciones/", views.user_assignments, name="user_assignments"),
    path(
        "usuarios/<int:user_pk>/segundo-factor/",
        views_second_factor.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path("suspendidas/", views.suspended_list, name="suspended_list"),
    path("suspendidas/<int:user_pk>/reactivar/", views.reactivate, name="reactivate"),
    path("instituciones/<int:institution_pk>/", views_basis.institution_detail, name="institution_detail"),
    path("instituciones/<int:institution_pk>/suspender/", views_basis.member_suspend, name="member_suspend"),
    path(
        "instituciones/<int:institution_pk>/levantar-suspension/",
        views_basis.member_suspension_lift,
        name="member_suspension_lift",
    ),
    path("instituciones/<int:institution_pk>/reinstalar/", views_basis.reinstate, name="reinstate"),
]

urlpatterns += catalog_patterns
