"""Notifications (kernel): the one way any app tells people something.

Contract: ``notify(...)`` is called inside the caller's transaction. (The notifications issue
turns this into an outbox row per recipient, sent by Celery after commit with retries.)
"""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def notify(*, recipients, template: str, context: dict, related=None, channels=("email", "inapp")) -> None:
    """Tell ``recipients`` (users) something, rendered from ``templates/notifications/<template>/``
    (``subject.txt`` and ``body.txt``, in Spanish). ``related`` is the object it concerns."""
    for user in recipients:
        ctx = {**context, "recipient": user}
        subject = render_to_string(f"notifications/{template}/subject.txt", ctx).strip()
        body = render_to_string(f"notifications/{template}/body.txt", ctx)
        if "email" in channels and user.email:
            transaction.on_commit(lambda s=subject, b=body, e=user.email: send_mail(s, b, None, [e]))
