"""Dates in generated PDFs in the es-MX long style: "30 de noviembre de 2026" (issue 21).

The PDFs are the portal's official documents, written in Spanish whatever the reader's interface
language; every PDF template loads this library (``{% load pdf_dates %}``) and writes dates with
``|fecha_larga`` (a date-time: ``|fecha_larga:"hora"`` adds the Mexico City time)."""

from datetime import date, datetime

from django import template
from django.utils import dateformat, timezone, translation

register = template.Library()


def long_date(value: date | datetime | None, *, with_time: bool = False) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    with translation.override("es"):
        # Month names are lowercase in Spanish ("noviembre"), whatever the catalog's capitals.
        text = f"{value.day} de {dateformat.format(value, 'E').lower()} de {value.year}"
    if with_time and isinstance(value, datetime):
        text += f", {value:%H:%M:%S} h"
    return text


@register.filter(name="fecha_larga")
def fecha_larga(value, arg: str = ""):
    return long_date(value, with_time=arg == "hora")
