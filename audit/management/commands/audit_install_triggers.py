from django.core.management.base import BaseCommand
from django.db import connections

from audit import triggers


class Command(BaseCommand):
    help = "Instala (si faltan) los disparadores que impiden modificar o borrar filas de la bitácora."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database="default", **options):
        if connections[database].vendor != "postgresql":
            self.stdout.write("Base de datos distinta de PostgreSQL: no se instalan disparadores.")
            return
        added = triggers.install(database)
        covered = len(triggers.tables_with_trigger(database))
        self.stdout.write(f"Disparadores nuevos: {len(added)}; tablas protegidas: {covered}.")
        for table in added:
            self.stdout.write(f"  + {table}")
