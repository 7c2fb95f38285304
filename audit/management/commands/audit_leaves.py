import base64

from django.core.management.base import BaseCommand, CommandError

from audit.tlog import TreeError, entries, leaf_hashes, tree_size


class Command(BaseCommand):
    help = (
        "Imprime las hojas 0..N-1 del árbol de la bitácora en orden, una por línea: los bytes de cada línea "
        "(sin el salto de línea) son los que cubre el hash de la hoja, leídos de la fila tal como está hoy. "
        "--hashes imprime en cambio los hashes guardados de las hojas (base64)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, help="Número de hojas (por omisión, todo el árbol).")
        parser.add_argument("--hashes", action="store_true", help="Los hashes guardados, no las entradas.")

    def handle(self, *args, size=None, hashes=False, **options):
        size = tree_size() if size is None else size
        # The exact bytes (UTF-8, "\n" endings) to a real stream; text to a StringIO (call_command).
        stream = self.stdout._out
        binary = getattr(stream, "buffer", None)
        try:
            lines = (base64.b64encode(h) for h in leaf_hashes(0, size)) if hashes else entries(size)
            for line in lines:
                if binary is not None:
                    binary.write(line + b"\n")
                else:
                    stream.write(line.decode() + "\n")
        except TreeError as error:
            raise CommandError(str(error)) from error
        if binary is not None:
            stream.flush()
            binary.flush()
