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


# --- Agreements between the demo institutions (runs after the accounts step) -----------------


def _file(name, data):
    from django.core.files.base import ContentFile

    return ContentFile(data, name=name)


def seed_agreements(ctx):
    """Agreements in each status, officers with a substitution, a signature catalog per member,
    memberships, an overdue obligation and an agreement about to expire. Idempotent by folio."""
    from datetime import timedelta

    from django.utils import timezone

    from kernel.sample_files import pdf_bytes, png_bytes

    from . import rules, services
    from .models import Agreement, AgreementParty, MemberNotice, Membership, Signatory

    if Agreement.objects.filter(folio="CESP-ISSE-2024-01").exists():
        # Seeded before: later steps still find the agreements they build on.
        ctx["agreements"] = {
            "main": Agreement.objects.get(folio="CESP-ISSE-2024-01"),
            "expiring": Agreement.objects.get(folio="CESP-IMS-2023-02"),
        }
        return
    today = timezone.localdate()
    admin = ctx["users"]["comision.admin"]
    cesp, isse, ims = ctx["commission"], ctx["member1"], ctx["member2"]
    C, M = AgreementParty.Role.COMMISSION, AgreementParty.Role.MEMBER

    def make(folio, title, kind, signed_on, term_kind, members, **extra):
        agreement = services.agreement_create(
            actor=admin,
            folio=folio,
            title=title,
            kind=kind,
            purpose=f"Intercambio de información para {title.lower()} (demostración).",
            signing_place="Monterrey, Nuevo León",
            signed_on=signed_on,
            term_kind=term_kind,
            parties=[(cesp, C)] + [(m, M) for m in members],
            **extra,
        )
        services.document_upload(
            actor=admin,
            institution=cesp,
            agreement=agreement,
            kind="signed",
            title=f"Convenio firmado {folio}",
            file=_file(f"{folio}.pdf", pdf_bytes(f"Convenio {folio}")),
        )
        return agreement

    main = make(
        "CESP-ISSE-2024-01",
        "Suministro de padrones de derechohabientes",
        Agreement.Kind.COORDINATION,
        today - timedelta(days=700),
        Agreement.TermKind.YEARS,
        [isse],
        term_years=5,
    )
    services.agreement_activate(agreement=main, actor=admin)
    isse_party = main.parties.get(institution=isse)
    contact = {
        "phone": "81 2020 1000",
        "address": "Calle Hidalgo 250, Monterrey, N.L.",
        "functions": "Seguimiento del convenio y supervisión del suministro.",
    }
    services.officer_designate(
        party=isse_party,
        actor=admin,
        role="general",
        full_name="Raúl Ibarra Quintero",
        position="Director de Sistemas",
        email="raul.ibarra@isse.demo.gob.mx",
        notified_on=main.signed_on,
        **contact,
    )
    services.officer_designate(
        party=isse_party,
        actor=ctx["users"]["inst1.admin"],
        role="general",
        full_name="Patricia Ochoa Villarreal",
        position="Subdirectora de Informática",
        email="patricia.ochoa@isse.demo.gob.mx",
        notified_on=today - timedelta(days=10),
        **contact,
    )
    services.officer_designate(
        party=main.parties.get(institution=cesp),
        actor=admin,
        role="general",
        full_name="Héctor Garza Leal",
        position="Coordinador de la Plataforma",
        email="hector.garza@cesp.demo.gob.mx",
        notified_on=main.signed_on,
        phone="81 2020 0001",
        address="Av. Constitución 100, Monterrey, N.L.",
        functions="Recepción y validación de cargas.",
    )
    addendum = services.document_upload(
        actor=admin,
        institution=cesp,
        agreement=main,
        kind="amendment",
        title="Primera adenda",
        file=_file("adenda.pdf", pdf_bytes("Primera adenda")),
    )
    services.amendment_register(
        agreement=main,
        actor=admin,
        signed_on=today - timedelta(days=200),
        document=addendum,
        summary="Amplía la vigencia a seis años para cubrir la migración de la plataforma.",
        new_terms={"term_years": 6},
    )
    start = (today.replace(day=1) - timedelta(days=95)).replace(day=1)
    supply = services.obligation_create(
        agreement=main,
        actor=admin,
        party=isse_party,
        schedule="monthly",
        business_days=12,
        starts_on=start,
        description="Entregar la actualización mensual del padrón de derechohabientes.",
    )
    first = services.obligation_next_due(supply, today=today)
    if first:
        services.compliance_record(
            obligation=supply,
            actor=admin,
            period_start=first[0],
            delivered_on=first[1],
            delivered_by="Patricia Ochoa Villarreal",
            supply_ok=True,
            quality_ok=True,
        )  # later months stay pending: an overdue obligation for the demo

    expiring = make(
        "CESP-IMS-2023-02",
        "Colaboración en consultas de servicios",
        Agreement.Kind.SUPPORT,
        today - timedelta(days=900),
        Agreement.TermKind.UNTIL_DATE,
        [ims],
        term_until=today + timedelta(days=45),
    )
    services.agreement_activate(agreement=expiring, actor=admin)
    ims_party = expiring.parties.get(institution=ims)
    ims_party.officer_designation_due = today - timedelta(days=3)
    ims_party._history_user = admin
    ims_party.save()

    # Its renewal is being prepared: a new period linked to the one about to end.
    services.agreement_renew(
        agreement=expiring,
        actor=admin,
        folio="CESP-IMS-2026-07",
        signed_on=today + timedelta(days=30),
        term_kind=Agreement.TermKind.YEARS,
        term_years=3,
        renewal_file=_file("renovacion.pdf", pdf_bytes("Renovación firmada")),
    )

    make(
        "CESP-ISSE-IMS-2026-03",
        "Programa piloto de verificación cruzada",
        Agreement.Kind.SPECIFIC,
        None,
        Agreement.TermKind.INDEFINITE,
        [isse, ims],
    )

    old = make(
        "CESP-IMS-2021-04",
        "Intercambio de estadísticas (concluido)",
        Agreement.Kind.COORDINATION,
        today - timedelta(days=1500),
        Agreement.TermKind.ADMINISTRATION,
        [ims],
        term_until=today - timedelta(days=400),
    )
    old.status = Agreement.Status.EXPIRED
    old._history_user = admin
    old.save(update_fields=["status"])

    ended = make(
        "CESP-ISSE-2022-05",
        "Mesa de trabajo de calidad de datos",
        Agreement.Kind.SUPPORT,
        today - timedelta(days=1000),
        Agreement.TermKind.YEARS,
        [isse],
        term_years=5,
    )
    services.agreement_activate(agreement=ended, actor=admin)
    notice = services.termination_notice_create(
        agreement=ended,
        actor=admin,
        kind="termination",
        notifying_party=ended.parties.get(institution=isse),
        notified_on=today - timedelta(days=45),
        reason="Concluyó el objeto de la mesa de trabajo.",
        pending_matters="Entrega del informe final.",
        notice_file=_file("aviso-terminacion.pdf", pdf_bytes("Aviso de terminación")),
    )
    services.termination_finalize(notice=notice, actor=admin, today=today)

    rescinded = make(
        "CESP-IMS-2022-06",
        "Suministro de bitácoras de atención",
        Agreement.Kind.SPECIFIC,
        today - timedelta(days=800),
        Agreement.TermKind.YEARS,
        [ims],
        term_years=3,
    )
    services.agreement_activate(agreement=rescinded, actor=admin)
    notice = services.termination_notice_create(
        agreement=rescinded,
        actor=admin,
        kind="rescission",
        notifying_party=rescinded.parties.get(institution=cesp),
        notified_on=today - timedelta(days=40),
        reason="Incumplimiento reiterado de las entregas.",
        notice_file=_file("aviso-rescision.pdf", pdf_bytes("Aviso de rescisión")),
    )
    services.termination_finalize(notice=notice, actor=admin, today=today)

    # Signature catalog: one registered signatory per member, plus one waiting for the commission.
    for institution, admin_key, name, position in (
        (isse, "inst1.admin", "Gloria Esparza Medina", "Directora General"),
        (ims, "inst2.admin", "Tomás Villanueva Rico", "Director General"),
    ):
        signatory = services.signatory_submit(
            institution=institution,
            actor=ctx["users"][admin_key],
            full_name=name,
            position=position,
            rank="Titular",
            specimen_file=_file("firma.png", png_bytes()),
            valid_from=today - timedelta(days=300),
            attested=True,
        )
        services.signatory_register(signatory=signatory, actor=admin)
    services.signatory_submit(
        institution=ims,
        actor=ctx["users"]["inst2.admin"],
        full_name="Lidia Carranza Ortiz",
        position="Directora Jurídica",
        rank="Dirección de área",
        specimen_file=_file("firma.png", png_bytes()),
        valid_from=today,
        attested=True,
    )

    for institution, admin_key in ((isse, "inst1.admin"), (ims, "inst2.admin")):
        membership = services.membership_request(
            institution=institution,
            actor=ctx["users"][admin_key],
            responsible_name="Responsable de demostración",
            agreement_proof=_file("convenio.pdf", pdf_bytes("Constancia")),
            responsible_letter=_file("oficio.pdf", pdf_bytes("Oficio")),
            security_statement=_file("seguridad.pdf", pdf_bytes("Medidas de seguridad")),
        )
        services.membership_accept(membership=membership, actor=admin)

    services.member_notice_send(
        actor=admin,
        kind=MemberNotice.Kind.PLANNED,
        subject="Mantenimiento programado de la plataforma",
        body="La plataforma no estará disponible durante la ventana de mantenimiento.",
        change_on=rules.notice_earliest_change(kind="planned", sent_on=today) + timedelta(days=2),
        sent_on=today,
    )
    ctx["agreements"] = {"main": main, "expiring": expiring}
    assert Membership.objects.count() >= 2 and Signatory.objects.count() >= 3


def seed_calendar_and_alerts(ctx):
    """A commission non-working day and the daily job's first run (its alerts on the expiring
    agreement and the overdue obligation), as a portal that has been running a while has."""
    from datetime import date

    from django.utils import timezone

    from .models import NonWorkingDay
    from .services import agreements_daily, non_working_day_add

    year = timezone.localdate().year
    if not NonWorkingDay.objects.exists():
        # Holy Thursday and Friday are missing from the federal calendar: the commission adds them.
        non_working_day_add(actor=ctx["users"]["comision.admin"], day=date(year, 12, 24), description="Nochebuena")
    agreements_daily()
