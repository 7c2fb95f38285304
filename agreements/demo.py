"""Demo data for the agreements app (institutions, later agreements). Idempotent."""

from .models import Institution

DEMO_INSTITUTIONS = [
    {
        "acronym": "CESP",
        "kind": Institution.Kind.COMMISSION,
        "legal_name": "Comisión Estatal de Seguridad Pública (demostración)",
        "rfc": "CSP000101ABA",
        "address": "Av. Constitución 100, Centro, Monterrey, N.L.",
        "state": "Nuevo León",
    },
    {
        "acronym": "ISSE",
        "kind": Institution.Kind.MEMBER,
        "legal_name": "Instituto de Seguridad Social del Estado (demostración)",
        "rfc": "SSE950101AB3",
        "address": "Calle Hidalgo 250, Centro, Monterrey, N.L.",
        "state": "Nuevo León",
    },
    {
        "acronym": "IMS",
        "kind": Institution.Kind.MEMBER,
        "legal_name": "Instituto Metropolitano de Servicios (demostración)",
        "rfc": "IMS430101AB2",
        "address": "Blvd. Juárez 18, San Pedro Garza García, N.L.",
        "state": "Nuevo León",
    },
]


def seed(ctx):
    """Create the commission and two members; ctx['institutions'] maps acronym -> Institution."""
    institutions = {}
    for data in DEMO_INSTITUTIONS:
        fields = {k: v for k, v in data.items() if k != "acronym"}
        institution, _ = Institution.objects.get_or_create(acronym=data["acronym"], defaults=fields)
        institutions[data["acronym"]] = institution
    ctx["institutions"] = institutions
    ctx["commission"] = institutions["CESP"]
    ctx["member1"] = institutions["ISSE"]
    ctx["member2"] = institutions["IMS"]
