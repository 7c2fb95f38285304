from django.core.management.base import BaseCommand, CommandError

from audit import archive
from audit.partitions import Month
from audit.services import record_event


class Command(BaseCommand):
    help = (
        "Vuelve a poner en línea un mes archivado y retirado de la bitácora: verifica el archivo (suma "
        "SHA-256, filas, hojas del árbol firmado), recrea la partición del mes y carga sus filas, que "
        "vuelven a aparecer en la línea de tiempo, la exportación y audit_verify."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="Mes a restaurar, AAAA-MM (por ejemplo 2026-01).")

    def handle(self, *args, month, **options):
        try:
            month = Month.parse(month)
            restored = archive.restore_month(month)
        except (ValueError, archive.ArchiveError) as error:
            raise CommandError(str(error)) from error
        record_event(category="business", action="log_month_restored", detail={"month": str(month), "rows": restored})
        for table, rows in restored.items():
            self.stdout.write(f"{table}: {rows} filas restauradas")
        self.stdout.write(self.style.SUCCESS(f"El mes {month} está de nuevo en línea y coincide con su archivo."))
