"""Supply's evaluation as the source of the compliance marks of data-supply obligations
(000 DÉCIMA OCTAVA): registered with agreements in ``SupplyConfig.ready()``. A monthly or
fortnightly obligation of a member under an agreement with a layout is evaluated from its
deliveries; the commission's corrections (override with a reason) are what the tables count."""

from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet

from agreements.compliance_sources import Marks
from agreements.models import Institution, Obligation

from .models import Evaluation

SUPPLY_SCHEDULES = (Obligation.Schedule.MONTHLY, Obligation.Schedule.FORTNIGHTLY)


class SupplyEvaluation:
    def computed(self, obligations: QuerySet) -> QuerySet:
        return (
            obligations.filter(agreement__supply_layouts__isnull=False, schedule__in=SUPPLY_SCHEDULES)
            .exclude(party__institution__kind=Institution.Kind.COMMISSION)
            .distinct()
        )

    def marks(self, *, user, agreement=None) -> Iterator[Marks]:
        evaluations = Evaluation.objects.visible_to(user).select_related("institution", "agreement")
        if agreement is not None:
            evaluations = evaluations.filter(agreement=agreement)
        for e in evaluations:
            yield Marks(e.institution, e.agreement, e.final_supply, e.final_timeliness, e.final_quality)

    def done_periods(self, obligation_ids: Iterable[int]) -> Iterator[tuple[int, date]]:
        rows = Evaluation.objects.filter(obligation_id__in=list(obligation_ids)).values_list(
            "obligation_id", "period_start", "supply_ok", "override_supply"
        )
        for obligation_id, period, supply_ok, override in rows:
            if (supply_ok if override is None else override) and obligation_id is not None:
                yield obligation_id, period


source = SupplyEvaluation()
