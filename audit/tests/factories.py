import factory
from django.utils import timezone

from audit.models import AccessEvent, Event


class AccessEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessEvent

    occurred_at = factory.LazyFunction(timezone.now)
    username = "usuario.prueba"
    ip = "10.0.0.1"
    method = "GET"
    path = "/"
    view_name = "dashboard"
    status = 200
    duration_ms = 12


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    occurred_at = factory.LazyFunction(timezone.now)
    category = Event.Category.AUTH
    action = "login_success"
    username = "usuario.prueba"
