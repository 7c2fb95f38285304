"""E-mail backends for the outbox tests: one that always fails, one that is slow."""

import smtplib
import threading
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

_lock = threading.Lock()


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("el servidor de correo cerró la conexión")


class SlowBackend(LocmemBackend):
    """Holds each message for a moment, so a second sender has time to try the same row."""

    def send_messages(self, messages):
        time.sleep(0.3)
        with _lock:
            return super().send_messages(messages)
