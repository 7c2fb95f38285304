"""Demo accounts, one per built-in profile. Idempotent; names are invented."""

from django.conf import settings

from .models import Profile, User
from .services import profile_create, user_create

# A profile created "in the portal" (not built in), to show the catalog beyond the built-in five.
DEMO_PROFILE = {
    "code": "consulta_asignada",
    "name": "Consulta de convenios asignados",
    "description": "Consulta solo los convenios que la Comisión le asigna uno por uno.",
    "scope": Profile.Scope.ASSIGNED,
    "permissions": ["agreements.view_institution"],
}

# username, institution key in ctx, profile code, given names, surnames, CURP, position
DEMO_USERS = [
    (
        "comision.admin",
        "commission",
        "commission_admin",
        "Ana Lucía",
        "Gómez",
        "Mora",
        "GOMA850317MDFRRN04",
        "Titular de la Unidad de Plataforma",
    ),
    (
        "comision.revisor",
        "commission",
        "commission_reviewer",
        "Jorge",
        "Peña",
        "Luna",
        "PELJ900101HJCRNS07",
        "Analista de cuentas",
    ),
    (
        "comision.auditor",
        "commission",
        "auditor",
        "Marina",
        "Ramos",
        "Hernández",
        "RAHM880512MNLMRR06",
        "Auditora interna",
    ),
    (
        "inst1.admin",
        "member1",
        "institution_admin",
        "Carlos",
        "López",
        "Salinas",
        "LOSC750925HMCPLR06",
        "Jefe de Tecnologías de la Información",
    ),
    (
        "inst1.analista",
        "member1",
        "analyst",
        "Elena",
        "Torres",
        "Vega",
        "TOVE920214MPLRGL02",
        "Analista de información",
    ),
    (
        "inst2.admin",
        "member2",
        "institution_admin",
        "Fernando",
        "Sánchez",
        "Alanís",
        "SAAF810707HVZNLR09",
        "Coordinador de Sistemas",
    ),
    ("inst2.analista", "member2", "analyst", "Rosa", "Cruz", "Díaz", "CUDR950630MYNRZS02", "Analista de datos"),
    # A second commission administrator: one can lift the other's lockout suspension.
    (
        "comision.admin2",
        "commission",
        "commission_admin",
        "Tomás",
        "Ibarra",
        "Quiroz",
        "IAQT870923HCLBRM06",
        "Subtitular de la Unidad de Plataforma",
    ),
]


def seed(ctx):
    users = {}
    for number, row in enumerate(DEMO_USERS, start=1001):
        username, inst_key, profile_code, given, paternal, maternal, curp, position = row
        user = User.objects.filter(username=username).first()
        if user is None:
            institution = ctx[inst_key]
            user = user_create(
                username=username,
                institution=institution,
                profile=Profile.objects.get(code=profile_code),
                password=settings.DEMO_PASSWORD,
                given_names=given,
                paternal_surname=paternal,
                maternal_surname=maternal,
                curp=curp,
                email=f"{username}@{institution.acronym.lower()}.demo.gob.mx",
                phone="81 2020 0000",
                position=position,
                area="Dirección de Informática",
                public_servant_number=f"SP-{number}",
            )
        users[username] = user
    ctx["users"] = users

    if not Profile.objects.filter(code=DEMO_PROFILE["code"]).exists():
        from django.contrib.auth.models import Permission

        perms = [
            Permission.objects.get(content_type__app_label=p.split(".")[0], codename=p.split(".")[1])
            for p in DEMO_PROFILE["permissions"]
        ]
        profile_create(
            actor=users["comision.admin"],
            code=DEMO_PROFILE["code"],
            name=DEMO_PROFILE["name"],
            description=DEMO_PROFILE["description"],
            scope=DEMO_PROFILE["scope"],
            permissions=perms,
        )


# The commission's demo accounts have their authenticator enrolled with this well-known secret
# (README: `oathtool --totp -b JBSWY3DPEHPK3PXP`); the institution demo accounts need none.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def seed_second_factor(ctx):
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .services_second_factor import DEVICE_NAME, is_privileged

    key = b32decode(DEMO_TOTP_SECRET).hex()
    for user in ctx["users"].values():
        if is_privileged(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True)
