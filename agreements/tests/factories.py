import itertools

import factory
from stdnum.mx import rfc as stdnum_rfc

from agreements.models import Agreement, Institution


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


_FOLIOS = itertools.count(1)


def make_agreement(*, members, commission=None, actor=None, status="in_force", **fields):
    """An agreement between the commission and ``members`` through the service (parties included)."""
    from datetime import date

    from agreements import services
    from agreements.models import AgreementParty

    commission = commission or CommissionFactory()
    defaults = {
        "folio": f"CONV-{next(_FOLIOS):05d}",
        "title": "Convenio de prueba",
        "kind": Agreement.Kind.COORDINATION,
        "purpose": "Intercambio de información de prueba.",
        "signed_on": date(2026, 1, 15),
        "term_kind": Agreement.TermKind.YEARS,
        "term_years": 5,
    }
    defaults.update(fields)
    parties = [(commission, AgreementParty.Role.COMMISSION)] + [(m, AgreementParty.Role.MEMBER) for m in members]
    agreement = services.agreement_create(actor=actor, parties=parties, **defaults)
    if status == "in_force":
        agreement.status = Agreement.Status.IN_FORCE
        agreement.save(update_fields=["status"])
    return agreement


def pdf_upload(name="documento.pdf", data=None, text="Prueba"):
    """An uploaded PDF that passes the portal's content checks (or ``data`` as given)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kernel.sample_files import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(text) if data is None else data, content_type="application/pdf")


def png_upload(name="firma.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kernel.sample_files import png_bytes

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")
