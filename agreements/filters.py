from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kernel.search import search as kernel_search
from kernel.widgets import CompactSelect

from .models import Agreement, Institution, Signatory


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar (folio o título)"), method="search")
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=Agreement.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Tipo"), choices=Agreement.Kind.choices)
    institution = django_filters.ModelChoiceFilter(
        label=_("Institución parte"),
        queryset=Institution.objects.all(),
        field_name="parties__institution",
        distinct=True,
        widget=CompactSelect,
    )
    expiring_soon = django_filters.BooleanFilter(label=_("Por vencer (90 días)"), method="filter_expiring")
    ending_after = django_filters.DateFilter(label=_("Termina desde"), field_name="end_date", lookup_expr="gte")
    ending_before = django_filters.DateFilter(label=_("Termina hasta"), field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Agreement
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_platform_scope:
            visible = Agreement.objects.visible_to(user).values("pk")
            self.filters["institution"].queryset = Institution.objects.filter(
                agreement_parties__agreement__in=visible
            ).distinct()
        for name in ("ending_after", "ending_before"):
            self.filters[name].field.widget.input_type = "date"

    def search(self, queryset, name, value):
        # Accents and case aside, every word in the folio or the title (kernel.search).
        return kernel_search(queryset, value, Agreement.SEARCH_FIELDS)

    def filter_expiring(self, queryset, name, value):
        today = timezone.localdate()
        soon = Q(
            status=Agreement.Status.IN_FORCE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=Agreement.EXPIRING_SOON_DAYS),
        )
        return queryset.filter(soon) if value else queryset.exclude(soon)


class SignatoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Nombre"), method="search")
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=Signatory.Status.choices)
    institution = django_filters.ModelChoiceFilter(
        label=_("Institución"), queryset=Institution.objects.all(), widget=CompactSelect
    )

    class Meta:
        model = Signatory
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["institution"].queryset = Institution.objects.visible_to(user)

    def search(self, queryset, name, value):
        return kernel_search(queryset, value, ("full_name",))
