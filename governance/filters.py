import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Institution
from kernel.search import search as kernel_search
from kernel.widgets import CompactSelect

from .models import Acuerdo, Body, ConsentEvidenceRequest, Incident, PilotProgram


def _order(fields, labels):
    return django_filters.OrderingFilter(label=_("Ordenar por"), fields=fields, field_labels=labels)


class BodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar (clave o nombre)"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Tipo"), choices=Body.Kind.choices)
    order = _order((("code", "code"), ("name", "name")), {"code": _("Clave"), "name": _("Nombre")})

    class Meta:
        model = Body
        fields = []

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("code", "name"))  # accents and case aside


class AcuerdoFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar en el texto"), method="search")
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=Acuerdo.Status.choices)
    overdue = django_filters.BooleanFilter(label=_("Vencidos"), method="filter_overdue")
    body = django_filters.ModelChoiceFilter(
        label=_("Órgano"), queryset=Body.objects.none(), field_name="session__body", widget=CompactSelect
    )
    institution = django_filters.ModelChoiceFilter(
        label=_("Institución responsable"),
        queryset=Institution.objects.none(),
        field_name="responsibles__institution",
        distinct=True,
        widget=CompactSelect,
    )
    order = _order(
        (("due_on", "due_on"), ("session__starts_at", "session"), ("status", "status")),
        {"due_on": _("Fecha límite"), "session": _("Sesión"), "status": _("Estado")},
    )

    class Meta:
        model = Acuerdo
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Body.objects.visible_to(user)
        self.filters["body"].queryset = bodies
        self.filters["institution"].queryset = Institution.objects.filter(
            body_parties__body__in=bodies.values("pk")
        ).distinct()

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("text",))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=Acuerdo.OPEN_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class PilotFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar (nombre o folio del convenio)"), method="search")
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=PilotProgram.Status.choices)
    order = _order(
        (("ends_on", "ends_on"), ("requested_on", "requested_on"), ("title", "title")),
        {"ends_on": _("Término"), "requested_on": _("Solicitud"), "title": _("Nombre")},
    )

    class Meta:
        model = PilotProgram
        fields = []

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("title", "agreement__folio"))


class ConsentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar (folio)"), method="search")
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=ConsentEvidenceRequest.Status.choices)
    overdue = django_filters.BooleanFilter(label=_("Vencidas"), method="filter_overdue")
    order = _order(
        (("due_on", "due_on"), ("requested_on", "requested_on")),
        {"due_on": _("Fecha límite"), "requested_on": _("Solicitud")},
    )

    class Meta:
        model = ConsentEvidenceRequest
        fields = []

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("folios", "agreement__folio"))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status=ConsentEvidenceRequest.Status.REQUESTED, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar (descripción, sistemas o institución)"), method="search")
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=Incident.Status.choices)
    severity = django_filters.ChoiceFilter(label=_("Gravedad"), choices=Incident.Severity.choices)
    kind = django_filters.ChoiceFilter(label=_("Tipo"), choices=Incident.Kind.choices)
    order = _order(
        (("occurred_at", "occurred_at"), ("reported_at", "reported_at"), ("severity", "severity")),
        {"occurred_at": _("Cuándo ocurrió"), "reported_at": _("Reporte"), "severity": _("Gravedad")},
    )

    class Meta:
        model = Incident
        fields = []

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("description", "affected_systems", "institution__acronym"))
