import datetime as dt
import json
import logging

from django.core.management.base import BaseCommand, CommandError

from audit.export import csv_lines, json_record
from audit.selectors import TimelineFilters, timeline_iter

logger = logging.getLogger(__name__)


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Fecha inválida (use AAAA-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Exporta a la salida estándar accesos, eventos de autenticación y cambios, en un solo flujo "
        "ordenado por fecha (del más antiguo al más reciente)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="Fecha inicial AAAA-MM-DD (incluida).")
        parser.add_argument("--until", help="Fecha final AAAA-MM-DD (incluida).")
        parser.add_argument("--user", default="", help="Solo este usuario.")
        parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")

    def handle(self, *args, since, until=None, user="", format="csv", **options):
        filters = TimelineFilters(user=user, date_from=_date(since), date_to=_date(until) if until else None)
        if filters.date_to and filters.date_to < filters.date_from:
            raise CommandError("--until no puede ser anterior a --since.")
        rows = timeline_iter(user=None, filters=filters, descending=False)
        if format == "csv":
            lines = csv_lines(rows)
        else:
            lines = (json.dumps(json_record(row), ensure_ascii=False) + "\n" for row in rows)
        written = 0
        try:
            for line in lines:
                self.stdout.write(line, ending="")
                written += 1
        except Exception as error:
            # Exit non-zero and say how far it got: a partial export must never pass for a whole one.
            logger.exception("audit_export failed after %d lines", written)
            raise CommandError(f"Exportación interrumpida tras {written} líneas: {error}") from error
