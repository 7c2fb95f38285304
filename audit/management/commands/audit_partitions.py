from django.core.management.base import BaseCommand
from django.db import connection

from audit import partitions


class Command(BaseCommand):
    help = (
        "Crea por adelantado las particiones mensuales de la bitácora (mes en curso y los siguientes, "
        "meses de la Ciudad de México) y lista las existentes. Beat lo hace a diario."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=2, help="Meses siguientes al actual (por omisión 2).")

    def handle(self, *args, ahead=2, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Base de datos distinta de PostgreSQL: la bitácora no está particionada.")
            return
        created = partitions.ensure_ahead(ahead)
        for name in created:
            self.stdout.write(f"  + {name}")
        for table in partitions.PARTITIONED_TABLES:
            self.stdout.write(f"{table}: {', '.join(partitions.partitions(table))}")
