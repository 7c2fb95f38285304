from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed or None for any signed-in user). Later features add rows.
NAVIGATION = [
    (_("Inicio"), "dashboard", None),
    (_("Solicitudes de cuenta"), "onboarding:account_request_list", "accounts.view_accountrequest"),
    (_("Cambios de cuenta"), "onboarding:account_change_list", "accounts.view_accountchangerequest"),
    (_("Revisión"), "onboarding:review_queue", "portal.review_requests"),
    (_("Documentos requeridos"), "onboarding:required_document_list", "accounts.change_requireddocument"),
    (_("Convenios"), "agreements:list", "agreements.view_agreement"),
    (_("Cumplimiento"), "agreements:compliance", "agreements.view_compliancerecord"),
    (_("Entregas de datos"), "supply:list", "supply.view_delivery"),
    (_("Firmas autorizadas"), "agreements:signatory_list", "agreements.view_signatory"),
    (_("Membresías"), "agreements:membership_list", "agreements.view_membership"),
    (_("Avisos a integrantes"), "agreements:member_notice_list", "agreements.view_membernotice"),
    (_("Días inhábiles"), "agreements:non_working_days", "agreements.add_nonworkingday"),
    (_("Órganos y acuerdos"), "governance:body_list", "governance.view_body"),
    (_("Programas piloto"), "governance:pilot_list", "governance.view_pilotprogram"),
    (_("Evidencia de consentimiento"), "governance:consent_list", "governance.view_consentevidencerequest"),
    (_("Incidentes"), "governance:incident_list", "governance.view_incident"),
    (_("Revisiones de acceso"), "access_reviews:campaign_list", "access_reviews.view_reviewcampaign"),
    (_("Usuarios"), "accounts:user_list", "accounts.view_user"),
    (_("Perfiles"), "accounts:profile_list", "accounts.view_profile"),
    (_("Cuentas suspendidas"), "accounts:suspended_list", "accounts.reactivate_user"),
    (_("Correos del portal"), "notifications:outbox", "notifications.manage_outbox"),
    (_("Bitácora"), "audit:timeline", "audit.view_history_log"),
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
            items.append({"label": label, "url": url, "current": False})
    # The current entry is the one whose URL is the longest prefix of the path (so /convenios/firmas/
    # marks "Firmas autorizadas", not also "Convenios").
    matches = [item for item in items if item["url"] == path or (item["url"] != "/" and path.startswith(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["current"] = True
    return {"nav_items": items}
