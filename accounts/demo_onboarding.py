"""Demo onboarding data: account requests in every state (one overdue, one returned), account
changes (one late cancellation) and the default letter templates. Idempotent; invented names."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from kernel.sample_files import pdf_bytes

from . import services_changes as changes
from . import services_letters as letters
from . import services_onboarding as onboarding
from .models import AccountChangeRequest, AccountRequest, LetterKind, Profile, RequiredDocument

S = AccountRequest.Status
OVERDUE = "overdue"  # submitted ten days ago: a scenario of the demo, not a state of its own
ACTIVATED = "activated"  # approved, and the person accepted the confidentiality letter: an active account

# given names, surnames, CURP head (4 letters + birth yymmdd + sex), position, final state
PEOPLE = [
    ("Lucía", "Ortega", "Ruiz", "OERL930412M", "Analista de padrones", S.DRAFT),
    ("Héctor", "Zamora", "Leal", "ZALH880130H", "Jefe de Departamento", S.SUBMITTED),
    ("Irene", "Cavazos", "Peña", "CAPI900725M", "Analista de información", OVERDUE),
    ("Joaquín", "Treviño", "Garza", "TEGJ851109H", "Coordinador de Análisis", S.RETURNED),
    ("Sofía", "Medina", "Lara", "MELS920304M", "Analista táctica", S.APPROVED),
    ("Ramiro", "Escobedo", "Sáenz", "EOSR790618H", "Asesor externo", S.REJECTED),
    ("Daniela", "Fuentes", "Rocha", "FURD960201M", "Auxiliar administrativa", S.WITHDRAWN),
    ("Marcela", "Villarreal", "Soto", "VISM940817M", "Analista de datos", ACTIVATED),
]


def _curp(head: str, n: int) -> str:
    body = f"{head}NL{'BCDFGHJKLMNPQRSTVWXZ'[n % 20]}RR0"
    return body + stdnum_curp.calc_check_digit(body)


def _rfc(curp: str) -> str:
    base = curp[:10] + "D1"
    return base + stdnum_rfc.calc_check_digit(base)


def _change_documents(institution):
    """The signed letter and profile catalog form a change request carries (000, NOVENA)."""
    from agreements.models import Signatory

    return {
        "signatory": Signatory.objects.current().filter(institution=institution).first(),
        "letter": SimpleUploadedFile("oficio.pdf", pdf_bytes("Oficio de solicitud de cambio"), "application/pdf"),
        "catalog_form": SimpleUploadedFile(
            "catalogo.pdf", pdf_bytes("Formato de catalogo de perfil"), "application/pdf"
        ),
    }


def _upload_all(req, actor, issued):
    for requirement in RequiredDocument.objects.filter(active=True):
        onboarding.account_request_upload_document(
            request=req,
            actor=actor,
            requirement=requirement,
            file=SimpleUploadedFile(f"{requirement.code}.pdf", pdf_bytes(requirement.name), "application/pdf"),
            issue_date=issued if requirement.is_dated else None,
        )


def seed(ctx):
    for kind in LetterKind.values:
        letters.letter_template_get(kind)
    if AccountRequest.objects.exists():
        return
    from agreements.models import Agreement, Signatory

    users = ctx["users"]
    admin, reviewer = users["inst1.admin"], users["comision.revisor"]
    isse = ctx["member1"]
    agreement = Agreement.objects.filter(status=Agreement.Status.IN_FORCE, parties__institution=isse).first()
    signatory = Signatory.objects.current().filter(institution=isse).first()
    analyst = Profile.objects.get(code="analyst")
    now = timezone.now()
    issued = timezone.localdate() - timedelta(days=20)
    created = {}
    for n, (given, paternal, maternal, head, position, state) in enumerate(PEOPLE):
        curp = _curp(head, n)
        req = onboarding.account_request_create(
            institution=isse,
            actor=admin,
            data={
                "given_names": given,
                "paternal_surname": paternal,
                "maternal_surname": maternal,
                "curp": curp,
                "rfc": _rfc(curp),
                "email": f"{given.lower().replace('í', 'i').replace('é', 'e').replace('ó', 'o')}.{n}@isse.demo.gob.mx",
                "phone": "81 2020 1100",
                "extension": f"{200 + n}",
                "public_servant_number": f"ISSE-{3100 + n}",
                "position": position,
                "area": "Dirección de Análisis de Información",
                "requested_profile": analyst,
                "justification": "Consulta de registros para la atención de casos (demostración).",
                "agreement": agreement,
                "signatory": signatory,
            },
        )
        created[state] = req
        if "systems" in ctx:
            req.systems.set([ctx["systems"]["platform"]])  # the platform the person needs
        if state == S.DRAFT:
            continue
        _upload_all(req, admin, issued)
        if state == S.WITHDRAWN:
            onboarding.account_request_withdraw(request=req, actor=admin)
            continue
        # The overdue one was filed ten days ago: its three business days are long gone.
        submitted_at = now - timedelta(days=10) if state == OVERDUE else now
        onboarding.account_request_submit(request=req, actor=admin, now=submitted_at)
        req.refresh_from_db()
        if state == S.RETURNED:
            letter_doc = req.documents.get(requirement__code=RequiredDocument.REQUEST_LETTER)
            onboarding.request_document_check(
                document=letter_doc, actor=reviewer, valid=False, note="El oficio no trae la firma autorizada."
            )
            onboarding.account_request_return(
                request=req, actor=reviewer, reason="Cargue el oficio firmado por la firma registrada."
            )
        elif state == S.REJECTED:
            onboarding.account_request_reject(
                request=req, actor=reviewer, reason="La persona no pertenece a la plantilla de la institución."
            )
        elif state in (S.APPROVED, ACTIVATED):
            for doc in req.documents.all():
                onboarding.request_document_check(document=doc, actor=reviewer, valid=True)
            onboarding.account_request_approve(request=req, actor=reviewer)
            if state == ACTIVATED:
                req.refresh_from_db()
                letters.letter_accept(
                    user=req.account,
                    address="Av. Juárez 200, Centro, Monterrey, N.L.",
                    phone="81 2020 1107",
                    id_document="ine",
                    id_folio="DEMO-0002",
                )

    # Account changes: a late cancellation of the newly approved account, a suspension at IMS.
    approved_user = AccountRequest.objects.get(pk=created[S.APPROVED].pk).account
    if approved_user is not None:
        changes.account_change_request(
            user=approved_user,
            actor=admin,
            kind=AccountChangeRequest.Kind.CANCELLATION,
            reason="Dejó la institución antes de activar su cuenta.",
            left_at=now - timedelta(days=3),
            **_change_documents(isse),
        )
    suspension = changes.account_change_request(
        user=users["inst2.analista"],
        actor=users["inst2.admin"],
        kind=AccountChangeRequest.Kind.SUSPENSION,
        reason="Licencia sin goce de sueldo por seis meses.",
        **_change_documents(users["inst2.admin"].institution),
    )
    # The reviewer is half way: the letter accepted, the catalog form observed (every check state).
    letter, form = (suspension.documents.get(kind=k) for k in ("letter", "catalog_form"))
    changes.change_document_check(document=letter, actor=reviewer, valid=True)
    changes.change_document_check(
        document=form, actor=reviewer, valid=False, note="Falta la firma de la persona usuaria."
    )
    ctx["account_requests"] = created
    # The commission changes its catalog after these requests (000, DÉCIMA): an optional document.
    onboarding.required_document_save(
        document=RequiredDocument(
            code="constancia-capacitacion",
            name="Constancia de capacitación en protección de datos",
            description="Opcional: acredita el curso de manejo de datos personales.",
            mandatory=False,
            position=90,
        ),
        actor=users["comision.admin"],
    )
