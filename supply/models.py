"""Data supply (000 PRIMERA, SEXTA, DÉCIMA PRIMERA, DÉCIMA OCTAVA, Anexo técnico): layouts,
catalogs, deliveries with their validation summary and receipt, and the computed evaluation.

No row here holds delivered personal data: a delivery keeps counts, the SHA-256 and errors as
(line, field, problem, length of the value); the file itself lives in private storage until the
agreement's retention ends.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from agreements.models import Agreement, Institution, Obligation
from kernel.scoping import scope_queryset

from . import validation

# --- Catalogs (000 Anexo técnico: CAMPOS 1 y 3) ----------------------------------------------


class CatalogQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution")


class Catalog(models.Model):
    """One version of an institution's catalog (code and meaning); a new upload is a new version."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="supply_catalogs", verbose_name=_("institución")
    )
    code = models.SlugField(_("clave del catálogo"), max_length=60)
    name = models.CharField(_("nombre"), max_length=200)
    version = models.PositiveIntegerField(_("versión"))
    entry_count = models.PositiveIntegerField(_("claves"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("cargado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = _("catálogo")
        verbose_name_plural = _("catálogos")
        ordering = ["institution", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code", "version"], name="supply_catalog_version_once")
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class CatalogEntry(models.Model):
    """A code of one catalog version. Written once with its version and never changed (the
    version's history row is the record), so entries carry no history of their own."""

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(_("clave"), max_length=40)
    meaning = models.CharField(_("significado"), max_length=255)

    class Meta:
        verbose_name = _("clave de catálogo")
        verbose_name_plural = _("claves de catálogo")
        ordering = ["catalog", "code"]
        constraints = [models.UniqueConstraint(fields=["catalog", "code"], name="supply_catalog_code_once")]

    def __str__(self):
        return f"{self.code} — {self.meaning}"


# --- Layouts ---------------------------------------------------------------------------------


class LayoutQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="agreement__parties__institution")


class Layout(models.Model):
    class Encoding(models.TextChoices):
        UTF8 = "utf-8", "UTF-8"
        CP1252 = "cp1252", "Windows-1252"

    class Delimiter(models.TextChoices):
        PIPE = "|", _("| (pipe)")
        COMMA = ",", _(", (coma)")
        SEMICOLON = ";", _("; (punto y coma)")
        TAB = "\t", _("tabulador")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="supply_layouts", verbose_name=_("convenio")
    )
    code = models.SlugField(_("clave"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    delimiter = models.CharField(_("separador"), max_length=1, choices=Delimiter.choices, default=Delimiter.PIPE)
    encoding = models.CharField(_("codificación"), max_length=10, choices=Encoding.choices, default=Encoding.UTF8)
    has_header = models.BooleanField(_("primera línea con encabezados"), default=False)
    key_position = models.PositiveSmallIntegerField(
        _("posición del campo clave"), null=True, blank=True, help_text=_("Para detectar claves repetidas.")
    )
    quality_threshold = models.DecimalField(_("umbral de calidad (%)"), max_digits=5, decimal_places=2, default=95)
    retention_days = models.PositiveIntegerField(_("días de conservación del archivo"), default=365)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    history = HistoricalRecords()
    objects = LayoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("layout")
        verbose_name_plural = _("layouts")
        ordering = ["agreement", "code"]

    def __str__(self):
        return self.name


class LayoutField(models.Model):
    class Kind(models.TextChoices):
        TEXT = validation.TEXT, _("Texto")
        DATE = validation.DATE, _("Fecha dd/mm/aaaa")
        RFC = validation.RFC, _("RFC con dígito verificador")
        CURP = validation.CURP, _("CURP")
        CATALOG = validation.CATALOG, _("Clave de catálogo")
        INTEGER = validation.INTEGER, _("Número entero")

    layout = models.ForeignKey(Layout, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(_("posición"))
    name = models.CharField(_("nombre"), max_length=60)
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("obligatorio"), default=True)
    max_length = models.PositiveIntegerField(_("longitud máxima"), null=True, blank=True)
    catalog_code = models.SlugField(_("catálogo"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campo del layout")
        verbose_name_plural = _("campos del layout")
        ordering = ["layout", "position"]
        constraints = [models.UniqueConstraint(fields=["layout", "position"], name="supply_field_position_once")]

    def __str__(self):
        return f"{self.position}. {self.name}"


# --- Deliveries ------------------------------------------------------------------------------


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution")


class Delivery(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", _("Carga inicial")
        PERIODIC = "periodic", _("Actualización del periodo")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibida, por validar")
        VALIDATING = "validating", _("Validando")
        VALIDATED = "validated", _("Validada, en revisión de la Comisión")
        FAILED = "failed", _("No pasó la validación")
        ACCEPTED = "accepted", _("Aceptada")
        REJECTED = "rejected", _("Rechazada por la Comisión")
        REPLACED = "replaced", _("Sustituida")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="deliveries")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="deliveries")
    layout = models.ForeignKey(Layout, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("layout"))
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries"
    )
    kind = models.CharField(_("tipo de entrega"), max_length=10, choices=Kind.choices, default=Kind.PERIODIC)
    period_start = models.DateField(_("periodo"))
    due_on = models.DateField(_("fecha límite"), null=True, blank=True)
    status = FSMField(_("estado"), default=Status.RECEIVED, choices=Status.choices, protected=False)
    # The delivered file (the zip when it came zipped) and where it is kept.
    file_name = models.CharField(_("nombre del archivo"), max_length=255)
    inner_name = models.CharField(_("archivo dentro del zip"), max_length=255, blank=True)
    stored_name = models.CharField(max_length=255, blank=True, editable=False)
    text_name = models.CharField(max_length=255, blank=True, editable=False)  # the text validated
    bytes = models.BigIntegerField(_("tamaño en bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    place = models.CharField(_("lugar de la entrega"), max_length=200, default="portal")
    replacement_reason = models.TextField(_("motivo de la sustitución"), blank=True)
    # The validation's summary: counts and errors without values.
    records = models.BigIntegerField(_("registros"), default=0)
    valid = models.BigIntegerField(_("registros válidos"), default=0)
    invalid = models.BigIntegerField(_("registros con errores"), default=0)
    duplicate_keys = models.BigIntegerField(_("claves repetidas"), default=0)
    errors_per_field = models.JSONField(_("errores por campo"), default=dict, blank=True)
    first_errors = models.JSONField(default=list, blank=True, editable=False)
    notices = models.JSONField(default=list, blank=True, editable=False)
    failure = models.TextField(_("motivo del rechazo"), blank=True)
    error_report_name = models.CharField(max_length=255, blank=True, editable=False)
    validated_at = models.DateTimeField(_("validada"), null=True, blank=True)
    # Who delivers and who receives (Anexo técnico: name, position, acceptance time).
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deliverer_name = models.CharField(_("entrega"), max_length=255)
    deliverer_position = models.CharField(_("cargo de quien entrega"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("fecha y hora de la entrega"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receiver_name = models.CharField(_("recibe"), max_length=255, blank=True)
    receiver_position = models.CharField(_("cargo de quien recibe"), max_length=200, blank=True)
    accepted_at = models.DateTimeField(_("aceptada"), null=True, blank=True)
    decision_note = models.TextField(_("observaciones de la Comisión"), blank=True)
    receipt_folio = models.CharField(_("folio del recibo"), max_length=40, blank=True)
    receipt_name = models.CharField(max_length=255, blank=True, editable=False)
    receipt_sha256 = models.CharField(_("SHA-256 del recibo"), max_length=64, blank=True)
    file_deleted_at = models.DateTimeField(_("archivo eliminado"), null=True, blank=True)

    history = HistoricalRecords()
    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrega de datos")
        verbose_name_plural = _("entregas de datos")
        ordering = ["-received_at", "-id"]
        permissions = [("decide_delivery", "Aceptar o rechazar entregas de datos y corregir evaluaciones")]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution", "period_start", "kind"],
                condition=Q(status="accepted"),
                name="supply_one_accepted_delivery_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.institution.acronym} — {self.period_start:%m/%Y} — {self.file_name}"

    def get_absolute_url(self):
        return reverse("supply:detail", args=[self.pk])

    @property
    def valid_share(self) -> float:
        return self.valid / self.records if self.records else 0.0

    @property
    def valid_percent(self) -> float:
        return round(self.valid_share * 100, 2)

    @property
    def meets_quality(self) -> bool:
        return self.valid_percent >= float(self.layout.quality_threshold)

    # -- transitions (services perform them; templates ask can_proceed) --

    @transition(field=status, source=Status.RECEIVED, target=Status.VALIDATING)
    def start_validation(self):
        pass

    @transition(field=status, source=Status.VALIDATING, target=Status.VALIDATED)
    def pass_validation(self):
        pass

    @transition(field=status, source=[Status.RECEIVED, Status.VALIDATING], target=Status.FAILED)
    def fail_validation(self):
        pass

    @transition(field=status, source=Status.VALIDATED, target=Status.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=Status.VALIDATED, target=Status.REJECTED)
    def reject(self):
        pass

    @transition(field=status, source=Status.ACCEPTED, target=Status.REPLACED)
    def replace(self):
        pass


# --- Evaluation (000 DÉCIMA OCTAVA) ----------------------------------------------------------


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="institution")


class Evaluation(models.Model):
    """A period's evaluation, computed from the deliveries; the commission may correct a mark
    with a reason (the computed value stays beside it)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="supply_evaluations")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="supply_evaluations")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    period_start = models.DateField(_("periodo"))
    due_on = models.DateField(_("fecha límite"))
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    supply_ok = models.BooleanField(_("acopio y suministro"), default=False)
    timeliness_ok = models.BooleanField(_("oportunidad"), default=False)
    quality_ok = models.BooleanField(_("calidad"), default=False)
    valid_percent = models.DecimalField(_("% de registros válidos"), max_digits=5, decimal_places=2, null=True)
    threshold = models.DecimalField(_("umbral (%)"), max_digits=5, decimal_places=2, default=95)
    override_supply = models.BooleanField(_("acopio corregido"), null=True, blank=True)
    override_timeliness = models.BooleanField(_("oportunidad corregida"), null=True, blank=True)
    override_quality = models.BooleanField(_("calidad corregida"), null=True, blank=True)
    override_reason = models.TextField(_("motivo de la corrección"), blank=True)
    note = models.TextField(_("nota de la Comisión"), blank=True)
    computed_at = models.DateTimeField(_("calculada"), auto_now=True)

    history = HistoricalRecords()
    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluación del suministro")
        verbose_name_plural = _("evaluaciones del suministro")
        ordering = ["-period_start", "institution"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution", "period_start"], name="supply_evaluation_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.institution.acronym} — {self.period_start:%m/%Y}"

    @staticmethod
    def _final(computed, override):
        return computed if override is None else override

    @property
    def final_supply(self):
        return self._final(self.supply_ok, self.override_supply)

    @property
    def final_timeliness(self):
        return self._final(self.timeliness_ok, self.override_timeliness)

    @property
    def final_quality(self):
        return self._final(self.quality_ok, self.override_quality)

    @property
    def overridden(self):
        return any(v is not None for v in (self.override_supply, self.override_timeliness, self.override_quality))
