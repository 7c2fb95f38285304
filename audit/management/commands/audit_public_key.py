from django.core.management.base import BaseCommand

from audit.keys import verifiers


class Command(BaseCommand):
    help = (
        "Imprime la llave pública que verifica los checkpoints de la bitácora (forma vkey de C2SP): la actual "
        "en la primera línea y, debajo, las anteriores que siguen publicadas."
    )

    def handle(self, *args, **options):
        for verifier in verifiers():
            self.stdout.write(verifier.vkey)
