import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from kernel.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """An e-mail row waiting in the outbox."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    channel = Notification.Channel.EMAIL
    template = "prueba"
    to_address = factory.LazyAttribute(lambda o: o.recipient.email)
    subject = factory.Sequence(lambda n: f"Aviso de prueba {n}")
    body = "Texto del aviso de prueba.\n"
    status = Notification.Status.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)


class InAppNotificationFactory(NotificationFactory):
    channel = Notification.Channel.INAPP
    to_address = ""
    status = Notification.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
