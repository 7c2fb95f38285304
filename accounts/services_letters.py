"""Confidentiality letters (000, NOVENA and annex): the commission's template, the user's acceptance
at first sign-in, the stored PDF with folio and SHA-256, and the optional hand-signed scan."""

import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from kernel.documents import store_private
from kernel.evidence.models import EvidenceKind
from kernel.evidence.services import issue_pdf
from kernel.notifications.services import notify
from kernel.pdf import sha256_hex
from kernel.pdf_dates import long_date

from . import selectors
from .models import ConfidentialityLetter, LetterKind, LetterTemplate, OnboardingSettings, User
from .services import check_commission_actor

# Default texts, in the portal's own words; the commission edits them in the portal.
DEFAULT_TEMPLATES = {
    LetterKind.USER: (
        "Carta de confidencialidad de la persona usuaria",
        "Yo, {{ nombre_completo }}, con domicilio en {{ domicilio }}, número de servidor público "
        "{{ numero_servidor_publico }} y teléfono {{ telefono }}, me identifico con {{ identificacion }} "
        "folio {{ folio_identificacion }} y estoy adscrito(a) a {{ area_adscripcion }} de {{ institucion }}.\n\n"
        "Reconozco que la información a la que tendré acceso en la plataforma es confidencial y reservada, y "
        "me comprometo a usarla sólo para las funciones que tengo encomendadas, con responsabilidad, "
        "discreción, diligencia e imparcialidad.\n\n"
        "Sé que mi usuario y contraseña son únicos, personales e intransferibles, que cada acción que realice "
        "queda registrada en la bitácora con mi usuario y que puede ser supervisada por motivos de seguridad.\n\n"
        "No conservaré copias de la información ni la compartiré con personas ajenas a mi unidad, salvo que mis "
        "funciones lo exijan por instrucción de mis superiores. Cuando termine mi relación con la unidad, avisaré "
        "de inmediato para que se cancele mi cuenta.\n\n"
        "Sé que incumplir estas obligaciones puede dar lugar a responsabilidades administrativas y penales "
        "conforme a las leyes aplicables. Acepto esta carta el {{ fecha }} (folio {{ folio }}).",
    ),
    LetterKind.LINK_OFFICER: (
        "Carta de confidencialidad del enlace de la Comisión",
        "Yo, {{ nombre_completo }}, con domicilio en {{ domicilio }}, número de servidor público "
        "{{ numero_servidor_publico }} y teléfono {{ telefono }}, me identifico con {{ identificacion }} "
        "folio {{ folio_identificacion }} y funjo como enlace de {{ institucion }}, adscrito(a) a "
        "{{ area_adscripcion }}.\n\n"
        "Me obligo a resguardar los datos personales que las instituciones integrantes entreguen a la Comisión, "
        "a tratarlos sólo para los fines del convenio y a no revelarlos a terceros.\n\n"
        "Sé que todas mis acciones quedan registradas en la bitácora y que incumplir estas obligaciones puede "
        "dar lugar a responsabilidades administrativas y penales. Acepto esta carta el {{ fecha }} "
        "(folio {{ folio }}).",
    ),
}

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def letter_template_get(kind=LetterKind.USER) -> LetterTemplate:
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        title, body = DEFAULT_TEMPLATES[LetterKind(kind)]
        template = LetterTemplate.objects.create(kind=kind, title=title, body=body)
    return template


