from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None for any signed-in user). Later features add rows.
NAVIGATION = [
    (_("Inicio"), "dashboard", None),
    (_("Usuarios"), "accounts:user_list", "accounts.view_user"),
    (_("Perfiles"), "accounts:profile_list", "accounts.view_profile"),
    (_("Cuentas suspendidas"), "accounts:suspended_list", "accounts.reactivate_user"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for label, url_name, perm in NAVIGATION:
        if perm is None or user.has_perm(perm):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "current": path == url or (url != "/" and path.startswith(url))})
    return {"nav_items": items}
