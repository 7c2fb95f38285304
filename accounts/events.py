"""The history log's events about accounts, registered once (see ``audit.events``)."""

from django.utils.translation import gettext_lazy as _

from audit.events import AUTH, BUSINESS, EventType, register
from audit.present import register_object_kinds, register_pages

register(
    # --- Sign-in: lockout, sessions, activation (short names kept, see audit.events) ----------
    EventType("lock", AUTH, _("bloqueo de cuenta"), detail=("until", "minutes")),
    EventType("lock_lifted", AUTH, _("bloqueo levantado por la Comisión"), detail=("reason", "until")),
    EventType("suspension", AUTH, _("suspensión de cuenta"), detail=("reason", "logins_ended")),
    EventType(
        "reactivation",
        AUTH,
        _("reactivación de cuenta"),
        detail=("reason", "by", "previous_status", "status", "was_locked"),
    ),
    EventType("session_expired", AUTH, _("sesión expirada"), detail=("reason",)),
    EventType(
        "session_ended_no_basis",
        AUTH,
        _("sesión terminada: la institución perdió su base de acceso"),
        detail=("cause", "reason"),
    ),
    EventType("session_replaced", AUTH, _("sesión reemplazada por otra"), detail=("logins_ended",)),
    EventType("account_activated", AUTH, _("cuenta activada")),
    # --- Second factor (TOTP and backup codes) ---------------------------------------------------
    EventType("second_factor_enrolled", AUTH, _("segundo factor dado de alta"), detail=("backup_codes", "method")),
    EventType("second_factor_verified", AUTH, _("segundo factor verificado"), detail=("method",)),
    EventType("passkey_added", AUTH, _("llave de seguridad agregada"), detail=("name",)),
    EventType(
        "second_factor_failure",
        AUTH,
        _("código de segundo factor incorrecto"),
        detail=("reason", "counted", "failures", "after_lock"),
    ),
    EventType("second_factor_reset", AUTH, _("segundo factor restablecido"), detail=("reason", "sessions_ended")),
    EventType(
        "password_reset_throttled",
        AUTH,
        _("solicitud de restablecimiento de contraseña rechazada por exceso"),
        detail=("limits", "requests_by_address", "requests_by_client"),
    ),
    # --- Accounts follow the institution's basis of access (issue 15) ---------------------------
    EventType(
        "account_request_closed", BUSINESS, _("solicitud de cuenta cerrada sin convenio vigente"), detail=("reason",)
    ),
    EventType(
        "accounts_reinstated", BUSINESS, _("cuentas reinstaladas tras un nuevo convenio"), detail=("count", "usernames")
    ),
    # --- Profile catalog and users' profiles ----------------------------------------------------
    EventType("profile_created", BUSINESS, _("perfil creado"), detail=("code", "scope", "permissions")),
    EventType("profile_updated", BUSINESS, _("perfil modificado"), detail=("scope", "added", "removed")),
    EventType("profile_deactivated", BUSINESS, _("perfil retirado del catálogo")),
    EventType("profile_activated", BUSINESS, _("perfil activado de nuevo")),
    EventType("profile_changed", BUSINESS, _("perfil de un usuario cambiado"), detail=("from", "to", "sessions_ended")),
    EventType("assignment_granted", BUSINESS, _("asignación otorgada"), detail=("object", "permission")),
    EventType("assignment_revoked", BUSINESS, _("asignación retirada"), detail=("object", "permission")),
    # --- Account requests -----------------------------------------------------------------------
    EventType(
        "required_document_created", BUSINESS, _("documento requerido creado"), detail=("code", "active", "mandatory")
    ),
    EventType(
        "required_document_changed",
        BUSINESS,
        _("documento requerido modificado"),
        detail=("code", "active", "mandatory"),
    ),
    EventType("account_request_created", BUSINESS, _("solicitud de cuenta creada")),
    EventType(
        "account_request_document_uploaded",
        BUSINESS,
        _("documento de solicitud de cuenta cargado"),
        detail=("requirement", "sha256", "size"),
    ),
    EventType("account_request_submitted", BUSINESS, _("solicitud de cuenta enviada"), detail=("due_date",)),
    EventType("account_request_resubmitted", BUSINESS, _("solicitud de cuenta reenviada"), detail=("due_date",)),
    EventType("account_request_withdrawn", BUSINESS, _("solicitud de cuenta retirada")),
    EventType("account_request_rejected", BUSINESS, _("solicitud de cuenta rechazada"), detail=("status",)),
    EventType(
        "account_request_returned", BUSINESS, _("solicitud de cuenta devuelta para corrección"), detail=("status",)
    ),
    EventType("account_request_approved", BUSINESS, _("solicitud de cuenta aprobada"), detail=("status",)),
    EventType("activation_link_sent", BUSINESS, _("enlace de activación enviado")),
    EventType(
        "overdue_alert_sent",
        BUSINESS,
        _("aviso de solicitudes vencidas enviado"),
        detail=("account_requests", "change_requests"),
        aliases=("onboarding_overdue_alert",),
    ),
    # --- Account change requests ----------------------------------------------------------------
    EventType(
        "account_change_requested",
        BUSINESS,
        _("solicitud de cambio de cuenta presentada"),
        detail=("kind", "late", "due_date"),
    ),
    EventType("account_change_resubmitted", BUSINESS, _("solicitud de cambio de cuenta reenviada")),
    EventType(
        "account_change_document_uploaded",
        BUSINESS,
        _("documento de solicitud de cambio cargado"),
        detail=("document", "sha256", "size"),
    ),
    EventType(
        "account_change_document_checked",
        BUSINESS,
        _("documento de solicitud de cambio revisado"),
        detail=("document", "check"),
    ),
    EventType(
        "account_change_rejected", BUSINESS, _("solicitud de cambio de cuenta rechazada"), detail=("kind", "status")
    ),
    EventType(
        "account_change_returned",
        BUSINESS,
        _("solicitud de cambio de cuenta devuelta para corrección"),
        detail=("kind", "status"),
    ),
    EventType(
        "account_change_approved", BUSINESS, _("solicitud de cambio de cuenta aprobada"), detail=("kind", "status")
    ),
    # --- Confidentiality letters ----------------------------------------------------------------
    EventType("letter_template_changed", BUSINESS, _("plantilla de carta de confidencialidad modificada")),
    EventType(
        "confidentiality_letter_accepted",
        BUSINESS,
        _("carta de confidencialidad aceptada"),
        detail=("folio", "sha256", "kind"),
    ),
    EventType("letter_scan_uploaded", BUSINESS, _("carta firmada digitalizada cargada")),
    EventType("letter_scan_reviewed", BUSINESS, _("carta firmada digitalizada revisada"), detail=("valid",)),
    # --- Identity provider: systems catalog, grants, sign-ins to the platforms ------------------
    EventType("system_created", BUSINESS, _("sistema registrado"), detail=("code", "client_id", "confidential")),
    EventType("system_updated", BUSINESS, _("sistema modificado"), detail=("active",)),
    EventType("system_granted", BUSINESS, _("sistema otorgado a una cuenta"), detail=("system",)),
    EventType("system_withdrawn", BUSINESS, _("sistema retirado a una cuenta"), detail=("system",)),
    EventType("system_sign_in_authorized", AUTH, _("entrada a un sistema autorizada"), detail=("system", "client_id")),
    EventType(
        "system_sign_in_refused",
        AUTH,
        _("entrada a un sistema rechazada"),
        detail=("system", "client_id", "reason"),
    ),
    EventType("system_token_issued", AUTH, _("token de un sistema emitido"), detail=("system", "grant_type")),
    EventType(
        "system_token_refused", AUTH, _("token de un sistema rechazado"), detail=("system", "reason", "grant_type")
    ),
    # --- Retired: the access log holds every search with its query (the user list's) -----------
    EventType("user_search", BUSINESS, _("búsqueda de usuarios"), detail=("q",), retired=True),
)

