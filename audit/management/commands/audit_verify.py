from django.core.management.base import BaseCommand, CommandError

from audit.sealing import verify_all


class Command(BaseCommand):
    help = "Recalcula todos los sellos de la bitácora; termina con error en la primera ruptura de cada tabla."

    def handle(self, *args, **options):
        report = verify_all()
        if report.breaks:
            for problem in report.breaks:
                self.stderr.write(f"RUPTURA: {problem}")
            raise CommandError(f"La bitácora no verifica: {report.breaks[0]}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Bitácora íntegra: {report.rows_verified} filas verificadas en {report.seals_verified} sellos"
                f" ({report.unsealed_rows} filas aún sin sellar)."
            )
        )
