"""Confidentiality letters (000, NOVENA and the annex): the commission's editable template and each
signed letter, with the fields of the source letter, a folio, the SHA-256 of the stored PDF and the
acceptance's time, IP and user agent."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, can_proceed, transition
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset

from .onboarding import private_upload_path


class LetterKind(models.TextChoices):
    USER = "user", _("Usuario de la plataforma")
    LINK_OFFICER = "link_officer", _("Enlace de la Comisión (datos recibidos)")


class LetterTemplate(models.Model):
    """The text of a letter, editable by the commission. ``{{ campo }}`` placeholders are filled in."""

    PLACEHOLDERS = {
        "nombre_completo": _("nombre completo"),
        "domicilio": _("domicilio"),
        "numero_servidor_publico": _("número de servidor público"),
        "telefono": _("teléfono"),
        "identificacion": _("documento de identificación"),
        "folio_identificacion": _("folio de la identificación"),
        "area_adscripcion": _("área de adscripción"),
        "institucion": _("institución"),
        "fecha": _("fecha"),
        "folio": _("folio de la carta"),
    }

    kind = models.CharField(_("variante"), max_length=20, choices=LetterKind.choices, unique=True)
    title = models.CharField(_("título"), max_length=200)
    body = models.TextField(
        _("texto"),
        help_text=_(
            "Párrafos separados por una línea en blanco. Campos disponibles: {{ nombre_completo }}, "
            "{{ domicilio }}, {{ numero_servidor_publico }}, {{ telefono }}, {{ identificacion }}, "
            "{{ folio_identificacion }}, {{ area_adscripcion }}, {{ institucion }}, {{ fecha }}, {{ folio }}."
        ),
    )
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plantilla de carta de confidencialidad")
        verbose_name_plural = _("plantillas de carta de confidencialidad")
        ordering = ["kind"]

    def __str__(self):
        return self.title


class ConfidentialityLetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone sees their own letters; holders of ``accounts.view_confidentialityletter`` also
        the ones their scope reaches."""
        return scope_queryset(
            self,
            user,
            institution_lookup="institution",
            own_lookup="user",
            requires="accounts.view_confidentialityletter",
        )


class ConfidentialityLetter(models.Model):
    """A letter accepted by a user (or a commission link officer).

    The hand-signed scan starts ``not_required`` or ``pending_upload`` (the commission's setting
    when the letter is accepted) and moves only through the transitions declared below::

        pending_upload/invalid --upload_scan--> pending_review --validate_scan--> valid
                                                pending_review --invalidate_scan--> invalid
    """

    class ScanStatus(models.TextChoices):
        NOT_REQUIRED = "not_required", _("No se requiere")
        PENDING_UPLOAD = "pending_upload", _("Pendiente de cargar")
        PENDING_REVIEW = "pending_review", _("Pendiente de validar")
        VALID = "valid", _("Validada")
        INVALID = "invalid", _("No válida")

    class IdDocument(models.TextChoices):
        INE = "ine", _("Credencial para votar")
        PASSPORT = "passport", _("Pasaporte")
        PROFESSIONAL = "professional", _("Cédula profesional")
        INSTITUTIONAL = "institutional", _("Credencial institucional")

    # The letter counts (the account may be active) in these scan states.
    SCAN_SETTLED = (ScanStatus.NOT_REQUIRED, ScanStatus.VALID)

    folio = models.CharField(_("folio"), max_length=30, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="letters", verbose_name=_("firmante")
    )
    kind = models.CharField(_("variante"), max_length=20, choices=LetterKind.choices, default=LetterKind.USER)
    institution = models.ForeignKey(
        "agreements.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institución")
    )
    # The annex's fields, as they were when the letter was signed.
    full_name = models.CharField(_("nombre completo"), max_length=300)
    address = models.CharField(_("domicilio"), max_length=300)
    public_servant_number = models.CharField(_("número de servidor público"), max_length=40)
    phone = models.CharField(_("teléfono"), max_length=40)
    id_document = models.CharField(_("identificación"), max_length=20, choices=IdDocument.choices)
    id_folio = models.CharField(_("folio de la identificación"), max_length=40)
    area = models.CharField(_("área de adscripción"), max_length=150)

    template_title = models.CharField(_("título de la plantilla"), max_length=200)
    pdf = models.FileField(_("PDF"), upload_to=private_upload_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 del PDF"), max_length=64)
    accepted_at = models.DateTimeField(_("aceptada"))
    accepted_ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    accepted_user_agent = models.CharField(_("navegador"), max_length=500, blank=True)

    scan_status = FSMField(
        _("carta firmada a mano"),
        max_length=20,
        choices=ScanStatus.choices,
        default=ScanStatus.NOT_REQUIRED,
        protected=False,
    )
    scan = models.FileField(_("escaneo firmado"), upload_to=private_upload_path, max_length=200, blank=True)
    scan_sha256 = models.CharField(_("SHA-256 del escaneo"), max_length=64, blank=True)
    scan_uploaded_at = models.DateTimeField(_("escaneo cargado"), null=True, blank=True)
    scan_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("validada por"),
    )
    scan_reviewed_at = models.DateTimeField(_("validada"), null=True, blank=True)
    scan_note = models.TextField(_("observación"), blank=True)

    history = HistoricalRecords()
    objects = ConfidentialityLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("carta de confidencialidad")
        verbose_name_plural = _("cartas de confidencialidad")
        ordering = ["-accepted_at"]

    def __str__(self):
        return f"{self.folio} · {self.full_name}"

    def notification_path(self, reader):
        """Its owner reads it under "Mis cartas"; a reviewer opens the signed scan's review."""
        if reader is not None and reader.pk == self.user_id:
            return reverse("onboarding:letter_mine")
        return reverse("onboarding:letter_scan_review", args=[self.pk])

    # --- Hand-signed scan (state machine) ---------------------------------------------------

    @property
    def can_upload_scan(self):
        return can_proceed(self.upload_scan)

    @property
    def awaits_scan_review(self):
        return can_proceed(self.validate_scan)

    @property
    def scan_is_valid(self):
        return self.scan_status == self.ScanStatus.VALID

    @transition(
        field=scan_status, source=(ScanStatus.PENDING_UPLOAD, ScanStatus.INVALID), target=ScanStatus.PENDING_REVIEW
    )
    def upload_scan(self, *, name, sha256):
        self.scan.name = name
        self.scan_sha256 = sha256
        self.scan_uploaded_at = timezone.now()
        self.scan_note = ""

    def _review_scan(self, *, by, note):
        self.scan_reviewed_by = by
        self.scan_reviewed_at = timezone.now()
        self.scan_note = note

    @transition(field=scan_status, source=ScanStatus.PENDING_REVIEW, target=ScanStatus.VALID)
    def validate_scan(self, *, by, note=""):
        self._review_scan(by=by, note=note)

    @transition(field=scan_status, source=ScanStatus.PENDING_REVIEW, target=ScanStatus.INVALID)
    def invalidate_scan(self, *, by, note):
        self._review_scan(by=by, note=note)
