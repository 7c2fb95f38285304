"""The history log's events about agreements, registered once (see ``audit.events``).

Names were imperatives until issue 14 (``agreement_create``); they are kept as aliases so that
older rows keep their label.
"""

from django.utils.translation import gettext_lazy as _

from audit.events import BUSINESS, EventType, register
from audit.present import register_object_kinds, register_pages


def _event(name, label, *, former, detail=()):
    return EventType(name, BUSINESS, label, detail=detail, aliases=(former,))


register(
    # --- Documents ------------------------------------------------------------------------------
    _event("document_uploaded", _("documento cargado"), former="document_upload", detail=("sha256",)),
    _event("document_downloaded", _("documento descargado"), former="document_download", detail=("sha256",)),
    # --- Agreements' life -----------------------------------------------------------------------
    _event("agreement_created", _("convenio registrado"), former="agreement_create", detail=("folio",)),
    EventType("agreement_updated", BUSINESS, _("datos del convenio en borrador corregidos"), detail=("fields",)),
    _event("agreement_activated", _("convenio puesto en vigor"), former="agreement_activate"),
    _event("agreement_renewed", _("convenio renovado"), former="agreement_renew", detail=("renewal",)),
    _event("agreement_expired", _("convenio vencido"), former="agreement_expire"),
    _event("agreement_amended", _("convenio modificado"), former="agreement_amend", detail=("number", "fields")),
    _event(
        "termination_notice_given",
        _("aviso de terminación o rescisión presentado"),
        former="agreement_notice",
        detail=("kind", "notified_on"),
    ),
    _event("rescission_answered", _("rescisión contestada"), former="rescission_answer"),
    _event("agreement_ended", _("convenio terminado"), former="agreement_end", detail=("kind",)),
    _event("termination_notice_withdrawn", _("aviso de terminación retirado"), former="agreement_notice_withdraw"),
    # --- Obligations and link officers ----------------------------------------------------------
    _event("obligation_created", _("obligación registrada"), former="obligation_create"),
    _event("compliance_recorded", _("cumplimiento registrado"), former="compliance_record", detail=("period",)),
    _event("officer_designated", _("enlace designado"), former="officer_designate", detail=("effective_from",)),
    _event("officer_substituted", _("enlace sustituido"), former="officer_substitute", detail=("effective_from",)),
    _event(
        "officer_deadline_set", _("plazo para designar enlace fijado"), former="officer_deadline", detail=("due_on",)
    ),
    EventType("officer_deputy_added", BUSINESS, _("suplente de enlace registrado")),
    EventType("officer_report_filed", BUSINESS, _("informe de enlace entregado"), detail=("period_end",)),
    EventType(
        "officer_account_linked", BUSINESS, _("cuenta del enlace de la Comisión vinculada"), detail=("username",)
    ),
    EventType(
        "officer_letter_signed",
        BUSINESS,
        _("carta de confidencialidad del enlace de la Comisión firmada"),
        detail=("folio", "sha256"),
    ),
    EventType(
        "party_address_changed", BUSINESS, _("cambio de domicilio notificado"), detail=("notified_on", "effective_on")
    ),
    EventType("membership_responsible_set", BUSINESS, _("persona responsable de la membresía designada")),
    EventType("membership_documents_sent", BUSINESS, _("usuarios y carta compromiso de la membresía enviados")),
    # --- Signature catalog ----------------------------------------------------------------------
    _event("signatory_submitted", _("firma autorizada enviada"), former="signatory_submit"),
    _event("signatory_registered", _("firma autorizada registrada"), former="signatory_register"),
    _event("signatory_rejected", _("firma autorizada rechazada"), former="signatory_reject"),
    _event("signatory_revoked", _("firma autorizada revocada"), former="signatory_revoke"),
    # --- Memberships and notices to members -----------------------------------------------------
    _event("membership_requested", _("membresía solicitada"), former="membership_request"),
    _event("membership_accepted", _("membresía aceptada"), former="membership_accept"),
    _event("membership_denied", _("membresía negada"), former="membership_deny", detail=("reason",)),
    _event(
        "membership_exit_requested", _("baja de membresía solicitada"), former="membership_exit", detail=("ends_on",)
    ),
    _event("membership_terminated", _("membresía terminada por la comisión"), former="membership_terminate"),
    _event("member_notice_sent", _("aviso a miembros enviado"), former="member_notice", detail=("kind", "change_on")),
    # --- Standing: immediate suspensions of a member (001, Cap. III.4 III) ---------------------
    EventType("institution_suspended", BUSINESS, _("institución suspendida de inmediato"), detail=("reason",)),
    EventType("institution_suspension_lifted", BUSINESS, _("suspensión inmediata de institución levantada")),
    # --- Calendar -------------------------------------------------------------------------------
    _event("non_working_day_added", _("día inhábil agregado"), former="non_working_day_add", detail=("day",)),
    _event("non_working_day_removed", _("día inhábil eliminado"), former="non_working_day_remove", detail=("day",)),
    # --- Retired: the access log holds every search with its query (the agreement list's) -------
    EventType("agreement_search", BUSINESS, _("búsqueda de convenios"), detail=("filters",), retired=True),
)

# --- What the pages without one object show, for the history log's accesses (audit.present) ---
register_pages(
    {
        "agreements:list": _("la lista de convenios"),
        "agreements:create": _("el alta de un convenio"),
        "agreements:compliance": _("el cumplimiento de obligaciones"),
        "agreements:signatory_list": _("la lista de firmantes autorizados"),
        "agreements:signatory_submit": _("el registro de un firmante"),
        "agreements:membership_list": _("la lista de membresías"),
        "agreements:membership_request": _("una solicitud de membresía"),
        "agreements:non_working_days": _("los días inhábiles"),
        "agreements:member_notice_list": _("los avisos a integrantes"),
    }
)
register_object_kinds(
    {"party": "agreements.agreementparty", "document": "agreements.document", "notice": "agreements.terminationnotice"}
)
