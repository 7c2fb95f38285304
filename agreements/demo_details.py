"""Demo data for the sources' remaining details (issue 22): an officer with functions, a deputy
and a periodic report; a witness; a reference agreement between two other parties; a pending
address change. Idempotent: it runs once, after ``seed_agreements``."""

from datetime import timedelta


def seed(ctx):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from kernel.sample_files import pdf_bytes

    from . import services
    from .models import Agreement, AgreementParty, Institution, LinkOfficer

    if Agreement.objects.filter(folio="REF-EDO-MUN-2025-01").exists():
        return
    today = timezone.localdate()
    admin = ctx["users"]["comision.admin"]
    cesp, isse, ims = ctx["commission"], ctx["member1"], ctx["member2"]
    main = Agreement.objects.get(folio="CESP-ISSE-2024-01")

    # The main agreement asks for quarterly officer reports; ISSE's officer in office has the
    # sources' functions, a deputy acting this week and a first report filed.
    main.officer_report_months = 3
    main._history_user = admin
    main.save()
    officer = LinkOfficer.objects.filter(party__agreement=main, party__institution=isse).order_by("-pk").first()
    officer.function_codes = ["follow_up", "supply_oversight", "periodic_reports", "compliance"]
    officer._history_user = admin
    officer.save()
    services.officer_deputy_add(
        officer=officer,
        actor=admin,
        full_name="Jorge Salinas Treviño",
        position="Jefe del Departamento de Bases de Datos",
        phone="81 2020 1010",
        email="jorge.salinas@isse.demo.gob.mx",
        acting_from=max(officer.effective_from, today - timedelta(days=1)),
        acting_until=today + timedelta(days=5),
    )
    services.officer_report_file(
        officer=officer,
        actor=admin,
        period_start=officer.effective_from,
        period_end=officer.effective_from + timedelta(days=1),
        filed_on=officer.effective_from + timedelta(days=2),
        report_file=ContentFile(pdf_bytes("Informe del enlace"), name="informe-enlace.pdf"),
    )

    # ISSE notified a new address a week ago: notices still go to the previous one for 8 more days.
    services.party_address_change(
        party=main.parties.get(institution=isse),
        actor=admin,
        address="Av. Fundidora 501, Parque Fundidora, Monterrey, N.L.",
        notified_on=today - timedelta(days=7),
    )

    # A support agreement with a witness (004): 30 business days' notice by default.
    support = services.agreement_create(
        actor=admin,
        folio="CESP-IMS-2025-08",
        title="Apoyo para la verificación de credenciales",
        kind=Agreement.Kind.SUPPORT,
        purpose="Verificación de datos de identificación (demostración).",
        signing_place="Monterrey, Nuevo León",
        signed_on=today - timedelta(days=120),
        term_kind=Agreement.TermKind.YEARS,
        term_years=5,
        parties=[(cesp, AgreementParty.Role.COMMISSION), (ims, AgreementParty.Role.MEMBER)],
        witnesses=[("Mtra. Elena Robles Garza", "Coordinadora de Procesos Tecnológicos", "CESP")],
    )
    services.agreement_activate(agreement=support, actor=admin)

    # A reference agreement between a state and a municipality (003): kept, grants nothing.
    state, _ = Institution.objects.get_or_create(
        acronym="GEDO",
        defaults={
            "legal_name": "Gobierno del Estado (demostración)",
            "rfc": "GED850101AB2",
            "address": "Palacio de Gobierno, Centro, Monterrey, N.L.",
            "state": "Nuevo León",
        },
    )
    municipality, _ = Institution.objects.get_or_create(
        acronym="MUNI",
        defaults={
            "legal_name": "Municipio de San Nicolás (demostración)",
            "rfc": "MSN850101AB6",
            "address": "Palacio Municipal, San Nicolás de los Garza, N.L.",
            "state": "Nuevo León",
        },
    )
    reference = services.agreement_create(
        actor=admin,
        folio="REF-EDO-MUN-2025-01",
        title="Coordinación en materia de gobierno digital",
        kind=Agreement.Kind.COORDINATION,
        purpose="Convenio entre el Estado y un municipio que la Comisión conserva como referencia.",
        signed_on=today - timedelta(days=200),
        term_kind=Agreement.TermKind.UNTIL_DATE,
        term_until=today + timedelta(days=600),
        is_reference=True,
        parties=[(state, AgreementParty.Role.MEMBER), (municipality, AgreementParty.Role.MEMBER)],
    )
    services.agreement_activate(agreement=reference, actor=admin)

    # Members' duties after registration (001 Cap. III.1 II, III.3 VI): ISSE named its responsible
    # person and sent its list of users and commitment letter; IMS's are still due.
    from .models import Membership

    isse_membership = Membership.objects.filter(institution=isse, status=Membership.Status.ACCEPTED).first()
    if isse_membership is not None:
        isse_admin = ctx["users"]["inst1.admin"]
        services.membership_set_responsible(
            membership=isse_membership, actor=isse_admin, user=ctx["users"]["inst1.analista"]
        )
        services.membership_follow_up_submit(
            membership=isse_membership,
            actor=isse_admin,
            entitled_users_file=ContentFile(pdf_bytes("Relación de usuarios"), name="usuarios.pdf"),
            commitment_letter_file=ContentFile(pdf_bytes("Carta compromiso"), name="carta-compromiso.pdf"),
        )
