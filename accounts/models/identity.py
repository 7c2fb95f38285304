"""The identity provider's catalog: the platforms ("sistemas") the portal signs people in to,
each with its OpenID Connect client, and which person may enter which system."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from kernel.scoping import scope_queryset


class System(models.Model):
    """A platform opened by an agreement (000 OCTAVA-DÉCIMA, 002 CUARTO) that delegates sign-in
    to the portal. Kept by the commission; its OIDC client is a django-oauth-toolkit application."""

    code = models.SlugField(_("clave"), max_length=50, unique=True)
    name = models.CharField(_("nombre"), max_length=150, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="system",
        verbose_name=_("cliente OpenID Connect"),
    )
    profiles = models.ManyToManyField(
        "accounts.Profile",
        related_name="systems",
        blank=True,
        verbose_name=_("perfiles que pueden usarlo"),
    )
    is_active = models.BooleanField(_("activo"), default=True)

    history = HistoricalRecords(m2m_fields=["profiles"])

    class Meta:
        verbose_name = _("sistema")
        verbose_name_plural = _("sistemas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SystemGrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_queryset(self, user, institution_lookup="user__institution")

    def live(self):
        return self.filter(status=SystemGrant.Status.GRANTED)


class SystemGrant(models.Model):
    """A system granted to a person: by the reviewer with the account request or an account
    change, withdrawn by the commission. Only a granted system signs the person in."""

    class Status(models.TextChoices):
        GRANTED = "granted", _("Otorgado")
        WITHDRAWN = "withdrawn", _("Retirado")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="system_grants", verbose_name=_("cuenta")
    )
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="grants", verbose_name=_("sistema"))
    status = FSMField(_("estado"), max_length=20, choices=Status.choices, default=Status.GRANTED, protected=False)
    granted_at = models.DateTimeField(_("otorgado"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("retirado"), null=True, blank=True)

    history = HistoricalRecords()
    objects = SystemGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("sistema otorgado")
        verbose_name_plural = _("sistemas otorgados")
        ordering = ["system__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "system"], condition=Q(status="granted"), name="system_grant_one_live_per_user"
            )
        ]

    def __str__(self):
        return f"{self.system} ← {self.user_id}"

    @transition(field=status, source=Status.GRANTED, target=Status.WITHDRAWN)
    def withdraw(self):
        self.withdrawn_at = timezone.now()
