import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()


def _warm_up():
    """Do before the first request what would otherwise make it wait: import every view (through
    the URLconf), load the Mexican holiday tables and compile the base templates. Without it each
    fresh server process answers its first pages 300-400 ms late."""
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import timezone

    from kernel.calendar import holiday_name

    get_resolver().url_patterns  # noqa: B018 - imports every app's views
    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        holiday_name(today.replace(year=year, month=1, day=1))
    for name in ("base.html", "portal/dashboards/default.html"):
        get_template(name)


_warm_up()
