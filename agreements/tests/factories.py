import factory
from stdnum.mx import rfc as stdnum_rfc

from agreements.models import Institution


def _valid_rfc(n: int) -> str:
    """A legal-person RFC (12 characters) with a correct check digit, unique per n."""
    letters = "".join("ABCDEFGHJKLMNPRSTUVWXYZ"[(n // 23**i) % 23] for i in range(3))
    base = f"{letters}01{(n % 12) + 1:02d}{(n % 28) + 1:02d}A{(n % 9) + 1}"
    return base + stdnum_rfc.calc_check_digit(base)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("acronym",)

    kind = Institution.Kind.MEMBER
    legal_name = factory.Sequence(lambda n: f"Institución de prueba {n}")
    acronym = factory.Sequence(lambda n: f"INST{n}")
    rfc = factory.Sequence(_valid_rfc)
    address = "Calle Uno 1, Centro"
    state = "Nuevo León"


class CommissionFactory(InstitutionFactory):
    kind = Institution.Kind.COMMISSION
    legal_name = "Comisión de prueba"
    acronym = "COMISION"
