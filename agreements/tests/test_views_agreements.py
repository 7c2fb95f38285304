"""Scope, uploads, downloads and lists through the real views."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory, profile
from agreements import services
from agreements.models import Agreement, Document
from agreements.tests.factories import make_agreement, pdf_upload
from kernel.tests import hostile_files as hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(other_member):
    return UserFactory(institution=other_member, profile=profile("institution_admin"))


def test_institution_users_see_only_their_agreements(agreement, analyst, outsider, commission_admin, login, client):
    other = make_agreement(members=[outsider.institution], actor=commission_admin, title="Ajeno")
    login(analyst)
    listing = client.get(reverse("agreements:list")).content.decode()
    assert agreement.folio in listing and other.folio not in listing
    assert client.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("agreements:detail", args=[other.pk])).status_code == 404
    # The commission sees both (and the agreements that ground each factory account's basis).
    assert {agreement, other} <= set(Agreement.objects.visible_to(commission_admin))


def test_assigned_scope_sees_only_granted_agreements(agreement, member, commission_admin, login, client):
    from django.contrib.auth.models import Permission

    from accounts.models import Profile
    from accounts.services import assignment_grant, profile_create

    assigned = profile_create(
        actor=None,
        code="asignado",
        name="Consulta asignada",
        scope=Profile.Scope.ASSIGNED,
        permissions=list(Permission.objects.filter(codename__in=["view_agreement", "view_document"])),
    )
    user = UserFactory(institution=member, profile=assigned)
    other = make_agreement(members=[member], actor=commission_admin, title="Otro del mismo integrante")
    assert not Agreement.objects.visible_to(user).exists()  # party membership alone grants nothing
    assignment_grant(user=user, obj=agreement, actor=commission_admin)
    assert list(Agreement.objects.visible_to(user)) == [agreement]
    login(user)
    assert client.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
    assert client.get(reverse("agreements:detail", args=[other.pk])).status_code == 404


def test_list_filters_sorts_pages_and_exports_csv(commission, member, commission_admin, login, client):
    for n in range(23):
        make_agreement(
            members=[member],
            commission=commission,
            actor=commission_admin,
            folio=f"F-{n:02d}",
            term_kind="until_date",
            term_until=date(2030, 1, 1) if n else date.today(),
        )
    login(commission_admin)
    page1 = client.get(reverse("agreements:list"), {"orden": "folio"})
    assert page1.context["page"].paginator.count == 23 and len(page1.context["page"]) == 20
    assert client.get(reverse("agreements:list"), {"orden": "folio", "page": 2}).context["page"][2].folio == "F-22"
    soon = client.get(reverse("agreements:list"), {"expiring_soon": "true"}).context["page"]
    assert [a.folio for a in soon] == ["F-00"]
    exported = client.get(reverse("agreements:list"), {"q": "F-1", "formato": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Folio" and len(rows) == 11  # F-10..F-19 plus the header


def _upload(client, agreement, file):
    return client.post(
        reverse("agreements:document_upload", args=[agreement.pk]), {"kind": "annex", "title": "Anexo", "file": file}
    )


def test_a_renamed_executable_is_refused_with_a_clear_message(agreement, institution_admin, login, client):
    login(institution_admin)
    response = _upload(
        client, agreement, SimpleUploadedFile("anexo.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    )
    assert response.status_code == 200
    assert "no es de un tipo permitido" in response.content.decode()
    assert response.context["form"]["title"].value() == "Anexo"  # nothing lost
    assert not Document.objects.exists()


def test_an_html_file_is_refused(agreement, institution_admin, login, client):
    login(institution_admin)
    response = _upload(
        client, agreement, SimpleUploadedFile("anexo.html", b"<html><body>hola</body></html>", "text/html")
    )
    assert "no es de un tipo permitido" in response.content.decode()
    assert not Document.objects.exists()


def test_an_oversized_file_is_refused(agreement, institution_admin, login, client, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 2048
    login(institution_admin)
    response = _upload(
        client, agreement, SimpleUploadedFile("grande.pdf", b"%PDF-1.4\n" + b"0" * 4096, "application/pdf")
    )
    assert "máximo permitido es 2.0\xa0KB" in response.content.decode()
    assert not Document.objects.exists()


def test_a_pdf_that_runs_javascript_is_refused_with_the_reason_in_the_page(
    agreement, institution_admin, login, client, private_media
):
    login(institution_admin)
    response = _upload(client, agreement, pdf_upload("anexo.pdf", data=hostile.pdf_with_javascript()))
    assert response.status_code == 200
    assert "El PDF contiene JavaScript o acciones automáticas" in response.content.decode()
    assert not Document.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.pdf"))


def test_a_pdf_named_html_is_kept_and_downloaded_as_a_pdf(agreement, institution_admin, login, client, private_media):
    login(institution_admin)
    assert _upload(client, agreement, pdf_upload("letter.html")).status_code == 302
    document = Document.objects.get()
    assert document.file.name.endswith(".pdf") and document.original_name == "letter.pdf"
    download = client.get(reverse("agreements:document_download", args=[document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'


def test_an_accepted_file_is_downloadable_only_in_scope(
    agreement, institution_admin, analyst, outsider, commission_admin, client, login, private_media
):
    login(institution_admin)
    response = _upload(client, agreement, pdf_upload("Convenio Firmado.pdf"))
    assert response.status_code == 302
    document = Document.objects.get()
    assert len(document.sha256) == 64 and "Convenio" not in document.file.name
    assert (private_media / document.file.name).exists()
    url = reverse("agreements:document_download", args=[document.pk])
    for user in (analyst, commission_admin):
        client.logout()
        login(user)
        download = client.get(url)
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
    client.logout()
    login(outsider)
    assert client.get(url).status_code == 404


def test_officers_are_managed_only_for_the_own_party(agreement, institution_admin, outsider, login, client):
    member_party = agreement.parties.get(role="member")
    commission_party = agreement.parties.get(role="commission")
    data = {
        "role": "general",
        "full_name": "Nueva Enlace",
        "position": "Jefa",
        "phone": "81",
        "email": "n@prueba.gob.mx",
        "address": "Calle",
        "functions": "Seguimiento",
        "notified_on": "2026-11-20",
    }
    login(institution_admin)
    assert (
        client.get(reverse("agreements:officer_designate", args=[agreement.pk, commission_party.pk])).status_code == 404
    )
    response = client.post(reverse("agreements:officer_designate", args=[agreement.pk, member_party.pk]), data)
    assert response.status_code == 302
    assert member_party.officers.get().effective_from == date(2026, 11, 21)
    client.logout()
    login(outsider)
    assert client.get(reverse("agreements:officer_designate", args=[agreement.pk, member_party.pk])).status_code == 404


def test_only_the_commission_decides_signatories(member, institution_admin, commission_admin, login, client):
    from agreements.tests.factories import png_upload

    signatory = services.signatory_submit(
        institution=member,
        actor=institution_admin,
        full_name="A",
        position="B",
        rank="C",
        specimen_file=png_upload(),
        valid_from=date(2026, 1, 1),
        attested=True,
    )
    url = reverse("agreements:signatory_decide", args=[signatory.pk, "registrar"])
    login(institution_admin)
    assert client.post(url, {"note": ""}).status_code == 403
    client.logout()
    login(commission_admin)
    assert client.post(url, {"note": ""}).status_code == 302
    signatory.refresh_from_db()
    assert signatory.status == "registered"
    assert client.get(reverse("agreements:signatory_decide", args=[signatory.pk, "borrar"])).status_code == 404


def test_detail_page_shows_parties_officers_documents_obligations_and_history(
    agreement, commission_admin, login, client
):
    services.obligation_create(
        agreement=agreement,
        actor=commission_admin,
        party=agreement.parties.get(role="member"),
        description="Entrega mensual del padrón",
        schedule="monthly",
        business_days=12,
        starts_on=date(2026, 9, 1),
    )
    login(commission_admin)
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    for text in ("Partes y enlaces", "Entrega mensual del padrón", "Vencida", "Historial del convenio", "Documentos"):
        assert text in page


def test_an_analysts_search_is_logged_once_by_the_access_log(agreement, analyst, login, client):
    from audit.models import AccessEvent, Event

    login(analyst)
    events_before, accesses_before = Event.objects.count(), AccessEvent.objects.count()
    client.get(reverse("agreements:list"), {"q": "CONV", "status": "in_force"})
    assert AccessEvent.objects.count() == accesses_before + 1
    access = AccessEvent.objects.latest("id")
    assert (access.view_name, access.user_id) == ("agreements:list", analyst.pk)
    assert access.query == {"q": "CONV", "status": "in_force"}
    assert Event.objects.count() == events_before  # no second record of the same search


def test_obligation_form_runs_model_validation_and_says_what_is_missing(agreement):
    """The model's rules show as form errors on the field to fill (the form no longer skips them)."""
    from agreements.forms import ObligationForm

    party = agreement.parties.get(role="member")
    base = {"party": party.pk, "description": "Entrega", "starts_on": "2026-01-01"}
    dated = ObligationForm({**base, "schedule": "once"}, agreement=agreement)
    assert not dated.is_valid()
    assert dated.errors["due_on"] == ["Los compromisos en una fecha o anuales necesitan su fecha."]
    monthly = ObligationForm({**base, "schedule": "monthly"}, agreement=agreement)
    assert not monthly.is_valid()
    assert "business_days" in monthly.errors
    assert ObligationForm({**base, "schedule": "monthly", "business_days": "10"}, agreement=agreement).is_valid()


def test_officer_form_with_model_validation_still_accepts_an_empty_start_date(agreement):
    from agreements.forms import OfficerForm

    form = OfficerForm(
        {
            "role": "general",
            "full_name": "x" * 201,  # longer than the model allows
            "position": "Titular",
            "phone": "555",
            "email": "enlace@example.gob.mx",
            "address": "Calle 1",
            "functions": "Coordinar",
            "notified_on": "2026-01-05",
        }
    )
    assert not form.is_valid() and "full_name" in form.errors
    form = OfficerForm({**form.data, "full_name": "Enlace"})
    assert form.is_valid(), form.errors  # effective_from may stay empty: the service computes it
