from django.contrib import admin


class PortalAdminSite(admin.AdminSite):
    """Django's admin is a technical tool for superusers only; staff profiles use the portal."""

    site_header = "Portal de Convenios — administración técnica"
    site_title = "Portal de Convenios"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
