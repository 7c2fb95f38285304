from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, can_proceed, transition
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from kernel.identifiers import validate_curp
from kernel.scoping import scope_queryset
from kernel.search import search


class Profile(models.Model):
    """An entry of the profile catalog (catálogo de perfiles, 000 NOVENA).

    Each profile is backed by a Django group holding its model-level permissions and carries a
    scope that bounds which rows its users may see. Every user has exactly one profile.
    """

    class Scope(models.TextChoices):
        PLATFORM = "platform", _("Toda la plataforma (Comisión)")
        INSTITUTION = "institution", _("Su propia institución")
        ASSIGNED = "assigned", _("Convenios asignados")

    code = models.SlugField(_("clave"), max_length=50, unique=True)
    name = models.CharField(_("nombre"), max_length=100, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    scope = models.CharField(_("alcance"), max_length=20, choices=Scope.choices)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="profile", verbose_name=_("grupo"))
    is_builtin = models.BooleanField(_("predefinido"), default=False, editable=False)
    is_active = models.BooleanField(_("activo"), default=True)
    requires_second_factor = models.BooleanField(
        _("exige segundo factor"),
        default=False,
        help_text=_(
            "Sus cuentas deben dar de alta y usar un segundo factor. Los perfiles de la Comisión y los que "
            "consultan la bitácora o administran el catálogo de perfiles lo exigen siempre."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perfil")
        verbose_name_plural = _("perfiles")
        ordering = ["name"]

    def __str__(self):
        return self.name


# A profile's permissions live on its group: every change to them is kept in the history log
# (accounts.HistoricalGroup, with the permission set of each version).
register_history(Group, app="accounts", m2m_fields=["permissions"])


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Accounts a user may see: their own always; with ``accounts.view_user`` also those their
        scope reaches (all, their institution's, or the ones granted to them)."""
        return scope_queryset(
            self, user, institution_lookup="institution", own_lookup="pk", requires="accounts.view_user"
        )


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def search(self, text):
        """Accounts whose username, names or e-mail hold every word of ``text``, accents and case
        aside (kernel.search; the history log's user filter asks for it by this name)."""
        return search(self.get_queryset(), text, User.SEARCH_FIELDS)

    def get_by_natural_key(self, username):
        # Usernames are case-insensitive: "Inst1.Admin" and "inst1.admin" are one account.
        return self.get(username__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A personal, non-transferable account (000, OCTAVA).

    The account's status moves only through the transitions declared below::

        pending_letter --activate--> active            (letter accepted, or its scan validated)
        pending_letter/active --suspend--> suspended   (lockout, or an approved suspension)
        suspended --reactivate--> active or pending_letter (the commission lifts it)
        pending_letter/active/suspended --cancel--> cancelled
    """

    class Status(models.TextChoices):
        PENDING_LETTER = "pending_letter", _("Pendiente de carta de confidencialidad")
        ACTIVE = "active", _("Activa")
        SUSPENDED = "suspended", _("Suspendida")
        CANCELLED = "cancelled", _("Cancelada")

    class SuspendedFor(models.TextChoices):
        # Suspensions that follow the institution's basis of access, lifted together (issue 15).
        NO_BASIS = "no_basis", _("Sin convenio vigente")
        MEMBER_SUSPENDED = "member_suspended", _("Institución suspendida por la Comisión")

    # Statuses that may sign in: a pending user signs in only to accept the letter.
    LIVE_STATUSES = (Status.PENDING_LETTER, Status.ACTIVE)

    username = models.CharField(
        _("usuario"),
        max_length=150,
        unique=True,
        help_text=_("Se guarda en minúsculas; no distingue mayúsculas de minúsculas."),
    )
    institution = models.ForeignKey(
        "agreements.Institution",
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("institución"),
    )
    profile = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="users", null=True, blank=True, verbose_name=_("perfil")
    )
    given_names = models.CharField(_("nombre(s)"), max_length=120)
    paternal_surname = models.CharField(_("primer apellido"), max_length=80)
    maternal_surname = models.CharField(_("segundo apellido"), max_length=80, blank=True)
    curp = models.CharField(_("CURP"), max_length=18, null=True, blank=True, validators=[validate_curp])
    email = models.EmailField(_("correo institucional"))
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    position = models.CharField(_("cargo"), max_length=150, blank=True)
    area = models.CharField(_("área de adscripción"), max_length=150, blank=True)
    public_servant_number = models.CharField(_("número de servidor público"), max_length=40, blank=True)
    status = FSMField(
        _("estado de la cuenta"), max_length=20, choices=Status.choices, default=Status.ACTIVE, protected=False
    )
    status_changed_at = models.DateTimeField(_("cambio de estado"), default=timezone.now)
    suspended_for = models.CharField(
        _("suspendida por"),
        max_length=20,
        choices=SuspendedFor.choices,
        blank=True,
        help_text=_("Solo cuando la suspensión sigue a la institución (sin convenio o suspendida); vacío si no."),
    )
    is_active = models.BooleanField(_("puede iniciar sesión"), default=True, editable=False)
    is_staff = models.BooleanField(_("acceso al admin de Django"), default=False)
    date_joined = models.DateTimeField(_("alta"), default=timezone.now)

    # Groups carry the profile's permissions: who was in which group is part of the history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    objects = UserManager()
    # What the search boxes read, in this order (the trigram index of migration 0012 holds the same).
    SEARCH_FIELDS = ("username", "given_names", "paternal_surname", "maternal_surname", "email")

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        ordering = ["paternal_surname", "maternal_surname", "given_names"]
        # The user list's order: a page of 25 among 50,000 accounts without sorting them all.
        indexes = [models.Index(fields=["paternal_surname", "maternal_surname", "given_names"], name="user_name_order")]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(
                fields=["curp"],
                condition=Q(curp__isnull=False) & ~Q(status="cancelled"),
                name="user_curp_unique_live",
                violation_error_message=_("Ya existe una cuenta vigente con esa CURP."),
            ),
            models.CheckConstraint(
                condition=Q(is_superuser=True) | (Q(profile__isnull=False) & Q(institution__isnull=False)),
                name="user_has_profile_and_institution",
                violation_error_message=_("Toda cuenta necesita un perfil y una institución."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending_letter", "active"], is_active=True)
                | (~Q(status__in=["pending_letter", "active"]) & Q(is_active=False)),
                name="user_is_active_matches_status",
            ),
        ]
        permissions = [("reactivate_user", _("Reactivar cuentas suspendidas"))]

    def __str__(self):
        return f"{self.full_name} ({self.username})"

    @classmethod
    def normalize_username(cls, username):
        return super().normalize_username(username or "").strip().lower()

    def save(self, *args, **kwargs):
        self.username = self.normalize_username(self.username)
        if self.curp:
            self.curp = self.curp.strip().upper()
        # Django's is_active follows the portal's account status, never the other way round.
        self.is_active = self.status in self.LIVE_STATUSES
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_active", "suspended_for"}
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return " ".join(p for p in (self.given_names, self.paternal_surname, self.maternal_surname) if p)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.given_names

    # --- Account status (state machine) ---------------------------------------------------

    @property
    def awaits_letter(self):
        """Signed in only to accept the confidentiality letter; accepting it activates the account."""
        return can_proceed(self.activate)

    @property
    def can_suspend(self):
        return can_proceed(self.suspend)

    @property
    def can_be_reactivated(self):
        return can_proceed(self.reactivate)

    @property
    def can_cancel(self):
        return can_proceed(self.cancel)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @transition(field=status, source=Status.PENDING_LETTER, target=Status.ACTIVE)
    def activate(self):
        self.status_changed_at = timezone.now()

    @transition(field=status, source=LIVE_STATUSES, target=Status.SUSPENDED)
    def suspend(self, *, cause=""):
        """``cause``: a ``SuspendedFor`` value when the suspension follows the institution."""
        self.status_changed_at = timezone.now()
        self.suspended_for = cause

    @transition(field=status, source=Status.SUSPENDED, target=RETURN_VALUE(*LIVE_STATUSES))
    def reactivate(self, *, to=Status.ACTIVE):
        """Back to active, or to pending_letter for an account that still owes its letter."""
        self.status_changed_at = timezone.now()
        self.suspended_for = ""
        return to

    def suspend_cause_change(self, cause):
        """A suspended account now stays suspended for another cause (no status change)."""
        if self.status != self.Status.SUSPENDED:
            raise ValueError("Only a suspended account changes its suspension cause")
        self.suspended_for = cause

    @transition(field=status, source=(*LIVE_STATUSES, Status.SUSPENDED), target=Status.CANCELLED)
    def cancel(self):
        self.status_changed_at = timezone.now()
        self.suspended_for = ""

    @property
    def has_institution_scope(self):
        """Whether the user's profile reaches the rows of its own institution (not one by one)."""
        return self.profile_id is not None and self.profile.scope == Profile.Scope.INSTITUTION

    @property
    def has_platform_scope(self):
        """Whether the user's profile reaches the whole platform (commission profiles)."""
        if self.is_superuser:
            return True
        return self.profile_id is not None and self.profile.scope == Profile.Scope.PLATFORM


class LoginThrottle(models.Model):
    """Failed-login state of one normalised username (000, OCTAVA 5), known account or not.

    One row per username typed at the login form: the policy in ``accounts.lockout`` locks this
    row (SELECT ... FOR UPDATE) for every attempt, so concurrent attempts are decided one at a
    time. Unknown usernames get the same rows, locks and "suspensions" as real ones, so nothing
    seen from outside tells whether an account exists. Not history-tracked: every change is
    recorded as an authentication event in the history log instead.
    """

    username = models.CharField(_("usuario"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("intentos fallidos"), default=0)
    last_failure_at = models.DateTimeField(_("último intento fallido"), null=True, blank=True)
    locked_until = models.DateTimeField(_("bloqueada hasta"), null=True, blank=True)
    lock_count = models.PositiveIntegerField(_("bloqueos"), default=0)
    suspended_at = models.DateTimeField(_("suspendida por intentos fallidos"), null=True, blank=True)

    class Meta:
        verbose_name = _("control de intentos de acceso")
        verbose_name_plural = _("controles de intentos de acceso")

    def __str__(self):
        return self.username


class UserSession(models.Model):
    """Which session belongs to which user, so ending a user's sessions needs no full scan."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sesión de usuario")
        verbose_name_plural = _("sesiones de usuario")

    def __str__(self):
        return f"{self.user_id}:{self.created_at:%Y-%m-%d %H:%M}"
