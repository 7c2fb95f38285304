"""The history log's events about governance bodies, registered once (see ``audit.events``)."""

from django.utils.translation import gettext_lazy as _

from audit.events import BUSINESS, EventType, register
from audit.present import register_object_kinds, register_pages


def _event(name, label, *, detail=()):
    return EventType(name, BUSINESS, label, detail=detail)


register(
    _event("governance_document_uploaded", _("documento de gobernanza cargado"), detail=("sha256", "kind")),
    _event("governance_document_downloaded", _("documento de gobernanza descargado"), detail=("sha256",)),
    _event("body_created", _("órgano colegiado creado"), detail=("code",)),
    _event("body_member_appointed", _("integrante de órgano designado"), detail=("effective_from",)),
    _event("body_member_substituted", _("integrante de órgano sustituido"), detail=("effective_from",)),
    _event("session_convened", _("sesión convocada"), detail=("code",)),
    _event("session_held", _("sesión celebrada"), detail=("code", "held_on")),
    _event("attendance_recorded", _("asistencia registrada"), detail=("code",)),
    _event("session_minutes_signed", _("acta de sesión firmada"), detail=("code", "sha256")),
    _event("acuerdo_reached", _("acuerdo tomado"), detail=("code", "due_on")),
    _event("acuerdo_started", _("acuerdo en proceso"), detail=("code",)),
    _event("acuerdo_fulfilled", _("acuerdo cumplido"), detail=("code", "by_link")),
    _event("acuerdo_cancelled", _("acuerdo cancelado"), detail=("code", "reason")),
    _event("acuerdo_note_added", _("nota de seguimiento agregada"), detail=("code",)),
    _event("pilot_requested", _("programa piloto solicitado"), detail=("requested_on",)),
    _event("pilot_started", _("programa piloto iniciado"), detail=("starts_on", "ends_on")),
    _event("pilot_extended", _("programa piloto ampliado"), detail=("ends_on",)),
    _event("pilot_ended", _("programa piloto concluido"), detail=("ended_on",)),
    _event("consent_processing_marked", _("convenio marcado con tratamiento por consentimiento")),
    _event("consent_evidence_requested", _("evidencia de consentimiento solicitada"), detail=("folios", "due_on")),
    _event("consent_evidence_answered", _("evidencia de consentimiento entregada"), detail=("documents",)),
    _event("consent_evidence_withdrawn", _("solicitud de evidencia de consentimiento retirada")),
    _event("incident_reported", _("incidente reportado"), detail=("severity",)),
    _event("incident_acknowledged", _("incidente recibido por la comisión"), detail=("severity",)),
    _event("incident_closed", _("incidente cerrado"), detail=("severity",)),
)

# --- What the pages without one object show, for the history log's accesses (audit.present) ---
register_pages(
    {
        "governance:body_list": _("la lista de órganos colegiados"),
        "governance:acuerdo_list": _("la lista de acuerdos"),
        "governance:pilot_list": _("la lista de programas piloto"),
        "governance:consent_list": _("las solicitudes de evidencia de consentimiento"),
    }
)
register_object_kinds(
    {
        "session": "governance.session",
        "pilot": "governance.pilotprogram",
        "consent": "governance.consentevidencerequest",
        "gdocument": "governance.document",
    }
)
