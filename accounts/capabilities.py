"""The capability table: what each built-in profile may do. The one place it is written down.

Each built-in profile maps to a scope and to the model-level permissions its group holds. The
README reproduces this table; ``accounts.services.profile_sync_builtin`` applies it after every
migration, so a permission named here that does not exist is an error, not a silent gap.

Capabilities (``portal.<codename>``, declared on ``portal.models.Capability``) name what has no
single model behind it, such as reading the history log.
"""

from .models import Profile

PLATFORM = Profile.Scope.PLATFORM
INSTITUTION = Profile.Scope.INSTITUTION
ASSIGNED = Profile.Scope.ASSIGNED

# The commission administrator holds every permission of the portal's own apps.
ALL_PORTAL_PERMISSIONS = "__all__"
PORTAL_APPS = ("accounts", "agreements", "audit", "portal")

# Reading agreements and what hangs on them (rows still limited by the profile's scope).
AGREEMENT_READ = [
    "agreements.view_agreement",
    "agreements.view_document",
    "agreements.view_linkofficer",
    "agreements.view_obligation",
    "agreements.view_compliancerecord",
    "agreements.view_signatory",
]

BUILTIN_PROFILES = {
    "commission_admin": {
        "name": "Administración de la Comisión",
        "description": "Administra la plataforma completa, incluido el catálogo de perfiles.",
        "scope": PLATFORM,
        "permissions": ALL_PORTAL_PERMISSIONS,
    },
    "commission_reviewer": {
        "name": "Revisión de la Comisión",
        "description": "Revisa y resuelve solicitudes de cuentas y de cambios; consulta convenios e instituciones.",
        "scope": PLATFORM,
        "permissions": [
            "agreements.view_institution",
            "accounts.view_user",
            "portal.review_requests",
            *AGREEMENT_READ,
            "agreements.view_membership",
            "agreements.view_membernotice",
        ],
    },
    "institution_admin": {
        "name": "Administración de institución",
        "description": "Gestiona usuarios, solicitudes, enlaces y firmas autorizadas de su institución.",
        "scope": INSTITUTION,
        "permissions": [
            "agreements.view_institution",
            "accounts.view_user",
            "portal.manage_institution",
            *AGREEMENT_READ,
            # Link officers and signatories of its own institution (scope checked in the views).
            "agreements.add_linkofficer",
            "agreements.add_signatory",
            "agreements.add_document",
            "agreements.add_compliancerecord",
            "agreements.view_membership",
            "agreements.add_membership",
            "agreements.change_membership",
            "agreements.view_membernotice",
        ],
    },
    "analyst": {
        "name": "Analista",
        "description": "Consulta, sin modificar, los registros de su alcance; cada búsqueda queda en bitácora.",
        "scope": INSTITUTION,
        "permissions": [
            "agreements.view_institution",
            *AGREEMENT_READ,
        ],
    },
    "auditor": {
        "name": "Auditoría",
        "description": "Consulta la bitácora y los reportes de toda la plataforma, sin modificar nada.",
        "scope": PLATFORM,
        "permissions": [
            "agreements.view_institution",
            "accounts.view_user",
            "portal.view_history_log",
            *AGREEMENT_READ,
            "agreements.view_membership",
            "agreements.view_membernotice",
        ],
    },
}