@transaction.atomic
def letter_template_save(*, template: LetterTemplate, actor, title: str, body: str) -> LetterTemplate:
    check_commission_actor(actor, "accounts.change_lettertemplate")  # the commission's templates
    unknown = set(PLACEHOLDER.findall(body)) - set(LetterTemplate.PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            _("El texto usa campos que no existen: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="unknown_placeholder",
        )
    template.title, template.body = title.strip(), body.strip()
    template.full_clean()
    template._history_user = actor  # type: ignore[attr-defined]
    template.save()
    record_event(category="business", action="letter_template_changed", actor=actor, target=template)
    return template


def render_letter_paragraphs(body: str, values: dict) -> list[str]:
    """The template's paragraphs with every placeholder replaced by its value.

    Plain text: the HTML and PDF templates escape it when they render it.
    """

    def fill(match):
        return str(values.get(match.group(1), ""))

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n")) if p.strip()]
    return [PLACEHOLDER.sub(fill, p) for p in paragraphs]


def letter_values(*, user, address, phone, id_document, id_folio, folio, when, kind=LetterKind.USER) -> dict:
    return {
        "nombre_completo": user.full_name,
        "domicilio": address,
        "numero_servidor_publico": user.public_servant_number,
        "telefono": phone,
        "identificacion": str(ConfidentialityLetter.IdDocument(id_document).label),
        "folio_identificacion": id_folio,
        "area_adscripcion": user.area,
        "institucion": user.institution.legal_name if user.institution_id else "",
        "fecha": long_date(when),
        "folio": folio,
    }


def letter_kinds_for(user) -> list:
    """The letters ``user`` signs here: the user letter. The commission link officer's letter for
    the data received (000 NOVENA) is signed per agreement and designation, in ``agreements``
    (``officer_letter_sign``); the older ``LINK_OFFICER`` kind stays readable, never signed anew."""
    return [LetterKind.USER]


def letter_preview(*, user, kind=LetterKind.USER, address="", phone="", id_document="ine", id_folio=""):
    template = letter_template_get(kind)
    values = letter_values(
        user=user,
        address=address or "____",
        phone=phone or user.phone or "____",
        id_document=id_document,
        id_folio=id_folio or "____",
        folio=_("(se asigna al aceptar)"),
        when=timezone.now(),
        kind=kind,
    )
    return template, render_letter_paragraphs(template.body, values)


@transaction.atomic
def letter_accept(
    *, user, address, phone, id_document, id_folio, ip=None, user_agent="", kind=LetterKind.USER
) -> ConfidentialityLetter:
    """Record the user's acceptance, render and store the PDF, and open the account.

    The account becomes active at once, unless the commission asks for the hand-signed scan: then
    it stays pending until a reviewer validates the scan.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if kind == LetterKind.USER and not user.awaits_letter:
        raise ValidationError(_("Esta cuenta no tiene una carta pendiente."), code="wrong_state")
    if kind == LetterKind.LINK_OFFICER:
        if not (user.institution_id and user.institution.is_commission):
            raise PermissionDenied
        raise ValidationError(
            _("La carta del enlace de la Comisión se firma por convenio, en «Cartas del enlace de la Comisión»."),
            code="per_agreement",
        )
    invalid = ConfidentialityLetter.ScanStatus.INVALID
    if ConfidentialityLetter.objects.filter(user=user, kind=kind).exclude(scan_status=invalid).exists():
        if kind == LetterKind.LINK_OFFICER or not user.awaits_letter:
            raise ValidationError(_("Ya aceptó esta carta."), code="already_accepted")
    fields = {"address": address, "phone": phone, "id_folio": id_folio}
    missing = [name for name, value in fields.items() if not (value or "").strip()]
    if missing or id_document not in ConfidentialityLetter.IdDocument.values:
        raise ValidationError(_("Complete domicilio, teléfono, identificación y folio."), code="incomplete")
    now = timezone.now()
    # "CONF-": a confidentiality letter's folio never shares the account changes' "CC-" (issue 21).
    folio = f"CONF-{timezone.localdate(now):%Y}-{uuid.uuid4().hex[:10].upper()}"
    template = letter_template_get(kind)
    values = letter_values(
        user=user, address=address, phone=phone, id_document=id_document, id_folio=id_folio, folio=folio, when=now
    )
    paragraphs = render_letter_paragraphs(template.body, values)
    # Signed by the commission, with a verification folio and QR code registered in this
    # transaction; the letter's SHA-256 is that of the signed bytes stored.
    issued = issue_pdf(
        kind=EvidenceKind.CONFIDENTIALITY_LETTER,
        template_name="pdf/confidentiality_letter.html",
        context={
            "title": template.title,
            "paragraphs": paragraphs,
            # The PDF cannot carry its own digest; it carries the digest of its text, and the
            # portal records the PDF's SHA-256 beside the stored file.
            "text_sha256": sha256_hex("\n".join([template.title, *paragraphs]).encode()),
            "values": values,
            "user": user,
            "folio": folio,
            "accepted_at": timezone.localtime(now),
            "ip": ip,
        },
    )
    pdf = issued.data
    name = default_storage.save(f"accounts/letters/{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    needs_scan = OnboardingSettings.load().require_signed_letter_scan and kind == LetterKind.USER
    letter = ConfidentialityLetter(
        folio=folio,
        user=user,
        kind=kind,
        institution=user.institution,
        full_name=user.full_name,
        address=address.strip(),
        public_servant_number=user.public_servant_number,
        phone=phone.strip(),
        id_document=id_document,
        id_folio=id_folio.strip(),
        area=user.area,
        template_title=template.title,
        sha256=sha256_hex(pdf),
        accepted_at=now,
        accepted_ip=ip,
        accepted_user_agent=(user_agent or "")[:500],
        scan_status=(
            ConfidentialityLetter.ScanStatus.PENDING_UPLOAD
            if needs_scan
            else ConfidentialityLetter.ScanStatus.NOT_REQUIRED
        ),
    )
    letter.pdf.name = name
    letter._history_user = user  # type: ignore[attr-defined]
    letter.save()
    if kind == LetterKind.USER and not needs_scan:
        _activate(user, actor=user)
    record_event(
        category="business",
        action="confidentiality_letter_accepted",
        actor=user,
        institution=user.institution,
        target=letter,
        detail={"folio": folio, "sha256": letter.sha256, "kind": kind},
    )
    return letter


def _activate(user, *, actor):
    user.activate()
    user._history_user = actor
    user.save(update_fields=["status", "status_changed_at"])


@transaction.atomic
def letter_scan_upload(*, letter: ConfidentialityLetter, actor, file) -> ConfidentialityLetter:
    letter = ConfidentialityLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.user_id != actor.pk:
        raise PermissionDenied
    if not letter.can_upload_scan:
        raise ValidationError(_("Esta carta no espera un escaneo firmado."), code="wrong_state")
    stored = store_private(file, folder="accounts/letters/scans", max_bytes=10 * 1024 * 1024)
    letter.upload_scan(name=stored.name, sha256=stored.sha256)
    letter._history_user = actor  # type: ignore[attr-defined]
    letter.save()
    record_event(category="business", action="letter_scan_uploaded", actor=actor, target=letter)
    notify(
        recipients=selectors.reviewers(),
        template="letter_scan_uploaded",
        context={"letter": letter},
        related=letter,
        channels=("inapp",),
    )
    return letter


@transaction.atomic
def letter_scan_review(*, letter: ConfidentialityLetter, actor, valid: bool, note: str = "") -> ConfidentialityLetter:
    from .services_onboarding import check_reviewer

    letter = ConfidentialityLetter.objects.select_for_update().select_related("user").get(pk=letter.pk)
    check_reviewer(actor, letter)
    if not letter.awaits_scan_review:
        raise ValidationError(_("No hay un escaneo pendiente de validar."), code="wrong_state")
    note = (note or "").strip()
    if not valid and not note:
        raise ValidationError(_("Explique por qué el escaneo no es válido."), code="note_required")
    if valid:
        letter.validate_scan(by=actor, note=note)
    else:
        letter.invalidate_scan(by=actor, note=note)
    letter._history_user = actor  # type: ignore[attr-defined]
    letter.save()
    if valid and letter.user.awaits_letter:
        _activate(letter.user, actor=actor)
    record_event(
        category="business", action="letter_scan_reviewed", actor=actor, target=letter, detail={"valid": valid}
    )
    notify(recipients=[letter.user], template="letter_scan_reviewed", context={"letter": letter}, related=letter)
    return letter


def pending_letter_step(user):
    """What a pending user must do next: 'accept' the letter or 'scan' (upload / wait), or None."""
    if not user.awaits_letter:
        return None
    letter = ConfidentialityLetter.objects.filter(user=user, kind=LetterKind.USER).order_by("-accepted_at").first()
    if letter is None:
        return "accept"
    return "scan"
