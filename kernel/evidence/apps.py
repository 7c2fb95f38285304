from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """The register of issued documents (kernel): each signed PDF's folio, kind, date and SHA-256,
    which the public page ``/verificar/<folio>/`` answers from."""

    name = "kernel.evidence"
    label = "evidence"
    verbose_name = _("Documentos verificables")
