from datetime import date

from django.core.management.base import BaseCommand

from access_reviews import services


class Command(BaseCommand):
    help = "Envía los recordatorios de revisiones de acceso y cierra las vencidas (lo hace también la tarea diaria)."

    def add_arguments(self, parser):
        parser.add_argument("--fecha", type=date.fromisoformat, default=None, help="Día a considerar (AAAA-MM-DD).")

    def handle(self, *args, fecha=None, **options):
        result = services.access_reviews_daily(today=fecha)
        self.stdout.write(f"Recordatorios: {result['reminded']}; revisiones cerradas: {result['closed']}.")
