"""The history log's events about data supply, registered once (see ``audit.events``)."""

from django.utils.translation import gettext_lazy as _

from audit.events import BUSINESS, EventType, register
from audit.present import register_pages

register(
    EventType("catalog_uploaded", BUSINESS, _("catálogo cargado"), detail=("code", "version", "entries")),
    EventType("layout_created", BUSINESS, _("layout registrado"), detail=("code",)),
    EventType("delivery_received", BUSINESS, _("entrega de datos recibida"), detail=("sha256", "bytes", "period")),
    EventType(
        "delivery_validated",
        BUSINESS,
        _("entrega de datos validada"),
        detail=("records", "valid", "invalid", "status"),
    ),
    EventType("delivery_accepted", BUSINESS, _("entrega de datos aceptada"), detail=("folio", "receipt_sha256")),
    EventType("delivery_rejected", BUSINESS, _("entrega de datos rechazada")),
    EventType("delivery_replaced", BUSINESS, _("entrega de datos sustituida"), detail=("by",)),
    EventType("delivery_file_deleted", BUSINESS, _("archivo de entrega eliminado al vencer su conservación")),
    EventType("receipt_downloaded", BUSINESS, _("recibo de entrega descargado"), detail=("folio",)),
    EventType("error_report_downloaded", BUSINESS, _("reporte de errores descargado")),
    EventType(
        "evaluation_computed",
        BUSINESS,
        _("evaluación del suministro calculada"),
        detail=("period", "supply", "timeliness", "quality"),
    ),
    EventType("evaluation_corrected", BUSINESS, _("evaluación del suministro corregida"), detail=("period",)),
)

# --- What the pages without one object show, for the history log's accesses (audit.present) ---
register_pages(
    {
        "supply:list": _("la lista de entregas de datos"),
        "supply:create": _("una nueva entrega de datos"),
        "supply:layouts": _("los layouts de entrega"),
        "supply:catalogs": _("los catálogos"),
        "supply:evaluations": _("las evaluaciones de suministro"),
    }
)
