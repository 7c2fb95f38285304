"""The history log's own tables: access events, authentication/business events and seals.

Field changes of domain models live in simple-history's historical tables (one per model); this
app adds what those do not hold. None of these tables has a foreign key: a log row must outlive
(and never block) the rows it mentions, and it is written outside the request's transaction.
Rows are only ever inserted; on PostgreSQL triggers refuse UPDATE and DELETE (audit.triggers).
"""

from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Group history (a profile's permissions) is registered by the accounts app, which owns the
# profile catalog; this app finds it, like every historical model, through the app registry.


class AccessEvent(models.Model):
    """One request of a signed-in user, or one login attempt (DÉCIMA TERCERA: every query)."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("fecha y hora (UTC)"), default=timezone.now)
    user_id = models.BigIntegerField(_("id de usuario"), null=True, blank=True)
    username = models.CharField(_("usuario"), max_length=150, blank=True)
    institution_id = models.BigIntegerField(_("id de institución"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    user_agent = models.CharField(_("navegador"), max_length=300, blank=True)
    method = models.CharField(_("método"), max_length=10)
    path = models.CharField(_("ruta"), max_length=500)
    view_name = models.CharField(_("vista"), max_length=200, blank=True)
    object_type = models.CharField(_("tipo de objeto"), max_length=100, blank=True)
    object_id = models.CharField(_("id de objeto"), max_length=64, blank=True)
    query = models.JSONField(_("parámetros de búsqueda"), default=dict, blank=True)
    status = models.PositiveSmallIntegerField(_("estado HTTP"))
    duration_ms = models.PositiveIntegerField(_("duración (ms)"), default=0)

    class Meta:
        verbose_name = _("acceso")
        verbose_name_plural = _("accesos")
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["occurred_at", "id"], name="audit_access_time"),
            models.Index(fields=["user_id", "occurred_at", "id"], name="audit_access_user"),
            models.Index(fields=["institution_id", "occurred_at", "id"], name="audit_access_inst"),
            models.Index(fields=["ip", "occurred_at"], name="audit_access_ip"),
            models.Index(fields=["object_type", "object_id", "occurred_at"], name="audit_access_object"),
            # Searches per week: the list routes' accesses (dashboards).
            models.Index(fields=["view_name", "occurred_at"], name="audit_access_view"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.method} {self.path} {self.status}"


class Event(models.Model):
    """An authentication or business event recorded through ``audit.services.record_event``."""

    class Category(models.TextChoices):
        AUTH = "auth", _("Autenticación")
        BUSINESS = "business", _("Operación")

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("fecha y hora (UTC)"), default=timezone.now)
    category = models.CharField(_("categoría"), max_length=20, choices=Category.choices)
    action = models.CharField(_("acción"), max_length=60)
    actor_id = models.BigIntegerField(_("id de usuario"), null=True, blank=True)
    username = models.CharField(_("usuario"), max_length=150, blank=True)
    institution_id = models.BigIntegerField(_("id de institución"), null=True, blank=True)
    target_type = models.CharField(_("tipo de objeto"), max_length=100, blank=True)
    target_id = models.CharField(_("id de objeto"), max_length=64, blank=True)
    target_repr = models.CharField(_("objeto"), max_length=200, blank=True)
    detail = models.JSONField(_("detalle"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    user_agent = models.CharField(_("navegador"), max_length=300, blank=True)
    path = models.CharField(_("ruta"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")
        default_permissions = ("view",)
        # Reading the whole history log (timeline, its export, the history-log dashboard figures).
        permissions = [("view_history_log", "Consultar la bitácora")]
        indexes = [
            models.Index(fields=["occurred_at", "id"], name="audit_event_time"),
            models.Index(fields=["actor_id", "occurred_at", "id"], name="audit_event_actor"),
            models.Index(fields=["institution_id", "occurred_at", "id"], name="audit_event_inst"),
            models.Index(fields=["category", "action", "occurred_at"], name="audit_event_action"),
            models.Index(fields=["target_type", "target_id", "occurred_at"], name="audit_event_target"),
            # Failed logins have no actor: the timeline's user filter finds them by name, any case.
            models.Index(Upper("username"), name="audit_event_username_ci"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.category}.{self.action} {self.username}"


class Seal(models.Model):
    """A link of a log table's digest chain (after CloudTrail's digest files).

    Covers the rows with ``previous.last_row_id < id <= last_row_id``: ``rows_digest`` is the
    SHA-256 over each row's canonical serialization in id order; ``manifest`` holds, per row, its
    id and the first 8 bytes of its hash so that verification can name the row that broke.
    ``seal_hash`` covers every other field (including ``previous_hash``, the chain) and
    ``signature`` is HMAC-SHA256 of ``seal_hash`` under ``AUDIT_SEAL_KEY``.
    """

    id = models.BigAutoField(primary_key=True)
    table = models.CharField(_("tabla"), max_length=100)
    sequence = models.PositiveIntegerField(_("número de sello"))
    first_row_id = models.BigIntegerField(_("primera fila"))
    last_row_id = models.BigIntegerField(_("última fila"))
    row_count = models.PositiveIntegerField(_("filas"))
    columns = models.JSONField(_("columnas"))
    rows_digest = models.CharField(_("resumen de filas"), max_length=64)
    manifest = models.BinaryField(_("índice de filas"))
    previous_hash = models.CharField(_("sello anterior"), max_length=64)
    seal_hash = models.CharField(_("resumen del sello"), max_length=64)
    signature = models.CharField(_("firma HMAC"), max_length=64)
    created_at = models.DateTimeField(_("sellado"), default=timezone.now)

    class Meta:
        verbose_name = _("sello de bitácora")
        verbose_name_plural = _("sellos de bitácora")
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["table", "sequence"], name="audit_seal_table_sequence")]

    def __str__(self):
        return f"{self.table} #{self.sequence} ({self.first_row_id}-{self.last_row_id})"


class LeafLayout(models.Model):
    """The columns a log table had when some of its rows entered the Merkle tree.

    An entry's bytes name the columns read when it was appended, so a column added to the table
    later does not change entries already in the tree. Rows are only ever inserted.
    """

    id = models.BigAutoField(primary_key=True)
    table = models.CharField(_("tabla"), max_length=100)
    columns = models.JSONField(_("columnas"))
    digest = models.CharField(_("resumen"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("estructura de hojas")
        verbose_name_plural = _("estructuras de hojas")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.table} ({len(self.columns)} columnas)"


class MerkleLeaf(models.Model):
    """One leaf of the history log's RFC 6962 Merkle tree: a log row, in the order the sealing job
    first saw it committed. ``leaf_hash`` is SHA-256(0x00 || the row's entry bytes)."""

    index = models.BigIntegerField(_("hoja"), primary_key=True)
    table = models.CharField(_("tabla"), max_length=100)
    row_id = models.BigIntegerField(_("fila"))
    layout = models.ForeignKey(LeafLayout, on_delete=models.PROTECT, verbose_name=_("estructura"))
    leaf_hash = models.BinaryField(_("hash de la hoja"))

    class Meta:
        verbose_name = _("hoja del árbol de la bitácora")
        verbose_name_plural = _("hojas del árbol de la bitácora")
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["table", "row_id"], name="audit_leaf_table_row")]

    def __str__(self):
        return f"#{self.index} {self.table}:{self.row_id}"


class Checkpoint(models.Model):
    """A signed tree head: a C2SP tlog-checkpoint note, kept exactly as signed.

    ``frontier`` holds the roots of the perfect subtrees that make up the tree (its compact
    range, 32 bytes each, largest first): the next checkpoint extends it without rereading the
    older leaves.
    """

    id = models.BigAutoField(primary_key=True)
    tree_size = models.BigIntegerField(_("tamaño del árbol"))
    root_hash = models.BinaryField(_("raíz"))
    frontier = models.BinaryField(_("frontera"))
    key_name = models.CharField(_("llave"), max_length=200)
    key_id = models.CharField(_("id de la llave"), max_length=8)
    note = models.TextField(_("checkpoint firmado"))
    created_at = models.DateTimeField(_("firmado"), default=timezone.now)

    class Meta:
        verbose_name = _("checkpoint de la bitácora")
        verbose_name_plural = _("checkpoints de la bitácora")
        default_permissions = ("view",)
        indexes = [models.Index(fields=["tree_size"], name="audit_checkpoint_size")]

    def __str__(self):
        return f"{self.tree_size} hojas ({self.created_at:%Y-%m-%d %H:%M})"
