from django.apps import AppConfig


class AccessReviewsConfig(AppConfig):
    name = "access_reviews"
    verbose_name = "Revisiones de acceso"

    def ready(self):
        from . import events  # noqa: F401 - registers its history-log events
