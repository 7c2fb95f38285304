"""Changes carry their actor (request, task, command) and many-to-many changes are tracked."""

import pytest
from celery import shared_task
from django.contrib.auth import get_user_model

from accounts.services import user_set_profile
from accounts.tests.factories import UserFactory, profile
from agreements.models import Institution
from agreements.tests.factories import InstitutionFactory
from audit.context import ACTOR_HEADER, acting_as, current_actor
from audit.history import diff, entries_for

pytestmark = pytest.mark.django_db


@shared_task(name="audit.tests.rename_institution")
def rename_institution(*, institution_id, actor_id, address):
    """A thin task the way the project writes them: explicit actor, then the write."""
    actor = get_user_model().objects.get(pk=actor_id)
    with acting_as(actor):
        institution = Institution.objects.get(pk=institution_id)
        institution.address = address
        institution.save()


@shared_task(name="audit.tests.touch_institution")
def touch_institution(*, institution_id, address):
    """A task that names no actor: it inherits the publisher's through the message header."""
    institution = Institution.objects.get(pk=institution_id)
    institution.address = address
    institution.save()
    return current_actor().pk if current_actor() else None


def test_change_made_in_a_celery_task_carries_its_actor():
    actor = UserFactory()
    institution = InstitutionFactory()
    rename_institution.delay(institution_id=institution.pk, actor_id=actor.pk, address="Calle Tres 3")
    record = institution.history.latest()
    assert (record.history_user_id, record.address) == (actor.pk, "Calle Tres 3")


def test_task_actor_travels_in_the_message_header():
    actor = UserFactory()
    institution = InstitutionFactory()
    result = touch_institution.apply(
        kwargs={"institution_id": institution.pk, "address": "Calle Cuatro 4"}, headers={ACTOR_HEADER: actor.pk}
    )
    assert result.get() == actor.pk
    assert institution.history.latest().history_user_id == actor.pk
    assert current_actor() is None  # the worker's context is cleared after the task


def test_acting_as_attributes_changes_in_commands_and_restores_the_context():
    actor = UserFactory()
    with acting_as(actor):
        institution = InstitutionFactory()
        assert current_actor() == actor
    assert current_actor() is None
    assert institution.history.get().history_user_id == actor.pk


def test_user_group_changes_are_tracked_with_a_diff(commission):
    admin = UserFactory(profile=profile("commission_admin"), institution=commission)
    user = UserFactory(institution=commission)
    user_set_profile(user=user, profile=profile("auditor"), actor=admin)
    # save(profile), then groups.set(): one record after the removal, one after the addition
    latest, emptied, profile_saved = user.history.order_by("-history_id")[:3]
    assert {r.history_user_id for r in (latest, emptied, profile_saved)} == {admin.pk}
    assert {c.field: (c.old, c.new) for c in diff(latest, emptied)}["groups"] == ("—", "Auditoría")
    changes = {c.field: (c.old, c.new) for c in diff(latest, profile_saved)}
    assert changes["groups"] == (profile("analyst").group.name, profile("auditor").group.name)


def test_history_entries_show_creation_values_and_field_changes():
    institution = InstitutionFactory(address="Calle Uno 1")
    institution.status = Institution.Status.SUSPENDED
    institution.save()
    newest, first = entries_for(institution.history.order_by("-history_id"))
    assert str(newest.action) == "cambio"
    assert [(c.label, c.old, c.new) for c in newest.changes if c.field == "status"] == [
        ("Estado", "Activa", "Suspendida")
    ]
    assert str(first.action) == "alta"
    assert ("Domicilio", "—", "Calle Uno 1") in [(c.label, c.old, c.new) for c in first.changes]


def test_previous_rows_are_simple_historys_own_for_rows_of_several_tables(django_assert_max_num_queries):
    from audit.history import previous_records, record_key

    one, two = InstitutionFactory(address="Calle Uno 1"), InstitutionFactory()
    for address in ("Calle Dos 2", "Calle Tres 3"):
        one.address = address
        one.save()
    user = UserFactory()
    user.given_names = "Otro Nombre"
    user.save()
    rows = [*one.history.all(), *two.history.all(), *user.history.all()]
    with django_assert_max_num_queries(4):  # two per history table, however many rows
        found = previous_records(rows)
    assert {record_key(r): found[record_key(r)] for r in rows} == {record_key(r): r.prev_record for r in rows}
    assert sum(p is None for p in found.values()) == 3  # each object's first row
