"""Authentication events from Django's signals, and the actor of Celery tasks."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .context import ACTOR_HEADER, acting_as, current_actor
from .services import record_auth_default


@receiver(user_logged_in, dispatch_uid="audit_login_success")
def _logged_in(sender, request, user, **kwargs):
    record_auth_default(action="login_success", actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_auth_default(action="logout", actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failure")
def _login_failed(sender, credentials, request=None, **kwargs):
    # credentials arrive with the password already masked; only the username is kept.
    username = str(credentials.get("username", ""))[:150]
    record_auth_default(
        action="login_failure", username=username, detail={"reason": "invalid_credentials"}, request=request
    )


# --- Celery: the publishing side's actor travels with the task --------------------------------
_task_contexts = {}


def connect_celery_signals():
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_add_actor_header, dispatch_uid="audit_actor_header", weak=False)
    task_prerun.connect(_enter_actor, dispatch_uid="audit_actor_enter", weak=False)
    task_postrun.connect(_leave_actor, dispatch_uid="audit_actor_leave", weak=False)


def _add_actor_header(sender=None, headers=None, **kwargs):
    actor = current_actor()
    if headers is not None and actor is not None and ACTOR_HEADER not in headers:
        headers[ACTOR_HEADER] = actor.pk


def task_actor_id(task):
    request = task.request
    value = getattr(request, ACTOR_HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(ACTOR_HEADER)
    return value


def _enter_actor(sender=None, task_id=None, task=None, **kwargs):
    actor_id = task_actor_id(task) if task is not None else None
    if actor_id is None:
        return
    from django.contrib.auth import get_user_model

    actor = get_user_model()._default_manager.filter(pk=actor_id).first()
    manager = acting_as(actor)
    manager.__enter__()
    _task_contexts[task_id] = manager


def _leave_actor(sender=None, task_id=None, **kwargs):
    manager = _task_contexts.pop(task_id, None)
    if manager is not None:
        manager.__exit__(None, None, None)
