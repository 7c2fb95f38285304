"""Validate a delivery file from the command line with the portal's validator (no database write).

python manage.py delivery_validate padron.txt --format json
python manage.py delivery_validate padron.zip --layout padron-derechohabientes-3 --password-prompt
"""

import getpass
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from supply import validation


class Command(BaseCommand):
    help = "Valida un archivo de entrega contra su layout (por omisión, el del Anexo técnico)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--layout", help="Clave del layout registrado (por omisión, el de 10 campos del anexo).")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--password-prompt", action="store_true", help="Pide la contraseña del zip.")

    def handle(self, *args, file, layout=None, format="text", password_prompt=False, **options):
        spec = validation.DEFAULT_LAYOUT
        if layout:
            from supply.models import Layout
            from supply.services import layout_spec

            found = Layout.objects.filter(code=layout).first()
            if found is None:
                raise CommandError(f"No existe el layout {layout}.")
            party = found.agreement.parties.exclude(institution__kind="commission").first()
            spec = layout_spec(found, party.institution if party else None)
        password = getpass.getpass("Contraseña del zip: ") if password_prompt else None
        try:
            with open(file, "rb") as handle:
                result = validation.validate(handle, spec, password=password)
        except FileNotFoundError:
            raise CommandError(f"No existe el archivo {file}.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if format == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        data = result.as_json()
        for key in ("records", "valid", "invalid", "duplicate_keys", "bytes", "sha256"):
            self.stdout.write(f"{key}: {data[key]}")
        for name, count in data["errors_per_field"].items():
            self.stdout.write(f"  {name}: {count}")
