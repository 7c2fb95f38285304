"""Demo data for accounts that follow their institution's basis of access (issue 15). Idempotent.

- IDU: its agreement with the commission expired; its two accounts are suspended "sin convenio
  vigente" (the daily job ran); an earlier immediate suspension, lifted, is in its history.
- ITE: an agreement in force, but the commission suspended it at once (001, Cap. III.4 III); its
  analyst is blocked until the suspension is lifted.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Agreement, AgreementParty, Institution, InstitutionSuspension

from .models import Profile
from .services import user_create
from .services_basis import accounts_basis_enforce, member_suspend, member_suspension_lift

INSTITUTIONS = [
    {
        "acronym": "IDU",
        "legal_name": "Instituto de Desarrollo Urbano (demostración)",
        "rfc": "IDU960101AB1",
        "address": "Av. Pino Suárez 300, Monterrey, N.L.",
        "state": "Nuevo León",
    },
    {
        "acronym": "ITE",
        "legal_name": "Instituto de Transporte del Estado (demostración)",
        "rfc": "ITE970101AB9",
        "address": "Av. Madero 1200, Monterrey, N.L.",
        "state": "Nuevo León",
    },
]

# username, institution acronym, profile, given names, paternal, maternal, CURP
USERS = [
    ("idu.admin", "IDU", "institution_admin", "Gabriel", "Montes", "Rivas", "MORG800415HNLNVB01"),
    ("idu.analista", "IDU", "analyst", "Lucía", "Herrera", "Campos", "HECL910822MNLRMC07"),
    ("ite.analista", "ITE", "analyst", "Iván", "Salas", "Ortiz", "SAOI890305HNLLRV05"),
]


def _agreement(*, admin, commission, member, folio, signed_on, term_until):
    agreement = Agreement.objects.filter(folio=folio).first()
    if agreement is None:
        agreement = agreement_services.agreement_create(
            actor=admin,
            folio=folio,
            title=f"Intercambio de información con {member.acronym}",
            kind=Agreement.Kind.COORDINATION,
            purpose="Consulta de registros para la coordinación de seguridad (demostración).",
            signed_on=signed_on,
            term_kind=Agreement.TermKind.UNTIL_DATE,
            term_until=term_until,
            parties=[(commission, AgreementParty.Role.COMMISSION), (member, AgreementParty.Role.MEMBER)],
        )
        agreement_services.agreement_activate(agreement=agreement, actor=admin, today=signed_on)
    return agreement


def seed(ctx):
    if Institution.objects.filter(acronym="IDU").exists():
        from .models import User

        ctx["users"].update({u.username: u for u in User.objects.filter(username__in=[row[0] for row in USERS])})
        return
    today = timezone.localdate()
    admin = ctx["users"]["comision.admin"]
    commission = ctx["commission"]
    members = {}
    for data in INSTITUTIONS:
        members[data["acronym"]] = Institution.objects.create(kind=Institution.Kind.MEMBER, **data)
    idu_agreement = _agreement(
        admin=admin,
        commission=commission,
        member=members["IDU"],
        folio="CESP-IDU-2023-01",
        signed_on=today - timedelta(days=800),
        term_until=today + timedelta(days=5),  # moved into the past below, once its accounts exist
    )
    _agreement(
        admin=admin,
        commission=commission,
        member=members["ITE"],
        folio="CESP-ITE-2025-01",
        signed_on=today - timedelta(days=300),
        term_until=today + timedelta(days=700),
    )
    for number, (username, acronym, profile, given, paternal, maternal, curp) in enumerate(USERS, start=3001):
        institution = members[acronym]
        user = user_create(
            username=username,
            institution=institution,
            profile=Profile.objects.get(code=profile),
            password=settings.DEMO_PASSWORD,
            given_names=given,
            paternal_surname=paternal,
            maternal_surname=maternal,
            curp=curp,
            email=f"{username}@{acronym.lower()}.demo.gob.mx",
            position="Analista" if profile == "analyst" else "Jefe de Informática",
            area="Dirección de Informática",
            public_servant_number=f"SP-{number}",
        )
        ctx["users"][username] = user

    # IDU: a suspension the commission lifted earlier, then its agreement ended.
    suspension, _effect = member_suspend(
        institution=members["IDU"],
        actor=admin,
        reason=InstitutionSuspension.Reason.WRONG_INFORMATION,
        text="Envió la carga trimestral con campos obligatorios vacíos (demostración).",
    )
    member_suspension_lift(suspension=suspension, actor=admin, note="Corrigió y reenvió la carga.")
    idu_agreement.term_until = today - timedelta(days=10)
    idu_agreement._history_user = admin
    idu_agreement.save()
    agreement_services.agreements_expire_due(today=today)
    accounts_basis_enforce(today=today)  # the daily job: IDU's accounts "sin convenio vigente"

    # ITE: suspended at once, still in effect.
    member_suspend(
        institution=members["ITE"],
        actor=admin,
        reason=InstitutionSuspension.Reason.PLATFORM_AT_RISK,
        text="Se detectó un acceso desde un equipo no registrado en su red (demostración).",
    )
