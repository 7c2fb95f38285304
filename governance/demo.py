"""Demo data for governance: a technical committee with two sessions and a member substitution, a
working table with a session convened, a conference whose acuerdos are in every state, pilot
programs (one near its end), consent-evidence requests (one open, one overdue, one answered).
Idempotent: nothing is added when the committee exists."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kernel import calendar
from kernel.sample_files import pdf_bytes

from . import services
from .models import Body


def _pdf(name, text):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _held(*, actor, body, day, agenda, kind="ordinary"):
    session = services.session_convene(
        actor=actor, body=body, kind=kind, starts_at=_at(day), agenda=agenda, place="Sala de juntas de la Comisión"
    )
    return services.session_hold(actor=actor, session=session, held_on=day)


def seed(ctx):
    if Body.objects.filter(code="CT").exists():
        return
    today = timezone.localdate()
    users = ctx["users"]
    admin, isse_admin, ims_admin = users["comision.admin"], users["inst1.admin"], users["inst2.admin"]
    cesp, isse, ims = ctx["commission"], ctx["member1"], ctx["member2"]
    main = ctx["agreements"]["main"]

    # --- Technical committee of the main agreement (004 DÉCIMA SEGUNDA–TERCERA) -----------------
    committee = services.body_create(
        actor=admin,
        kind=Body.Kind.COMMITTEE,
        name="Comité Técnico CESP–ISSE",
        code="CT",
        agreement=main,
        purpose="Determinar y apoyar las acciones del convenio, coordinar las especificaciones técnicas "
        "y dar seguimiento a sus resultados. Decide de común acuerdo.",
    )
    start = today - timedelta(days=120)
    cesp_member = services.member_appoint(
        actor=admin,
        body=committee,
        institution=cesp,
        full_name="Mariana Villarreal Garza",
        position="Coordinadora de Procesos Tecnológicos",
        notified_on=start,
        email="mvillarreal@cesp.example.mx",
    )
    old = services.member_appoint(
        actor=admin,
        body=committee,
        institution=isse,
        full_name="Héctor Salinas Ríos",
        position="Director de Soporte e Infraestructura",
        notified_on=start,
    )
    isse_member = services.member_appoint(
        actor=isse_admin,
        body=committee,
        institution=isse,
        full_name="Claudia Treviño Leal",
        position="Directora de Gobierno Digital",
        notified_on=today - timedelta(days=50),
        notice_file=_pdf("oficio-sustitucion.pdf", "Oficio de sustitución de integrante"),
        replaces=old,
    )
    first = _held(actor=admin, body=committee, day=today - timedelta(days=90), agenda="1. Instalación\n2. Calendario")
    services.attendance_record(actor=admin, session=first, entries=[(cesp_member, "present", ""), (old, "present", "")])
    a1 = services.acuerdo_create(
        actor=admin,
        session=first,
        text="Validar el documento de especificaciones técnicas.",
        responsible_institutions=[cesp, isse],
        deadline_kind="business_days",
        deadline_business_days=15,
    )
    services.acuerdo_complete(
        actor=isse_admin,
        acuerdo=a1,
        evidence_file=_pdf("especificaciones.pdf", "Especificaciones validadas"),
        note="Validado en reunión técnica.",
    )
    services.session_sign_minutes(actor=admin, session=first, file=_pdf("acta-ct-01.pdf", "Acta firmada CT 01"))
    second = _held(actor=admin, body=committee, day=today - timedelta(days=20), agenda="1. Seguimiento de acuerdos")
    services.attendance_record(
        actor=admin,
        session=second,
        entries=[(cesp_member, "present", ""), (isse_member, "represented", "Rubén Cantú (suplente)")],
    )
    services.acuerdo_create(
        actor=admin,
        session=second,
        text="Informar los resultados del primer trimestre a cada parte.",
        responsible_institutions=[isse],
        deadline_kind="fixed",
        deadline_date=today + timedelta(days=25),
    )

    # --- Working table of the expiring agreement (003 TERCERA–CUARTA): a session convened ------
    table = services.body_create(
        actor=admin,
        kind=Body.Kind.WORKING_TABLE,
        name="Mesa de trabajo de enlaces CESP–IMS",
        code="MT",
        agreement=ctx["agreements"]["expiring"],
    )
    services.member_appoint(
        actor=ims_admin,
        body=table,
        institution=ims,
        full_name="Ricardo Elizondo Pérez",
        position="Enlace técnico",
        notified_on=today - timedelta(days=60),
    )
    services.session_convene(
        actor=admin,
        body=table,
        kind="ordinary",
        starts_at=_at(today + timedelta(days=7), 11),
        agenda="1. Revisión de consultas\n2. Plan de cierre del convenio",
        is_virtual=True,
        place="Videollamada",
    )

    # --- A conference of several institutions (002): acuerdos in every state -----------------
    conference = services.body_create(
        actor=admin,
        kind=Body.Kind.CONFERENCE,
        name="Conferencia Estatal de Seguridad — Zona Norte",
        code="CNS",
        institutions=[cesp, isse, ims],
    )
    for inst, name in (
        (cesp, "Secretaría Técnica de la Conferencia"),
        (isse, "Titular del ISSE"),
        (ims, "Titular del IMS"),
    ):
        services.member_appoint(
            actor=admin,
            body=conference,
            institution=inst,
            full_name=name,
            position="Integrante",
            notified_on=today - timedelta(days=100),
        )
    plenary = _held(
        actor=admin,
        body=conference,
        day=today - timedelta(days=40),
        agenda="Sesión ordinaria de la Conferencia",
    )

    def reach(text, institutions, **deadline):
        return services.acuerdo_create(
            actor=admin, session=plenary, text=text, responsible_institutions=institutions, **deadline
        )

    reach(  # pending, a month ahead
        "Integrar el documento diagnóstico de biometría y enviarlo a la Secretaría Técnica.",
        [isse, ims],
        deadline_kind="fixed",
        deadline_date=today + timedelta(days=30),
    )
    started = reach(  # in progress, due within 5 business days
        "Presentar un modelo de acuerdo de colaboración entre unidades.",
        [ims],
        deadline_kind="fixed",
        deadline_date=calendar.add_business_days(today, 3),
    )
    services.acuerdo_start(actor=ims_admin, acuerdo=started)
    services.acuerdo_note_add(actor=ims_admin, acuerdo=started, text="Borrador en revisión jurídica.")
    reach(  # overdue (derived): pending past its "a más tardar"
        "Cada integrante nombra un enlace por oficio ante la Secretaría Técnica.",
        [isse, ims],
        deadline_kind="fixed",
        deadline_date=today - timedelta(days=10),
    )
    fulfilled = reach(
        "Remitir el directorio de enlaces estatales.", [isse], deadline_kind="business_days", deadline_business_days=10
    )
    services.acuerdo_complete(
        actor=isse_admin,
        acuerdo=fulfilled,
        evidence_file=_pdf("directorio.pdf", "Directorio de enlaces"),
    )
    cancelled = reach(
        "Programar una sesión extraordinaria en julio.",
        [cesp],
        deadline_kind="business_days",
        deadline_business_days=20,
    )
    services.acuerdo_cancel(actor=admin, acuerdo=cancelled, reason="Los temas se atendieron en la sesión ordinaria.")

    # --- Pilot programs (004 DÉCIMA PRIMERA) ---------------------------------------------------
    near_end = services.pilot_request(
        actor=isse_admin,
        agreement=main,
        requested_by=isse,
        title="Verificación en ventanilla única",
        requested_on=today - timedelta(days=175),
        request_file=_pdf("solicitud-piloto.pdf", "Solicitud de piloto"),
    )
    # Started 160 days ago: its six months end within the next 30 days (a real end date).
    services.pilot_start(actor=admin, pilot=near_end, starts_on=today - timedelta(days=160))
    services.pilot_request(
        actor=isse_admin,
        agreement=main,
        requested_by=isse,
        title="Consulta en línea para trámites",
        requested_on=today - timedelta(days=5),
        request_file=_pdf("solicitud-2.pdf", "Segunda solicitud"),
    )
    ended = services.pilot_request(
        actor=admin,
        agreement=main,
        requested_by=cesp,
        title="Carga nocturna de padrones",
        requested_on=today - timedelta(days=400),
        request_file=_pdf("solicitud-3.pdf", "Solicitud de carga"),
    )
    services.pilot_start(actor=admin, pilot=ended, starts_on=today - timedelta(days=390))
    services.pilot_extend(
        actor=admin,
        pilot=ended,
        ends_on=today - timedelta(days=150),
        reason="El proveedor entregó la infraestructura avalada dos meses tarde.",
        justification_file=_pdf("justificacion.pdf", "Circunstancias por escrito"),
    )
    services.pilot_end(actor=admin, pilot=ended, on=today - timedelta(days=150))

    # --- Consent evidence (004: traceable, verifiable, handed over on request) -----------------
    services.consent_processing_mark(
        actor=admin,
        agreement=main,
        responsible=isse,
        notes="El ISSE recaba el consentimiento expreso y por escrito y resguarda su respaldo.",
    )
    services.consent_request_create(
        actor=admin,
        agreement=main,
        requested_by=cesp,
        folios="CONS-2026-000123\nCONS-2026-000456",
        requested_on=today - timedelta(days=3),
        due_on=today + timedelta(days=10),
    )
    services.consent_request_create(
        actor=admin,
        agreement=main,
        requested_by=cesp,
        folios="CONS-2026-000077",
        requested_on=today - timedelta(days=30),
        due_on=today - timedelta(days=5),
    )
    answered = services.consent_request_create(
        actor=admin,
        agreement=main,
        requested_by=cesp,
        folios="CONS-2025-009901",
        requested_on=today - timedelta(days=60),
        due_on=today - timedelta(days=45),
    )
    services.consent_request_answer(
        actor=isse_admin,
        request=answered,
        files=[_pdf("consentimiento.pdf", "Consentimiento firmado")],
        answer="Se adjunta el consentimiento con firma autógrafa.",
    )
    withdrawn = services.consent_request_create(
        actor=admin,
        agreement=main,
        requested_by=cesp,
        folios="CONS-2025-000001",
        requested_on=today - timedelta(days=20),
        due_on=today + timedelta(days=2),
    )
    services.consent_request_withdraw(actor=admin, request=withdrawn)

    services.governance_daily(today=today)


def seed_incidents(ctx):
    """Incidents members reported (001 Cap. IV.1 VII–VIII): one just reported, one the commission
    acknowledged (both open on its dashboard) and one closed with a note."""
    from .models import Incident
    from .services_incidents import incident_acknowledge, incident_close, incident_report

    if Incident.objects.exists():
        return
    users = ctx["users"]
    admin, isse_admin, ims_admin = users["comision.admin"], users["inst1.admin"], users["inst2.admin"]
    isse, ims = ctx["member1"], ctx["member2"]
    now = timezone.now()
    incident_report(
        actor=isse_admin,
        institution=isse,
        kind=Incident.Kind.SECURITY,
        description="Se detectaron intentos de acceso con una cuenta dada de baja.",
        occurred_at=now - timedelta(hours=5),
        severity=Incident.Severity.HIGH,
        affected_systems="Portal de convenios; consulta de padrones",
    )
    slow = incident_report(
        actor=ims_admin,
        institution=ims,
        kind=Incident.Kind.PROBLEM,
        description="La carga quincenal tarda más de una hora en validarse.",
        occurred_at=now - timedelta(days=2),
        severity=Incident.Severity.MEDIUM,
        affected_systems="Suministro de información",
    )
    incident_acknowledge(incident=slow, actor=admin)
    closed = incident_report(
        actor=isse_admin,
        institution=isse,
        kind=Incident.Kind.PROBLEM,
        description="No llegaban los avisos por correo a la persona responsable.",
        occurred_at=now - timedelta(days=20),
        severity=Incident.Severity.LOW,
        affected_systems="Avisos por correo",
    )
    incident_acknowledge(incident=closed, actor=admin)
    incident_close(incident=closed, actor=admin, note="Se corrigió la dirección de correo registrada.")
