from django.core.management.base import BaseCommand, CommandError

from audit import archive
from audit.partitions import Month
from audit.services import record_event


class Command(BaseCommand):
    help = (
        "Archiva un mes cerrado de la bitácora (accesos y eventos, mes de la Ciudad de México) en el "
        "almacenamiento de archivos como JSON por líneas comprimido, con su suma SHA-256 y el checkpoint "
        "firmado que lo cubre, y verifica la copia. Con --drop, y solo si la retención configurada "
        "(AUDIT_RETENTION_MONTHS) lo permite, retira después la partición del mes de la base de datos."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="Mes a archivar, AAAA-MM (por ejemplo 2026-01).")
        parser.add_argument(
            "--drop", action="store_true", help="Retirar la partición del mes tras verificar el archivo."
        )

    def handle(self, *args, month, drop=False, **options):
        try:
            month = Month.parse(month)
            done = archive.archive_month(month)
        except (ValueError, archive.ArchiveError) as error:
            raise CommandError(str(error)) from error
        rows = {table: info["rows"] for table, info in done.manifest["tables"].items()}
        record_event(
            category="business",
            action="log_month_archived",
            detail={"month": str(month), "rows": rows},
        )
        for info in done.manifest["tables"].values():
            self.stdout.write(f"{info['file']}: {info['rows']} filas, SHA-256 {info['sha256']}")
        checkpoint = done.manifest.get("checkpoint")
        if checkpoint:
            self.stdout.write(
                f"Checkpoint que lo cubre: {checkpoint['tree_size']} hojas, raíz {checkpoint['root_hash']}"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Archivo de {month} escrito y verificado ({archive.manifest_path(month)}).")
        )
        if not drop:
            self.stdout.write(f"La partición de {month} se conserva en la base de datos.")
            return
        try:
            dropped = archive.drop_month(month)
        except archive.ArchiveError as error:
            raise CommandError(str(error)) from error
        record_event(category="business", action="log_month_dropped", detail={"month": str(month)})
        self.stdout.write(
            self.style.SUCCESS(
                f"Particiones retiradas: {', '.join(dropped)}. Para volver a consultarlas: "
                f"manage.py audit_restore --month {month}"
            )
        )
