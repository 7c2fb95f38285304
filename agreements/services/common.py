"""Helpers every agreements service uses: saving with history, events, actor checks, recipients."""

import logging
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction

from audit.services import record_event
from kernel.notifications import recipients

from ..models import (
    Agreement,
)

logger = logging.getLogger(__name__)


def _save(instance, actor, **kwargs):
    if actor is not None:
        instance._history_user = actor
    instance.save(**kwargs)
    return instance


def _event(action, *, actor, target, institution=None, **detail):
    record_event(
        category="business",
        action=action,
        actor=actor,
        institution=institution,
        target=target,
        detail={k: (v.isoformat() if isinstance(v, date) else v) for k, v in detail.items()},
    )


def _check_actor(actor, perm, *, agreement=None, institution=None, obj=None, platform=False):
    """The service's own gate (the view's declared rule stays the first one).

    ``actor`` None is the system (tasks, data migrations, the demo seed). A person must hold
    ``perm`` and reach what is written: the agreement and ``obj`` through their scope
    (``visible_to``), the institution as their own unless their scope is the whole platform;
    ``platform`` writes (the commission's) need the platform scope. Raises PermissionDenied.
    """
    if actor is None:
        return
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(perm)):
        raise PermissionDenied
    if platform and not actor.has_platform_scope:
        raise PermissionDenied
    if agreement is not None and not Agreement.objects.visible_to(actor).filter(pk=agreement.pk).exists():
        raise PermissionDenied
    if obj is not None and not type(obj)._default_manager.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied
    if institution is not None and not (actor.has_platform_scope or actor.institution_id == institution.pk):
        raise PermissionDenied


def _recipients(institutions):
    # The people behind each role come from the accounts app through the kernel's hook.
    people = {u.pk: u for u in recipients.commission_admins()}
    for user in recipients.institution_admins(i for i in institutions if not i.is_commission):
        people.setdefault(user.pk, user)
    return list(people.values())


def _party_institutions(agreement):
    return [p.institution for p in agreement.parties.select_related("institution")]


# --- Documents -------------------------------------------------------------------------------


@contextmanager
def _files_removed_on_failure():
    """Yield a list to note stored file names in; they are deleted if the block raises.

    Storage is not transactional: wrapped around a ``transaction.atomic`` block, a write refused
    after its file was stored leaves neither the row nor the file behind.
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _each_committed(what, items, work, describe=repr) -> int:
    """Run ``work(item)`` for every item in its own transaction (the daily job's steps): a failing
    item is rolled back and logged, and the others go on. Returns how many items ``work`` did."""
    done = 0
    for item in items:
        try:
            with transaction.atomic():
                done += bool(work(item))
        except Exception:  # noqa: BLE001 - one item's failure must not undo or stop the others
            logger.exception("daily job: %s failed for %s; the other items went on", what, describe(item))
    return done
