import json

from django.core.management.base import BaseCommand, CommandError

from audit.models import Checkpoint
from audit.tlog import latest_checkpoint


class Command(BaseCommand):
    help = (
        "Imprime el último checkpoint firmado de la bitácora, exactamente como se firmó "
        "(--size N: el de ese tamaño; --all: todos, uno por línea en JSON)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--size", type=int, help="El checkpoint de un árbol de N hojas.")
        group.add_argument("--all", action="store_true", help="Todos los checkpoints, en JSON lines.")

    def handle(self, *args, size=None, all=False, **options):
        if all:
            for checkpoint in Checkpoint.objects.order_by("tree_size", "id").iterator():
                record = {
                    "tree_size": checkpoint.tree_size,
                    "created_at": checkpoint.created_at.isoformat(),
                    "key_name": checkpoint.key_name,
                    "key_id": checkpoint.key_id,
                    "note": checkpoint.note,
                }
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            return
        if size is not None:
            checkpoint = Checkpoint.objects.filter(tree_size=size).order_by("-id").first()
        else:
            checkpoint = latest_checkpoint()
        if checkpoint is None:
            raise CommandError("No hay checkpoint firmado (ejecute manage.py audit_seal).")
        self.stdout.write(checkpoint.note, ending="")
