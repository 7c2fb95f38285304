"""The capability table: what each built-in profile may do. The one place it is written down.

Each built-in profile maps to a scope and to the model-level permissions its group holds. The
data migration ``accounts.0004_builtin_profiles`` creates the profiles from this table and
``accounts.services.profile_sync_builtin`` re-applies it after every migration, so a permission
named here that does not exist is an error, not a silent gap. The README reproduces the table
(``readme_table()``); ``accounts/tests/test_capabilities.py`` fails when the two drift apart.

Capabilities (``portal.<codename>``, declared on ``portal.models.Capability``) name what has no
single model behind it, such as reviewing account requests. Reading the history log is the audit
app's own ``audit.view_history_log`` (declared on ``audit.models.Event``).

This module imports no model on purpose: migrations read it.
"""

from typing import Any

from kernel.scoping import ASSIGNED, INSTITUTION, PLATFORM  # the values of Profile.Scope

SCOPE_README = {
    PLATFORM: "whole platform",
    INSTITUTION: "own institution",
    ASSIGNED: "assigned objects only (django-guardian grants)",
}

# The commission administrator holds every permission of the portal's own apps.
ALL_PORTAL_PERMISSIONS = "__all__"
PORTAL_APPS = (
    "accounts",
    "agreements",
    "governance",
    "audit",
    "portal",
    "notifications",
    "supply",
    "access_reviews",
)

# Reading agreements and what hangs on them (rows still limited by the profile's scope).
AGREEMENT_READ = [
    "agreements.view_agreement",
    "agreements.view_document",
    "agreements.view_linkofficer",
    "agreements.view_obligation",
    "agreements.view_compliancerecord",
    "agreements.view_signatory",
]

# Data supply: deliveries, their layouts and catalogs, and the evaluation (rows scoped by profile).
SUPPLY_READ = [
    "supply.view_delivery",
    "supply.view_layout",
    "supply.view_catalog",
    "supply.view_evaluation",
]

# Governance bodies, their sessions and acuerdos, pilot programs, consent-evidence requests
# (rows limited by the profile's scope; consent requests only to the two institutions involved).
GOVERNANCE_READ = [
    "governance.view_body",
    "governance.view_session",
    "governance.view_acuerdo",
    "governance.view_pilotprogram",
    "governance.view_consentevidencerequest",
    "governance.view_document",
    "governance.view_incident",
]

# Account requests, account changes and confidentiality letters (each scoped by the profile).
ONBOARDING_READ = [
    "accounts.view_accountrequest",
    "accounts.view_accountchangerequest",
    "accounts.view_confidentialityletter",
]

BUILTIN_PROFILES: dict[str, dict[str, Any]] = {
    "commission_admin": {
        "name": "Administración de la Comisión",
        "description": "Administra la plataforma completa, incluido el catálogo de perfiles.",
        "scope": PLATFORM,
        "permissions": ALL_PORTAL_PERMISSIONS,
        "readme": "everything, including the profile catalog and assigning profiles",
    },
    "commission_reviewer": {
        "name": "Revisión de la Comisión",
        "description": "Revisa y resuelve solicitudes de cuentas y de cambios; consulta convenios e instituciones.",
        "scope": PLATFORM,
        "permissions": [
            "agreements.view_institution",
            "accounts.view_user",
            "accounts.view_profile",
            "portal.review_requests",
            *ONBOARDING_READ,
            *AGREEMENT_READ,
            *SUPPLY_READ,
            "agreements.view_membership",
            "agreements.view_membernotice",
            *GOVERNANCE_READ,
        ],
        "readme": "review and decide account requests and changes; read agreements and institutions",
    },
    "institution_admin": {
        "name": "Administración de institución",
        "description": "Gestiona usuarios, solicitudes, enlaces y firmas autorizadas de su institución.",
        "scope": INSTITUTION,
        "permissions": [
            "agreements.view_institution",
            "accounts.view_user",
            "portal.manage_institution",
            *ONBOARDING_READ,
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
            *SUPPLY_READ,
            "supply.add_delivery",
            "supply.add_catalog",
            *GOVERNANCE_READ,
            # Its representatives on bodies, acuerdos it is responsible for, pilot requests and
            # consent evidence (scope checked in the services).
            "governance.add_member",
            "governance.change_acuerdo",
            "governance.add_followupnote",
            "governance.add_pilotprogram",
            "governance.add_consentevidencerequest",
            "governance.change_consentevidencerequest",
            # Problems and security incidents it reports to the commission (001 Cap. IV.1 VII–VIII).
            "governance.add_incident",
            # Access reviews: confirm or revoke its institution's accounts (scope checked in the services).
            "access_reviews.view_reviewcampaign",
            "access_reviews.view_reviewitem",
            "access_reviews.change_reviewitem",
        ],
        "readme": "its institution's users, requests, link officers, signatories and agreements",
    },
    "analyst": {
        "name": "Analista",
        "description": "Consulta, sin modificar, los registros de su alcance; cada búsqueda queda en bitácora.",
        "scope": INSTITUTION,
        "permissions": [
            "agreements.view_institution",
            *AGREEMENT_READ,
            *GOVERNANCE_READ,
        ],
        "readme": "read-only consultation of the records in its scope; every search is logged",
    },
    "auditor": {
        "name": "Auditoría",
        "description": "Consulta la bitácora y los reportes de toda la plataforma, sin modificar nada.",
        "scope": PLATFORM,
        "permissions": [
            "agreements.view_institution",
            "accounts.view_user",
            "accounts.view_profile",
            "audit.view_history_log",
            *AGREEMENT_READ,
            *SUPPLY_READ,
            "agreements.view_membership",
            "agreements.view_membernotice",
            *GOVERNANCE_READ,
            "access_reviews.view_reviewcampaign",
            "access_reviews.view_reviewitem",
        ],
        "readme": "read-only history log and reports across the platform",
    },
}


def permission_names(spec, all_permissions):
    """The dotted permission names a spec grants; ``all_permissions`` lists every portal permission."""
    if spec == ALL_PORTAL_PERMISSIONS:
        return set(all_permissions)
    return set(spec)


def readme_table() -> str:
    """The Markdown table the README carries between its capability-table markers."""
    lines = [
        "| profile | scope | may | permissions |",
        "|---|---|---|---|",
    ]
    for code, spec in BUILTIN_PROFILES.items():
        perms = (
            "every permission of " + ", ".join(f"`{app}`" for app in PORTAL_APPS)
            if spec["permissions"] == ALL_PORTAL_PERMISSIONS
            else ", ".join(f"`{p}`" for p in spec["permissions"])
        )
        lines.append(f"| {spec['name']} (`{code}`) | {SCOPE_README[spec['scope']]} | {spec['readme']} | {perms} |")
    return "\n".join(lines) + "\n"
