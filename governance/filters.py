import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Institution
from kernel.search import search as kernel_search
from kernel.widgets import CompactSelect

from .models import Acuerdo, Body, ConsentEvidenceRequest, Incident, PilotProgram


class BodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar (clave o nombre)"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Tipo"), choices=Body.Kind.choices)

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

    class Meta:
        model = PilotProgram
        fields = []

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("title", "agreement__folio"))


class ConsentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar (folio)"), method="search")
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=ConsentEvidenceRequest.Status.choices)
    overdue = django_filters.BooleanFilter(label=_("Vencidas"), method="filter_overdue")

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

    class Meta:
        model = Incident
        fields = []

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("description", "affected_systems", "institution__acronym"))
