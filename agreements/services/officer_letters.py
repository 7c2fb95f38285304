"""The commission's link officer signs for the data received (000 NOVENA).

"LA COMISIÓN, a través del enlace designado, suscribirá la carta de confidencialidad respecto de
los datos personales proporcionados" by the member institution. Each designation of a commission
officer owes one letter (a substitute owes their own); the officer signs it in the portal from the
account the commission linked to the designation. The letter is rendered as a PDF signed by the
portal, with a verification folio and QR code (``kernel.evidence``), and stored with who signed
and when.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kernel.evidence.models import EvidenceKind
from kernel.evidence.services import issue_pdf
from kernel.notifications.services import notify
from kernel.pdf import sha256_hex
from kernel.pdf_dates import long_date

from ..models import AgreementParty, Document, Institution, LinkOfficer, OfficerLetter
from .common import _check_actor, _event, _files_removed_on_failure, _save
from .documents import _document_upload

LETTER_TITLE = "Carta de confidencialidad del enlace de la Comisión sobre los datos personales recibidos"


def officer_accounts():
    """The accounts a commission officer may be linked to: the commission's active accounts."""
    users = get_user_model()
    return users._default_manager.filter(
        institution__kind=Institution.Kind.COMMISSION, is_active=True, status=users.Status.ACTIVE
    ).order_by("paternal_surname", "given_names", "username")


def check_officer_account(*, party: AgreementParty, account) -> None:
    """Only the commission's officers get an account, and only an active commission account."""
    if account is None:
        return
    if party.institution.kind != Institution.Kind.COMMISSION:
        raise ValidationError({"account": _("Sólo el enlace de la Comisión se vincula con una cuenta del portal.")})
    if not officer_accounts().filter(pk=account.pk).exists():
        raise ValidationError({"account": _("Elija una cuenta activa de la Comisión.")})


def notify_letter_due(officer: LinkOfficer) -> None:
    """Tell the officer's account that the letter for the data received awaits their signature."""
    if officer.account_id is None or not officer.owes_data_letter():
        return
    notify(
        recipients=[officer.account],
        template="officer_letter_due",
        context={"officer": officer, "agreement": officer.party.agreement},
        related=officer.party.agreement,
        # The page where the officer reads and signs: an account whose profile does not reach
        # the agreement's page still reaches its own letters.
        link=reverse("agreements:officer_letters"),
    )


@transaction.atomic
def officer_account_set(*, officer: LinkOfficer, actor, account) -> LinkOfficer:
    """Link (or unlink) the portal account of a commission officer not yet replaced."""
    party = officer.party
    _check_actor(actor, "agreements.add_linkofficer", agreement=party.agreement, institution=party.institution)
    officer = (
        LinkOfficer.objects.select_for_update(of=("self",)).select_related("party__institution").get(pk=officer.pk)
    )
    if officer.effective_until is not None and officer.effective_until < timezone.localdate():
        raise ValidationError(_("Este enlace ya fue sustituido."))
    check_officer_account(party=officer.party, account=account)
    if officer.account_id == (account.pk if account else None):
        return officer
    officer.account = account
    _save(officer, actor)
    _event(
        "officer_account_linked",
        actor=actor,
        target=party.agreement,
        institution=party.institution,
        username=account.get_username() if account else "",
    )
    notify_letter_due(officer)
    return officer


def member_names(agreement) -> list[str]:
    return [
        p.institution.legal_name
        for p in agreement.parties.select_related("institution").order_by("pk")
        if p.institution.kind != Institution.Kind.COMMISSION
    ]


def _joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} y {names[-1]}"


