"""Confidentiality letter (000, NOVENA and annex): acceptance, stored PDF, optional signed scan."""

import hashlib
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from accounts import services_letters as letters
from accounts.models import ConfidentialityLetter, LetterKind, OnboardingSettings, User
from accounts.tests.factories import UserFactory, pdf_upload, profile
from conftest import require_binary

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(member):
    return UserFactory(
        institution=member,
        status=User.Status.PENDING_LETTER,
        given_names="Begoña",
        paternal_surname="Muñoz",
        maternal_surname="Téllez",
        public_servant_number="SP-4411",
        area="Unidad de Análisis Táctico",
    )


def accept(user, **overrides):
    data = {
        "user": user,
        "address": "Calle Álamo 12, Col. Peñitas, Monterrey",
        "phone": "81 5555 0101",
        "id_document": "ine",
        "id_folio": "IDMEX1234567",
        "ip": "10.0.0.7",
        "user_agent": "Pruebas/1.0",
    }
    data.update(overrides)
    return letters.letter_accept(**data)


def test_accepting_stores_pdf_with_folio_sha256_and_activates(pending):
    letter = accept(pending)
    pending.refresh_from_db()
    assert pending.status == User.Status.ACTIVE
    assert letter.folio.startswith("CONF-")  # not the account changes' "CC-"
    with default_storage.open(letter.pdf.name, "rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    assert letter.accepted_ip == "10.0.0.7" and letter.accepted_user_agent == "Pruebas/1.0"
    assert letter.full_name == "Begoña Muñoz Téllez"
    assert letter.scan_status == ConfidentialityLetter.ScanStatus.NOT_REQUIRED


def test_pdf_text_carries_the_annex_fields_with_accents(pending, tmp_path):
    pdftotext = require_binary("pdftotext")
    letter = accept(pending)
    path = tmp_path / "carta.pdf"
    with default_storage.open(letter.pdf.name, "rb") as fh:
        path.write_bytes(fh.read())
    text = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    for expected in (
        "Begoña Muñoz Téllez",
        "Calle Álamo 12, Col. Peñitas",
        "SP-4411",
        "81 5555 0101",
        "IDMEX1234567",
        "Unidad de Análisis Táctico",
        letter.folio,
        "Credencial para votar",
    ):
        assert expected in text, expected


def test_accepting_twice_is_refused(pending):
    accept(pending)
    with pytest.raises(ValidationError):
        accept(pending)


def test_missing_fields_refused(pending):
    with pytest.raises(ValidationError):
        accept(pending, address=" ")
    pending.refresh_from_db()
    assert pending.status == User.Status.PENDING_LETTER


def test_commission_template_edits_apply_to_new_letters(pending, commission_admin, inst_admin):
    template = letters.letter_template_get(LetterKind.USER)
    letters.letter_template_save(
        template=template,
        actor=commission_admin,
        title="Carta editada por la Comisión",
        body="Yo, {{ nombre_completo }}, acepto el texto nuevo.\n\nSegundo párrafo con <b>etiquetas</b>.",
    )
    _template, paragraphs = letters.letter_preview(user=pending)
    assert paragraphs[0] == "Yo, Begoña Muñoz Téllez, acepto el texto nuevo."
    with pytest.raises(ValidationError):
        letters.letter_template_save(template=template, actor=commission_admin, title="x", body="{{ contrasena }}")
    with pytest.raises(PermissionDenied):
        letters.letter_template_save(template=template, actor=inst_admin, title="x", body="y")
    letter = accept(pending)
    assert letter.template_title == "Carta editada por la Comisión"


def test_the_signed_scan_setting_tells_the_commission_the_account_stays_inactive():
    """The setting's help text says what the test below shows: no access until the scan is valid."""
    from accounts.forms_onboarding import OnboardingSettingsForm

    help_text = str(OnboardingSettingsForm().fields["require_signed_letter_scan"].help_text)
    assert "queda inactiva hasta que la Comisión valide" in help_text


def test_signed_scan_required_keeps_account_pending_until_validated(pending, reviewer):
    settings = OnboardingSettings.load()
    settings.require_signed_letter_scan = True
    settings.save()
    letter = accept(pending)
    pending.refresh_from_db()
    assert pending.status == User.Status.PENDING_LETTER
    assert letter.scan_status == ConfidentialityLetter.ScanStatus.PENDING_UPLOAD
    assert letters.pending_letter_step(pending) == "scan"

    with pytest.raises(ValidationError):
        letters.letter_scan_review(letter=letter, actor=reviewer, valid=True)  # nothing uploaded yet
    letters.letter_scan_upload(letter=letter, actor=pending, file=pdf_upload("carta-firmada.pdf"))
    with pytest.raises(ValidationError):
        letters.letter_scan_review(letter=letter, actor=reviewer, valid=False, note="")
    letters.letter_scan_review(letter=letter, actor=reviewer, valid=False, note="Falta la huella")
    letter.refresh_from_db()
    assert letter.scan_status == ConfidentialityLetter.ScanStatus.INVALID
    pending.refresh_from_db()
    assert pending.status == User.Status.PENDING_LETTER

    letters.letter_scan_upload(letter=letter, actor=pending, file=pdf_upload("carta-firmada-2.pdf"))
    letters.letter_scan_review(letter=letter, actor=reviewer, valid=True)
    pending.refresh_from_db()
    assert pending.status == User.Status.ACTIVE


def test_nobody_validates_the_scan_of_their_own_letter(commission, reviewer):
    settings = OnboardingSettings.load()
    settings.require_signed_letter_scan = True
    settings.save()
    newcomer = UserFactory(
        institution=commission, profile=profile("commission_reviewer"), status=User.Status.PENDING_LETTER
    )
    letter = accept(newcomer)
    letters.letter_scan_upload(letter=letter, actor=newcomer, file=pdf_upload())
    with pytest.raises(PermissionDenied):
        letters.letter_scan_review(letter=letter, actor=newcomer, valid=True)
    letters.letter_scan_review(letter=letter, actor=reviewer, valid=True)  # a colleague of the commission may
    newcomer.refresh_from_db()
    assert newcomer.status == User.Status.ACTIVE


def test_the_old_link_officer_variant_is_no_longer_signed_here(commission, member, client):
    """The link officer's letter for the data received is signed per agreement and designation
    (agreements' ``officer_letter_sign``), so the older account-wide variant is refused, and its
    old address leads to the per-agreement page."""
    officer = UserFactory(institution=commission, profile=profile("commission_admin"), given_names="Íñigo")
    with pytest.raises(ValidationError, match="Cartas del enlace"):
        accept(officer, kind=LetterKind.LINK_OFFICER)
    assert not ConfidentialityLetter.objects.filter(user=officer).exists()
    member_user = UserFactory(institution=member)
    with pytest.raises(PermissionDenied):
        accept(member_user, kind=LetterKind.LINK_OFFICER)
    client.force_login(officer)
    from django.urls import reverse

    assert client.get(reverse("onboarding:letter_link_officer"))["Location"] == reverse("agreements:officer_letters")


def test_the_signed_scan_notices_link_each_reader_to_the_page_they_may_open(pending, reviewer, client):
    """The reviewer is led to the scan's review, the letter's owner to "Mis cartas" (issue 21)."""
    from django.urls import reverse

    from kernel.notifications.models import Notification

    settings = OnboardingSettings.load()
    settings.require_signed_letter_scan = True
    settings.save()
    letter = accept(pending)
    letters.letter_scan_upload(letter=letter, actor=pending, file=pdf_upload("carta-firmada.pdf"))
    uploaded = Notification.objects.get(template="letter_scan_uploaded", recipient=reviewer)
    assert uploaded.link == reverse("onboarding:letter_scan_review", args=[letter.pk])
    client.force_login(reviewer)
    assert client.get(uploaded.link).status_code == 200

    letters.letter_scan_review(letter=letter, actor=reviewer, valid=True)
    reviewed = Notification.objects.filter(template="letter_scan_reviewed", recipient=pending).first()
    assert reviewed.link == reverse("onboarding:letter_mine")
    client.force_login(pending)
    assert client.get(reviewed.link).status_code == 200
