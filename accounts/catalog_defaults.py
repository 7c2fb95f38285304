"""The documents of 000, DÉCIMA that start the required-documents catalog.

The data migration creates them; ``ensure_default_documents`` puts them back after a test flush
(post_migrate) when the catalog is empty. The commission edits them in the portal afterwards.
"""

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


def ensure_default_documents(**kwargs):
    from .models import RequiredDocument

    if not RequiredDocument.objects.exists():
        for data in DEFAULTS:
            RequiredDocument.objects.create(**data, mandatory=True)
