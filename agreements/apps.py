from django.apps import AppConfig


def non_working_days(start, end):
    """The commission's extra non-working days, for the kernel calendar."""
    from .models import NonWorkingDay

    return NonWorkingDay.objects.filter(date__range=(start, end)).values_list("date", flat=True)


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Convenios"

    def ready(self):
        from kernel import calendar

        from . import events  # noqa: F401 - registers its history-log events

        calendar.register_non_working_days(non_working_days)
