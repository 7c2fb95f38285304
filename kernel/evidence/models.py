"""One row per PDF the portal issues as evidence, written in the transaction of the document.

The row holds no personal data: only what the public verification page may tell anyone who has
the folio (printed on the document with its QR code). Rows are never changed or deleted.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EvidenceKind(models.TextChoices):
    CONFIDENTIALITY_LETTER = "confidentiality_letter", _("Carta de confidencialidad")
    CURU = "curu", _("Cédula Única de Registro de Usuarios (CURU)")
    SUPPLY_RECEIPT = "supply_receipt", _("Recibo de entrega de datos")
    PROFILE_CATALOG = "profile_catalog", _("Formato de catálogo de perfil")


class IssuedDocument(models.Model):
    folio = models.CharField(_("folio de verificación"), max_length=32, unique=True)
    kind = models.CharField(_("tipo de documento"), max_length=40, choices=EvidenceKind.choices)
    issued_at = models.DateTimeField(_("emitido"), default=timezone.now)
    sha256 = models.CharField(_("SHA-256 del PDF firmado"), max_length=64, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("documento emitido")
        verbose_name_plural = _("documentos emitidos")
        ordering = ["-issued_at"]

    def __str__(self):
        return self.folio
