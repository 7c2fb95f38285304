import factory
from stdnum.mx import curp as stdnum_curp

from accounts.models import Profile, User
from agreements.tests.factories import InstitutionFactory

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