def letter_paragraphs(*, officer: LinkOfficer, when, username: str) -> list[str]:
    """The letter's text, in Spanish (the PDF is the legal document; it is never translated)."""
    agreement = officer.party.agreement
    names = member_names(agreement)
    members = _joined(names) or "las instituciones integrantes"
    delivers = "entregue" if len(names) == 1 else "entreguen"
    commission = officer.party.institution.legal_name
    with translation.override("es"):  # the role's label, whatever the signer's interface language
        role = officer.get_role_display().lower()
    return [
        f"Yo, {officer.full_name}, {officer.position}, designado(a) por {commission} como "
        f"{role} del convenio {agreement.folio} «{agreement.title}», "
        f"celebrado con {members}, suscribo esta carta en nombre de la Comisión.",
        f"Los datos personales que {members} {delivers} a la Comisión con motivo de este convenio, los "
        "registros que suministre a la plataforma y la información que se obtenga de ellos son "
        "confidenciales. Me obligo a resguardarlos, a tratarlos únicamente para los fines del convenio y "
        "de las funciones de seguridad pública que lo motivan, y a no revelarlos, transmitirlos ni "
        "permitir que los consulten personas ajenas a esos fines.",
        "Cuidaré que el personal de la Comisión que tenga acceso a esos datos conozca y cumpla estas "
        "obligaciones, avisaré sin demora a la institución que los proporcionó de cualquier incidente "
        "que los afecte, y sé que incumplirlas puede dar lugar a responsabilidades administrativas y "
        "penales conforme a las leyes aplicables.",
        f"Mi designación surte efectos desde el {long_date(officer.effective_from)}. Firmo esta carta "
        f"el {long_date(when)}, desde mi cuenta {username} del portal.",
    ]


def _document_title(officer) -> str:
    with translation.override("es"):
        return _("Carta de confidencialidad de %(name)s (enlace de la Comisión)") % {"name": officer.full_name}


def officer_letter_sign(*, officer: LinkOfficer, actor, ip: str | None = None) -> OfficerLetter:
    """The officer signs the letter for the data received: only from the account linked to their
    designation, once per designation, while not replaced."""
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        officer = (
            LinkOfficer.objects.select_for_update(of=("self",))
            .select_related("party__institution", "party__agreement", "account")
            .get(pk=officer.pk)
        )
        if not (actor is not None and actor.is_authenticated and actor.is_active and officer.account_id == actor.pk):
            raise PermissionDenied
        if OfficerLetter.objects.filter(officer=officer).exists():
            raise ValidationError(
                _("Ya firmó la carta de confidencialidad de esta designación."), code="already_signed"
            )
        if not officer.owes_data_letter():
            raise ValidationError(_("Esta designación ya no está en funciones."), code="wrong_state")
        agreement = officer.party.agreement
        now = timezone.now()
        paragraphs = letter_paragraphs(officer=officer, when=now, username=actor.get_username())
        # Signed by the portal, with a verification folio and QR code registered in this transaction.
        issued = issue_pdf(
            kind=EvidenceKind.CONFIDENTIALITY_LETTER,
            template_name="pdf/officer_data_letter.html",
            context={
                "title": LETTER_TITLE,
                "paragraphs": paragraphs,
                "text_sha256": sha256_hex("\n".join([LETTER_TITLE, *paragraphs]).encode()),
                "agreement": agreement,
                "officer": officer,
                "members": member_names(agreement),
                "signer": actor,
                "signed_at": timezone.localtime(now),
                "ip": ip,
            },
        )
        document = _document_upload(
            actor=actor,
            institution=officer.party.institution,
            agreement=agreement,
            kind=Document.Kind.OFFICER_LETTER,
            # Stored in Spanish, like the letter itself, whatever the signer's interface language.
            title=_document_title(officer),
            file=ContentFile(issued.data, name=f"carta-enlace-{issued.folio}.pdf"),
        )
        stored_names.append(document.file.name)
        letter = OfficerLetter(
            officer=officer,
            agreement=agreement,
            signed_by=actor,
            signed_at=now,
            signed_ip=ip,
            folio=issued.folio,
            document=document,
        )
        _save(letter, actor)
        _event(
            "officer_letter_signed",
            actor=actor,
            target=agreement,
            institution=officer.party.institution,
            folio=issued.folio,
            sha256=issued.sha256,
        )
        return letter
