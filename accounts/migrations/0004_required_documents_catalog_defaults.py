"""The required-documents catalog starts with the three documents of 000, DÉCIMA."""

from django.db import migrations

DEFAULTS = [
    {
        "code": "oficio_solicitud",
        "name": "Oficio de solicitud",
        "description": "Oficio de la institución que pide la cuenta, firmado por una firma autorizada registrada.",
        "accepted_types": "pdf",
        "max_size_mb": 5,
        "max_age_days": None,
        "position": 10,
    },
    {
        "code": "curu",
        "name": "CURU sellada y firmada",
        "description": "Cédula Única de Registro de Usuarios que genera el portal, sellada y firmada por el titular "
        "de la institución y por la persona usuaria.",
        "accepted_types": "pdf,jpeg,png",
        "max_size_mb": 5,
        "max_age_days": None,
        "position": 20,
    },
    {
        "code": "antecedentes_no_penales",
        "name": "Certificado de antecedentes no penales",
        "description": "Certificado vigente; se revisa su fecha de expedición.",
        "accepted_types": "pdf,jpeg,png",
        "max_size_mb": 5,
        "max_age_days": 90,
        "position": 30,
    },
]


def create(apps, schema_editor):
    RequiredDocument = apps.get_model("accounts", "RequiredDocument")
    for data in DEFAULTS:
        RequiredDocument.objects.get_or_create(code=data["code"], defaults={**data, "mandatory": True})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_onboarding_requests_letters_changes")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
