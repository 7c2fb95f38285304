"""Documents uploaded to an institution or an agreement."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset

from .agreements import Agreement
from .institutions import Institution


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents of agreements the user sees, or of no agreement and the user's institution."""
        return scope_queryset(
            self,
            user,
            institution_lookup="institution",
            through={"agreement": Agreement.objects.visible_to(user)},
        ).filter(Q(agreement__isnull=True) | Q(agreement__in=Agreement.objects.visible_to(user).values("pk")))


class Document(models.Model):
    """A privately stored file: signed agreement, annex, amendment, evidence, specimen signature..."""

    class Kind(models.TextChoices):
        SIGNED_AGREEMENT = "signed", _("Convenio firmado")
        ANNEX = "annex", _("Anexo técnico")
        SPECIFICATION = "specification", _("Especificación")
        AMENDMENT = "amendment", _("Convenio modificatorio")
        NOTICE = "notice", _("Aviso o notificación")
        EVIDENCE = "evidence", _("Evidencia de cumplimiento")
        SPECIMEN = "specimen", _("Muestra de firma")
        MEMBERSHIP = "membership", _("Documento de registro")
        RENEWAL = "renewal", _("Renovación firmada")
        DESIGNATION = "designation", _("Oficio de designación de enlace")
        OFFICER_REPORT = "officer_report", _("Informe del enlace")
        OFFICER_LETTER = "officer_letter", _("Carta de confidencialidad del enlace de la Comisión")

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="documents", verbose_name=_("institución")
    )
    agreement = models.ForeignKey(
        "Agreement",
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("convenio"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), max_length=255)
    original_name = models.CharField(_("nombre original"), max_length=255)
    content_type = models.CharField(_("tipo de contenido"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("cargado por")
    )
    uploaded_at = models.DateTimeField(_("cargado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title
