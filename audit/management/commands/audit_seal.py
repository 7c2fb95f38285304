from django.core.management.base import BaseCommand

from audit.sealing import seal_all


class Command(BaseCommand):
    help = "Sella las filas nuevas de cada tabla de la bitácora (cadena de resúmenes firmados con HMAC)."

    def handle(self, *args, **options):
        seals = seal_all()
        for seal in seals:
            self.stdout.write(f"{seal.table} #{seal.sequence}: {seal.row_count} filas ({seal.seal_hash[:16]}…)")
        total = sum(s.row_count for s in seals)
        self.stdout.write(self.style.SUCCESS(f"Sellos nuevos: {len(seals)}; filas selladas: {total}."))
