import factory
from stdnum.mx import curp as stdnum_curp

from accounts.models import Profile, User
from agreements.tests.factories import InstitutionFactory, pdf_upload, png_upload  # noqa: F401 - shared with onboarding tests
from kernel.sample_files import pdf_bytes, png_bytes

PASSWORD = "Una-Clave-De-Prueba-2026"
_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"  # consonants only: never one of CURP's forbidden words


def valid_curp(n: int, sex: str = "H", birth: str = "900101") -> str:
    """A CURP with a correct check digit, unique per n."""
    head = "".join(_LETTERS[(n // 20**i) % 20] for i in range(4))
    body = f"{head}{birth}{sex}NL{_LETTERS[n % 20]}{_LETTERS[(n // 20) % 20]}{_LETTERS[(n // 400) % 20]}0"
    return body + stdnum_curp.calc_check_digit(body)


def profile(code: str) -> Profile:
    return Profile.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    institution = factory.SubFactory(InstitutionFactory)
    profile = factory.LazyFunction(lambda: profile("analyst"))
    given_names = "María José"
    paternal_surname = "Núñez"
    maternal_surname = "Ibáñez"
    curp = factory.Sequence(valid_curp)
    email = factory.LazyAttribute(lambda o: f"{o.username}@prueba.gob.mx")
    position = "Analista"
    area = "Informática"
    public_servant_number = factory.Sequence(lambda n: f"SP-{n:05d}")
    status = User.Status.ACTIVE

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and obj.profile_id:
            obj.groups.set([obj.profile.group])

    @factory.post_generation
    def basis(obj, create, extracted, **kwargs):
        """A member's account needs its institution's basis of access (an agreement in force with
        the commission, issue 15): one is made unless the institution has one or ``basis=False``."""
        if create and extracted is not False and obj.institution_id is not None:
            ensure_basis(obj.institution)


def ensure_basis(institution):
    """An indefinite agreement in force between ``institution`` and the commission, if it has none."""
    from agreements.models import Agreement, Institution
    from agreements.tests.factories import CommissionFactory

    if institution.kind != Institution.Kind.MEMBER:
        return None
    has_one = (
        Agreement.objects.filter(status=Agreement.Status.IN_FORCE, parties__institution=institution)
        .filter(parties__institution__kind=Institution.Kind.COMMISSION)
        .exists()
    )
    if has_one:
        return None
    commission = Institution.objects.filter(kind=Institution.Kind.COMMISSION).first() or CommissionFactory()
    return make_agreement(institution=institution, commission=commission, folio=f"CONV-BASE-{institution.pk:05d}")


# --- Onboarding helpers ----------------------------------------------------------------------

# Files that pass the content checks of kernel.documents (one source: kernel.sample_files).
PDF_BYTES = pdf_bytes()
PNG_BYTES = png_bytes()


def valid_rfc_for(curp: str) -> str:
    """A natural-person RFC sharing the CURP's first ten characters, with a correct check digit."""
    from stdnum.mx import rfc as stdnum_rfc

    base = curp[:10] + "A1"
    return base + stdnum_rfc.calc_check_digit(base)


def make_agreement(*, institution, commission, status="in_force", folio=None):
    from agreements.models import Agreement, AgreementParty

    n = Agreement.objects.count() + 1
    agreement = Agreement.objects.create(
        folio=folio or f"CONV-PRUEBA-{n:04d}",
        title=f"Convenio de coordinación de prueba {n}",
        kind=Agreement.Kind.COORDINATION,
        purpose="Intercambio de información",
        term_kind=Agreement.TermKind.INDEFINITE,
        status=status,
    )
    AgreementParty.objects.create(agreement=agreement, institution=commission, role=AgreementParty.Role.COMMISSION)
    AgreementParty.objects.create(agreement=agreement, institution=institution, role=AgreementParty.Role.MEMBER)
    return agreement


def make_signatory(*, institution, status="registered", full_name="Rosaura Quiñones Peña", valid_until=None):
    import datetime
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from agreements.models import Document, Signatory

    name = default_storage.save("agreements/specimens/firma.png", ContentFile(PNG_BYTES))
    specimen = Document.objects.create(
        institution=institution,
        kind=Document.Kind.SPECIMEN,
        title="Muestra de firma",
        file=name,
        original_name="firma.png",
        content_type="image/png",
        size=len(PNG_BYTES),
        sha256=hashlib.sha256(PNG_BYTES).hexdigest(),
    )
    return Signatory.objects.create(
        institution=institution,
        full_name=full_name,
        position="Titular de la institución",
        rank="Titular",
        specimen=specimen,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=valid_until,
        attested=True,
        status=status,
    )


# --- Identity provider: systems and their OIDC clients ----------------------------------------


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A public OIDC client (PKCE, no secret) whose redirect URI is on the loopback address."""

    class Meta:
        model = "oauth2_provider.Application"

    name = factory.Sequence(lambda n: f"Plataforma {n}")
    client_id = factory.Sequence(lambda n: f"cliente-{n}")
    client_type = "public"
    client_secret = ""
    authorization_grant_type = "authorization-code"
    redirect_uris = "http://127.0.0.1/callback"
    post_logout_redirect_uris = "http://127.0.0.1/salida"
    algorithm = "RS256"
    skip_authorization = True


class SystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.System"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"sistema-{n}")
    name = factory.Sequence(lambda n: f"Sistema de prueba {n}")
    application = factory.SubFactory(ApplicationFactory)

    @factory.post_generation
    def profiles(obj, create, extracted, **kwargs):
        if create:
            codes = extracted if extracted is not None else ["analyst", "institution_admin", "commission_admin"]
            obj.profiles.set(Profile.objects.filter(code__in=codes))


def change_attachments(institution):
    """What a documented change request carries (000, NOVENA): a current signatory of
    ``institution``, the signed letter and the profile catalog form."""
    from agreements.models import Signatory

    signatory = Signatory.objects.current().filter(institution=institution).first() or make_signatory(
        institution=institution
    )
    return {
        "signatory": signatory,
        "letter": pdf_upload("oficio.pdf", text="Oficio"),
        "catalog_form": pdf_upload("catalogo.pdf", text="Catalogo"),
    }


def request_change(**kwargs):
    """``account_change_request`` with its documents attached, for tests about something else."""
    from accounts import services_changes

    return services_changes.account_change_request(**{**change_attachments(kwargs["user"].institution), **kwargs})


def approve_change(*, change, actor, note=""):
    """Accept every document of ``change``, then approve it (the reviewer's whole path)."""
    from accounts import services_changes

    for document in change.documents.all():
        services_changes.change_document_check(document=document, actor=actor, valid=True)
    return services_changes.account_change_approve(change=change, actor=actor, note=note)
