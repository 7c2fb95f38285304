"""The commission's link officer signs for the data received (000 NOVENA, first paragraph).

A designated commission officer owes a confidentiality letter; only the account linked to the
designation signs it; a substitute owes a new one; the agreement page shows it pending, then signed.
"""

import re
import subprocess
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory, profile
from agreements import services
from agreements.models import Document, OfficerLetter
from conftest import require_binary
from kernel.evidence.models import IssuedDocument
from kernel.evidence.services import verification_url
from kernel.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_account(commission):
    return UserFactory(
        institution=commission,
        profile=profile("commission_reviewer"),
        username="enlace.comision",
        given_names="Jorge",
        paternal_surname="Salinas",
    )


def _designate(agreement, actor, *, account, name="Jorge Salinas Treviño", notified_on=date(2026, 1, 20)):
    party = agreement.parties.get(role="commission")
    return services.officer_designate(
        party=party,
        actor=actor,
        role="general",
        full_name=name,
        position="Coordinador de la Plataforma",
        phone="8181818181",
        email="enlace@example.mx",
        address="Av. Constitución 100, Monterrey",
        functions="Recepción de cargas.",
        notified_on=notified_on,
        account=account,
    )


def _pdf_text(document, tmp_path):
    path = tmp_path / "carta.pdf"
    with document.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return subprocess.run(
        [require_binary("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_designated_officer_signs_a_signed_pdf_with_folio(agreement, commission_admin, officer_account, tmp_path):
    officer = _designate(agreement, commission_admin, account=officer_account)
    # Designated with an account: the account is told the letter awaits its signature.
    told = Notification.objects.filter(template="officer_letter_due", recipient=officer_account)
    assert told.exists() and agreement.folio in told.first().subject
    assert officer.owes_data_letter()

    letter = services.officer_letter_sign(officer=officer, actor=officer_account, ip="10.0.0.7")

    assert (letter.officer, letter.agreement, letter.signed_by) == (officer, agreement, officer_account)
    assert letter.signed_ip == "10.0.0.7" and not officer.owes_data_letter()
    assert letter.document.kind == Document.Kind.OFFICER_LETTER and letter.document.agreement == agreement
    record = IssuedDocument.objects.get(folio=letter.folio)
    assert record.sha256 == letter.document.sha256
    text = _pdf_text(letter.document, tmp_path)
    flat = re.sub(r"\s+", " ", text)
    assert letter.folio in text and verification_url(letter.folio) in re.sub(r"\s+", "", text)
    assert agreement.folio in flat and officer.full_name in flat
    member = agreement.parties.get(role="member").institution
    assert member.legal_name in flat and "datos personales" in flat
    assert re.search(r"\d{1,2} de [a-z]+ de 20\d\d", flat)  # dates through fecha_larga
    assert letter.history.count() == 1
    with pytest.raises(ValidationError, match="Ya firmó"):
        services.officer_letter_sign(officer=officer, actor=officer_account)


def test_another_user_cannot_sign_for_the_officer(agreement, commission_admin, officer_account):
    officer = _designate(agreement, commission_admin, account=officer_account)
    for intruder in (commission_admin, UserFactory(institution=agreement.parties.get(role="member").institution)):
        with pytest.raises(PermissionDenied):
            services.officer_letter_sign(officer=officer, actor=intruder)
    assert not OfficerLetter.objects.exists()


def test_only_an_active_commission_account_may_be_linked(agreement, commission_admin, officer_account):
    outsider = UserFactory(institution=agreement.parties.get(role="member").institution)
    with pytest.raises(ValidationError):
        _designate(agreement, commission_admin, account=outsider)
    member_party = agreement.parties.get(role="member")
    with pytest.raises(ValidationError):
        services.officer_designate(
            party=member_party,
            actor=commission_admin,
            role="general",
            full_name="Ana",
            position="Directora",
            phone="1",
            email="a@example.mx",
            address="Calle 1",
            functions="Seguimiento",
            notified_on=date(2026, 1, 20),
            account=officer_account,
        )


def test_a_new_officer_after_a_substitution_owes_a_new_letter(agreement, commission_admin, officer_account, commission):
    first = _designate(agreement, commission_admin, account=officer_account, notified_on=date(2026, 1, 20))
    services.officer_letter_sign(officer=first, actor=officer_account)
    second_account = UserFactory(institution=commission, profile=profile("commission_admin"), username="enlace.nuevo")
    second = _designate(
        agreement, commission_admin, account=second_account, name="Laura Nuevo", notified_on=date(2026, 2, 10)
    )
    first.refresh_from_db()
    assert first.effective_until is not None and not first.owes_data_letter()
    assert second.owes_data_letter()
    # The first officer's letter does not cover the substitute, nor can the first account sign it.
    with pytest.raises(PermissionDenied):
        services.officer_letter_sign(officer=second, actor=officer_account)
    services.officer_letter_sign(officer=second, actor=second_account)
    assert OfficerLetter.objects.filter(agreement=agreement).count() == 2


def test_the_agreement_page_shows_the_letter_pending_then_signed(client, agreement, commission_admin, officer_account):
    officer = _designate(agreement, commission_admin, account=None)
    client.force_login(commission_admin)
    url = reverse("agreements:detail", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert "Carta de confidencialidad pendiente" in page and "sin cuenta vinculada" in page

    response = client.post(
        reverse("agreements:officer_account", args=[agreement.pk, officer.party_id]),
        {"officer": officer.pk, "account": officer_account.pk},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(template="officer_letter_due", recipient=officer_account).exists()
    page = client.get(url).content.decode()
    assert "Carta de confidencialidad pendiente" in page and "enlace.comision" in page

    letter = services.officer_letter_sign(officer=officer, actor=officer_account)
    page = client.get(url).content.decode()
    assert "Carta de confidencialidad firmada" in page and letter.folio in page
    assert reverse("agreements:document_download", args=[letter.document_id]) in page


def test_the_letter_is_spanish_whatever_the_signers_language(agreement, commission_admin, officer_account):
    """The letter is the legal document: an officer using the English interface signs Spanish
    text (the role's label included), and the verb agrees with the members named."""
    from django.utils import timezone, translation

    from agreements.services.officer_letters import letter_paragraphs

    officer = _designate(agreement, commission_admin, account=officer_account)
    with translation.override("en"):
        text = " ".join(letter_paragraphs(officer=officer, when=timezone.now(), username="enlace.comision"))
    assert "como enlace general del convenio" in text and "link officer" not in text
    assert re.search(r"Los datos personales que .+ entregue a la Comisión", text)
    with translation.override("en"):
        services.officer_letter_sign(officer=officer, actor=officer_account)
    assert Document.objects.get(kind=Document.Kind.OFFICER_LETTER).title.startswith("Carta de confidencialidad de")
