from django.contrib import admin

from .forms import PortalAdminAuthenticationForm


class PortalAdminSite(admin.AdminSite):
    """Django's admin is a technical tool for superusers only; staff profiles use the portal."""

    site_header = "Portal de Convenios — administración técnica"
    site_title = "Portal de Convenios"
    login_form = PortalAdminAuthenticationForm  # same lockout policy as the portal's login

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
