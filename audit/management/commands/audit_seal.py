from django.core.management.base import BaseCommand

from audit.tlog import seal_and_checkpoint


class Command(BaseCommand):
    help = (
        "Sella las filas nuevas de cada tabla de la bitácora (cadena HMAC), las agrega al árbol de Merkle "
        "y firma un checkpoint nuevo (lo mismo que la tarea periódica)."
    )

    def handle(self, *args, **options):
        run = seal_and_checkpoint()
        for seal in run.seals:
            self.stdout.write(f"{seal.table} #{seal.sequence}: {seal.row_count} filas ({seal.seal_hash[:16]}…)")
        total = sum(s.row_count for s in run.seals)
        self.stdout.write(self.style.SUCCESS(f"Sellos nuevos: {len(run.seals)}; filas selladas: {total}."))
        self.stdout.write(f"Hojas nuevas en el árbol: {run.leaves_added}.")
        if run.checkpoint:
            self.stdout.write(f"Checkpoint firmado: {run.checkpoint.tree_size} hojas.")
        else:
            self.stdout.write("Sin checkpoint nuevo: el último ya firma este árbol.")
