"""PDF dates read "30 de noviembre de 2026", in Spanish whatever the interface language, and
every PDF template writes its dates through the one filter."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import engines
from django.utils import translation

from kernel.pdf_dates import long_date


def _render(source, **context):
    return engines["django"].from_string("{% load pdf_dates %}" + source).render(context)


def test_a_date_and_a_moment_in_the_es_mx_long_style_even_in_english():
    moment = datetime.datetime(2026, 12, 1, 2, 5, 9, tzinfo=datetime.UTC)  # 30 Nov, 20:05:09 in Mexico City
    with translation.override("en"):
        assert _render("{{ d|fecha_larga }}", d=datetime.date(2026, 11, 30)) == "30 de noviembre de 2026"
        assert _render('{{ m|fecha_larga:"hora" }}', m=moment) == "30 de noviembre de 2026, 20:05:09 h"
        assert _render("{{ d|fecha_larga|default:'—' }}", d=None) == "—"
    assert long_date(datetime.datetime(2027, 1, 5, 12, tzinfo=ZoneInfo("America/Mexico_City"))) == "5 de enero de 2027"


def test_every_pdf_template_writes_dates_with_the_filter():
    folder = Path(settings.BASE_DIR) / "templates" / "pdf"
    offenders = [p.name for p in folder.glob("*.html") if "|date:" in p.read_text()]
    assert offenders == []
