import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from audit.export import csv_lines, json_record
from audit.selectors import TimelineFilters, timeline_iter


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
            for line in csv_lines(rows):
                self.stdout.write(line, ending="")
            return
        for row in rows:
            self.stdout.write(json.dumps(json_record(row), ensure_ascii=False))
