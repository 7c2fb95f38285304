"""The evaluation computed from deliveries replaces the hand-typed compliance marks (000 DÉCIMA
OCTAVA): the compliance tables per agreement and per institution read it, a supply obligation can
no longer be marked by hand, the commission's correction counts, and a closed period with nothing
delivered counts as missed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.models import Obligation
from audit.models import Event
from supply import samples, services
from supply.models import Evaluation

from .test_services_deliveries import _submit, setup  # noqa: F401 - the fixture

MX = ZoneInfo("America/Mexico_City")


def _row(user, agreement):
    rows = agreement_selectors.compliance_table(user=user, agreement=agreement)
    assert len(rows) == 1
    return rows[0]


def test_compliance_table_reads_the_computed_evaluation(setup, commission_admin):  # noqa: F811
    agreement, _layout, admin, _obligation = setup
    good, _ = samples.rows(good=40, bad=False)
    mixed, _ = samples.rows(good=10)  # 10 of 15 valid: under 95 %
    on_time = _submit(setup, samples.text(good), period=date(2025, 2, 1))
    late = _submit(setup, samples.text(mixed), period=date(2025, 3, 1))
    on_time.received_at = datetime(2025, 2, 19, 23, 0, tzinfo=MX)  # the 12th business day, late at night
    late.received_at = datetime(2025, 3, 20, 10, 0, tzinfo=MX)  # due 19 March (the 17th is a holiday)
    for delivery in (on_time, late):
        delivery.save()
        services.evaluation_compute_for(delivery)
    services.delivery_accept(actor=commission_admin, delivery=on_time)

    for user in (commission_admin, admin):
        row = _row(user, agreement)
        assert row["records"] == 2
        assert (row["supply_pct"], row["timeliness_pct"], row["quality_pct"]) == (100, 50, 50)

    # The commission corrects March's timeliness with a reason: the tables count the correction.
    march = Evaluation.objects.get(period_start=date(2025, 3, 1))
    services.evaluation_correct(
        actor=commission_admin,
        evaluation=march,
        supply=None,
        timeliness=True,
        quality=None,
        reason="Prórroga por oficio CESP/12/2025",
    )
    assert _row(admin, agreement)["timeliness_pct"] == 100
    assert march.history.count() >= 2 and Event.objects.filter(action="evaluation_corrected").exists()


def test_a_supply_obligation_is_not_marked_by_hand(setup, commission_admin):  # noqa: F811
    obligation = setup[3]
    with pytest.raises(ValidationError, match="se calcula con las entregas"):
        agreement_services.compliance_record(
            obligation=obligation,
            actor=commission_admin,
            period_start=date(2025, 2, 1),
            delivered_on=date(2025, 2, 5),
            delivered_by="Alguien",
            supply_ok=True,
            quality_ok=True,
        )
    rows = agreement_selectors.obligations_with_next_due(obligations=[obligation], today=date(2025, 2, 10))
    assert rows[0]["computed"]


def test_an_obligation_of_an_agreement_without_layout_is_still_typed(commission, commission_admin, other_member):
    from accounts.tests.factories import make_agreement

    agreement = make_agreement(institution=other_member, commission=commission)
    obligation = Obligation.objects.create(
        agreement=agreement,
        party=agreement.parties.get(role="member"),
        description="Informe mensual",
        schedule=Obligation.Schedule.MONTHLY,
        starts_on=date(2025, 1, 1),
        business_days=12,
    )
    agreement_services.compliance_record(
        obligation=obligation,
        actor=commission_admin,
        period_start=date(2025, 2, 1),
        delivered_on=date(2025, 2, 5),
        delivered_by="Alguien",
        supply_ok=True,
        quality_ok=False,
    )
    row = _row(commission_admin, agreement)
    assert (row["records"], row["supply_pct"], row["quality_pct"]) == (1, 100, 0)


def test_closed_periods_without_delivery_count_as_missed(setup, commission_admin):  # noqa: F811
    agreement = setup[0]
    good, _ = samples.rows(good=20, bad=False)
    _submit(setup, samples.text(good), period=date(2025, 2, 1))
    # On 20 March 2025 January, February and March (12th business day the 19th: Monday 17 March,
    # Benito Juárez's birthday, is a holiday) are closed; only February was delivered.
    created = services.evaluation_compute_due(today=date(2025, 3, 20))
    periods = dict(Evaluation.objects.values_list("period_start", "supply_ok"))
    assert periods == {date(2025, 1, 1): False, date(2025, 2, 1): True, date(2025, 3, 1): False}
    assert created == 2
    assert Evaluation.objects.get(period_start=date(2025, 3, 1)).due_on == date(2025, 3, 19)
    assert services.evaluation_compute_due(today=date(2025, 3, 20)) == 0  # once
    assert _row(commission_admin, agreement)["supply_pct"] == 33