# --- What the pages without one object show, for the history log's accesses (audit.present) ---
register_pages(
    {
        "dashboard": _("el inicio"),
        "login": _("el inicio de sesión"),
        "logout": _("el cierre de sesión"),
        "password_change": _("el cambio de contraseña"),
        "accounts:profile_list": _("el catálogo de perfiles"),
        "accounts:user_list": _("la lista de usuarios"),
        "accounts:suspended_list": _("la lista de cuentas suspendidas"),
        "onboarding:account_request_list": _("la lista de solicitudes de cuenta"),
        "onboarding:account_request_create": _("una nueva solicitud de cuenta"),
        "onboarding:review_queue": _("la bandeja de revisión"),
        "onboarding:letter_mine": _("sus cartas de confidencialidad"),
        "onboarding:account_change_list": _("la lista de cambios de cuenta"),
        "onboarding:required_document_list": _("los documentos requeridos"),
        "onboarding:onboarding_settings": _("la configuración del alta de cuentas"),
        "notifications:inbox": _("sus notificaciones"),
        "notifications:outbox": _("los correos enviados"),
        "audit:timeline": _("la bitácora"),
        "audit:timeline_csv": _("la descarga de la bitácora"),
    }
)
register_object_kinds(
    {
        "request": "accounts.accountrequest",
        "letter": "accounts.confidentialityletter",
        "change": "accounts.accountchangerequest",
    }
)
