import base64

from django.core.management.base import BaseCommand, CommandError

from audit.tlog import TreeError, consistency_proof, inclusion_proof


class Command(BaseCommand):
    help = (
        "Imprime una prueba del árbol de la bitácora, un hash en base64 por línea: de inclusión "
        "(--leaf I --size N) o de consistencia entre dos tamaños (--from M --size N)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, required=True, help="Tamaño del árbol (el de un checkpoint).")
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--leaf", type=int, help="Índice de la hoja cuya inclusión se prueba.")
        kind.add_argument("--from", dest="old_size", type=int, help="Tamaño del checkpoint anterior.")

    def handle(self, *args, size, leaf=None, old_size=None, **options):
        try:
            proof = inclusion_proof(leaf, size) if leaf is not None else consistency_proof(old_size, size)
        except (TreeError, ValueError) as error:
            raise CommandError(str(error)) from error
        for node in proof:
            self.stdout.write(base64.b64encode(node).decode())
