"""Views: scope (another institution's request is 404), the forced letter step, downloads."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts import services_letters as letters
from accounts import services_onboarding as svc
from accounts.models import AccountRequest, User
from accounts.tests.factories import UserFactory, profile, request_change, valid_curp

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(inst_admin):
    return svc.account_request_create(
        institution=inst_admin.institution,
        actor=inst_admin,
        data={"given_names": "Íker", "paternal_surname": "Zúñiga", "curp": valid_curp(9100)},
    )


def test_institution_admin_creates_a_draft_in_the_browser_form(inst_admin, login, agreement, signatory):
    client = login(inst_admin)
    response = client.get(reverse("onboarding:account_request_create"))
    html = response.content.decode()
    assert agreement.folio in html and signatory.full_name in html
    bad = client.post(
        reverse("onboarding:account_request_create"), {"given_names": "Ana", "paternal_surname": "Ruiz", "curp": "XX"}
    )
    assert bad.status_code == 200
    assert "La CURP debe tener 18 caracteres." in bad.content.decode()
    assert 'value="Ana"' in bad.content.decode()  # nothing lost on bad input
    ok = client.post(
        reverse("onboarding:account_request_create"),
        {"given_names": "Ana", "paternal_surname": "Ruiz", "curp": valid_curp(9101).lower()},
    )
    req = AccountRequest.objects.get(given_names="Ana")
    assert ok.status_code == 302 and ok.url == reverse("onboarding:account_request_detail", args=[req.pk])
    detail = client.get(ok.url).content.decode()
    assert "Falta el documento «Oficio de solicitud»." in detail


def test_other_institution_gets_404(draft, other_member, login):
    outsider = UserFactory(institution=other_member, profile=profile("institution_admin"))
    client = login(outsider)
    for name in (
        "onboarding:account_request_detail",
        "onboarding:account_request_edit",
        "onboarding:account_request_curu",
    ):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    assert client.post(reverse("onboarding:account_request_submit", args=[draft.pk])).status_code == 404


def test_analyst_sees_nothing_of_onboarding(draft, member, login):
    analyst = UserFactory(institution=member, profile=profile("analyst"))
    client = login(analyst)
    assert client.get(reverse("onboarding:account_request_list")).status_code == 403
    assert client.get(reverse("onboarding:account_request_detail", args=[draft.pk])).status_code == 403
    assert client.get(reverse("onboarding:review_queue")).status_code == 403
    assert client.get(reverse("onboarding:account_change_list")).status_code == 403


def test_reviewer_sees_all_and_queue_is_ordered_by_due_date(draft, reviewer, inst_admin, member, login):
    older = AccountRequest.objects.create(
        institution=member,
        created_by=inst_admin,
        given_names="Primera",
        paternal_surname="Vencida",
        curp=valid_curp(9102),
        status="submitted",
        submitted_at="2026-01-05T10:00:00-06:00",
        due_date="2026-01-08",
    )
    newer = AccountRequest.objects.create(
        institution=member,
        created_by=inst_admin,
        given_names="Segunda",
        paternal_surname="Reciente",
        curp=valid_curp(9103),
        status="submitted",
        submitted_at="2026-11-20T10:00:00-06:00",
        due_date="2026-11-25",
    )
    client = login(reviewer)
    html = client.get(reverse("onboarding:review_queue")).content.decode()
    assert html.index(older.folio) < html.index(newer.folio)
    assert "vencida" in html
    assert client.get(reverse("onboarding:account_request_detail", args=[draft.pk])).status_code == 200


def test_pending_account_is_sent_to_the_letter_first(member, login):
    user = UserFactory(institution=member, status=User.Status.PENDING_LETTER)
    client = login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url == reverse("onboarding:letter_accept")
    page = client.get(reverse("onboarding:letter_accept")).content.decode()
    assert "Carta de confidencialidad" in page
    refused = client.post(
        reverse("onboarding:letter_accept"), {"address": "Calle 1", "phone": "1", "id_document": "ine"}
    )
    assert "Para continuar debe aceptar la carta." in refused.content.decode()
    done = client.post(
        reverse("onboarding:letter_accept"),
        {"address": "Calle Ñandú 3", "phone": "81 1111 2222", "id_document": "ine", "id_folio": "F-1", "accept": "on"},
    )
    assert done.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_letter_download_for_the_user_and_their_admins_only(member, other_member, inst_admin, reviewer, client):
    user = UserFactory(institution=member, status=User.Status.PENDING_LETTER)
    letter = letters.letter_accept(user=user, address="Calle 1", phone="1", id_document="ine", id_folio="F")
    url = reverse("onboarding:letter_download", args=[letter.pk])
    from accounts.tests.factories import PASSWORD

    client.force_login(user)
    own = client.get(reverse("onboarding:letter_own_download", args=["user"]))
    assert own.status_code == 200 and own["Content-Disposition"].startswith("attachment")
    assert client.get(url).status_code == 403  # the id route is for administrators
    for who, expected in (
        (inst_admin, 200),
        (reviewer, 200),
        (UserFactory(institution=other_member, profile=profile("institution_admin")), 404),
        (UserFactory(institution=member, profile=profile("analyst")), 403),
    ):
        client.logout()
        assert client.login(username=who.username, password=PASSWORD)
        response = client.get(url)
        assert response.status_code == expected, who
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")


def test_a_signed_scan_is_downloaded_under_its_detected_type(member, reviewer, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import OnboardingSettings
    from kernel.sample_files import jpeg_bytes

    settings = OnboardingSettings.load()
    settings.require_signed_letter_scan = True
    settings.save()
    user = UserFactory(institution=member, status=User.Status.PENDING_LETTER)
    letter = letters.letter_accept(user=user, address="Calle 1", phone="1", id_document="ine", id_folio="F")
    photo = SimpleUploadedFile("carta.pdf", jpeg_bytes(), "application/pdf")  # a photo named as a PDF
    letters.letter_scan_upload(letter=letter, actor=user, file=photo)
    client.force_login(reviewer)
    response = client.get(reverse("onboarding:letter_scan_download", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'attachment; filename="carta-firmada-{letter.folio}.jpg"'


def test_activation_page_rejects_unknown_tokens(client):
    response = client.get(reverse("onboarding:account_activate", args=["no-existe"]))
    assert response.status_code == 200
    assert 'name="new_password1"' not in response.content.decode()
    assert "no sirve" in response.content.decode()


def test_change_request_form_marks_late_cancellation(inst_admin, member, reviewer, login):
    from accounts.tests.factories import change_attachments

    target = UserFactory(institution=member, profile=profile("analyst"))
    attachments = change_attachments(member)
    client = login(inst_admin)
    form = {"user": target.pk, "kind": "cancellation", "left_at": "2026-01-05T09:00", "reason": "Renunció"}
    # Without the signed letter the form stays, with a clear error, and nothing is filed.
    refused = client.post(
        reverse("onboarding:account_change_create"), {**form, "signatory": attachments["signatory"].pk}
    )
    assert refused.status_code == 200 and "Adjunte el oficio" in refused.content.decode()
    response = client.post(
        reverse("onboarding:account_change_create"),
        {
            **form,
            "signatory": attachments["signatory"].pk,
            "letter": attachments["letter"],
            "catalog_form": attachments["catalog_form"],
        },
    )
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "extemporánea" in detail
    assert "oficio.pdf" in detail and "catalogo.pdf" in detail


def test_review_queue_mixes_account_and_change_requests_by_due_date_across_pages(reviewer, inst_admin, member, login):

    target = UserFactory(institution=member)
    change = request_change(user=target, actor=inst_admin, kind="suspension", reason="Licencia médica")
    # 30 account requests: 15 due before the change request, 15 after it.
    for i in range(30):
        AccountRequest.objects.create(
            institution=member,
            created_by=inst_admin,
            given_names=f"Persona{i:02d}",
            paternal_surname="Cola",
            curp=valid_curp(9200 + i),
            status="submitted",
            submitted_at=change.submitted_at,
            due_date=change.due_date + timedelta(days=i - 15 if i < 15 else i - 14),
        )
    client = login(reviewer)
    first = client.get(reverse("onboarding:review_queue")).content.decode()
    second = client.get(reverse("onboarding:review_queue") + "?page=2").content.decode()
    assert "Persona00" in first and change.folio in first  # 15 earlier ones, then the change, ...
    assert "Persona29" in second and "Persona29" not in first and change.folio not in second
    assert first.index("Persona14") < first.index(change.folio) < first.index("Persona15")


def test_the_decision_controls_show_only_to_a_reviewer_who_may_decide(commission, agreement, reviewer, login):
    from accounts.tests.factories import make_signatory
    from accounts.tests.test_services_account_requests import request_data, upload_all

    filer = UserFactory(institution=commission, profile=profile("commission_admin"))
    req = svc.account_request_create(
        institution=commission,
        actor=filer,
        data=request_data(agreement, make_signatory(institution=commission), requested_profile=profile("analyst")),
    )
    upload_all(req, filer)
    svc.account_request_submit(request=req, actor=filer)
    review_url = reverse("onboarding:account_request_review", args=[req.pk])

    client = login(filer)
    page = client.get(review_url).content.decode()
    assert "otra persona revisora debe resolverla" in page
    assert 'name="decision"' not in page and 'value="check"' not in page
    assert (
        "Revisar y resolver"
        not in client.get(reverse("onboarding:account_request_detail", args=[req.pk])).content.decode()
    )
    client.post(review_url, {"action": "decide", "decision": "reject", "reason": "x"})
    req.refresh_from_db()
    assert req.status == AccountRequest.Status.SUBMITTED

    client.logout()
    client = login(reviewer)  # a colleague of the commission
    page = client.get(review_url).content.decode()
    assert 'name="decision"' in page and 'value="check"' in page
    assert "otra persona revisora" not in page
    assert (
        "Revisar y resolver" in client.get(reverse("onboarding:account_request_detail", args=[req.pk])).content.decode()
    )


def test_a_change_about_oneself_shows_no_decision_form(commission, reviewer, login):
    from accounts.models import AccountChangeRequest

    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    change = request_change(
        user=reviewer,
        actor=admin,
        kind=AccountChangeRequest.Kind.PROFILE_CHANGE,
        new_profile=profile("auditor"),
        reason="x",
    )
    url = reverse("onboarding:account_change_detail", args=[change.pk])
    client = login(reviewer)
    page = client.get(url).content.decode()
    assert "otra persona revisora debe resolverla" in page and 'name="decision"' not in page
    client.logout()
    other = UserFactory(institution=commission, profile=profile("commission_reviewer"))
    assert 'name="decision"' in login(other).get(url).content.decode()


def test_a_reviewer_approves_a_reactivation_request_from_the_review_queue(reviewer, inst_admin, member, login):
    """The commission reactivates a suspended account on a request (000 OCTAVA 5), and reviewers
    decide requests: what the queue shows its reviewer, the reviewer can decide."""

    target = UserFactory(institution=member, profile=profile("analyst"))
    target.status = User.Status.SUSPENDED
    target.save()
    change = request_change(user=target, actor=inst_admin, kind="reactivation", reason="Bloqueo por intentos fallidos")
    from accounts import services_changes

    for document in change.documents.all():  # the reviewer has checked each document (000 NOVENA)
        services_changes.change_document_check(document=document, actor=reviewer, valid=True)
    client = login(reviewer)
    queue = client.get(reverse("onboarding:review_queue")).content.decode()
    assert change.folio in queue
    response = client.post(
        reverse("onboarding:account_change_detail", kwargs={"change_pk": change.pk}),
        {"decision": "approve", "reason": ""},
    )
    assert response.status_code == 302 and response.url == reverse("onboarding:review_queue")
    target.refresh_from_db()
    assert target.status == User.Status.PENDING_LETTER  # no letter on file yet: the letter step first
    assert change.folio not in client.get(reverse("onboarding:review_queue")).content.decode()


def test_the_review_queue_leaves_out_what_its_reviewer_may_not_decide(reviewer, commission, login):
    """Four eyes: a change about the reviewer is not theirs to decide, so not in their queue; a
    commission colleague's change is, and another reviewer sees the first."""

    admin = UserFactory(institution=commission, profile=profile("commission_admin"))
    colleague = UserFactory(institution=commission, profile=profile("analyst"))
    about_me = request_change(user=reviewer, actor=admin, kind="suspension", reason="x")
    about_colleague = request_change(user=colleague, actor=admin, kind="suspension", reason="x")
    queue = login(reviewer).get(reverse("onboarding:review_queue")).content.decode()
    assert about_me.folio not in queue and about_colleague.folio in queue


def _upload_url(req):
    return reverse("onboarding:account_request_upload", args=[req.pk])


def test_two_documents_uploaded_in_one_submit_are_both_stored(inst_admin, login, draft):
    from accounts.models import RequiredDocument
    from accounts.tests.factories import pdf_upload

    letter, curu = RequiredDocument.objects.filter(active=True, max_age_days=None).order_by("position")[:2]
    client = login(inst_admin)
    response = client.post(
        _upload_url(draft),
        {f"file_{letter.pk}": pdf_upload("oficio.pdf"), f"file_{curu.pk}": pdf_upload("curu.pdf")},
        follow=True,
    )
    assert response.status_code == 200
    stored = {d.requirement_id: d.original_name for d in draft.documents.all()}
    assert stored == {letter.pk: "oficio.pdf", curu.pk: "curu.pdf"}
    html = response.content.decode()
    section = html[html.index('id="documentos"') :]
    message = f"Documentos «{letter.name}», «{curu.name}» cargados."
    assert message in section and message not in html[: html.index('id="documentos"')]


def test_one_refused_file_keeps_the_other_and_shows_its_error_next_to_its_field(inst_admin, login, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import RequiredDocument
    from accounts.tests.factories import pdf_upload

    letter = RequiredDocument.objects.get(code=RequiredDocument.REQUEST_LETTER)
    dated = RequiredDocument.objects.filter(active=True, max_age_days__isnull=False).first()
    bad = SimpleUploadedFile("antecedentes.pdf", b"esto no es un PDF", content_type="application/pdf")
    client = login(inst_admin)
    response = client.post(
        _upload_url(draft),
        {
            f"file_{letter.pk}": pdf_upload("oficio.pdf"),
            f"file_{dated.pk}": bad,
            f"issue_date_{dated.pk}": "2026-11-02",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert [d.requirement_id for d in draft.documents.all()] == [letter.pk]  # the good one is kept
    upload = html[html.index('id="carga"') :]
    assert "No se cargó lo marcado abajo" in upload and "data-focus" in upload  # the summary is at the form
    assert f"Documento «{letter.name}» cargado." in html  # and what passed says so
    # The refusal sits in the refused document's own field, and its date is kept as typed.
    field = upload[upload.index(f'for="id_file_{dated.pk}"') :]
    field = field[: field.index("</div>\n", field.index(f'id="id_file_{dated.pk}"'))]
    assert 'class="errorlist"' in field
    assert 'value="2026-11-02"' in upload
    letter_field = upload[upload.index(f'for="id_file_{letter.pk}"') : upload.index(f'for="id_file_{dated.pk}"')]
    assert "errorlist" not in letter_field and "oficio.pdf" in letter_field  # now on file


def test_a_missing_issue_date_is_shown_at_the_date_and_an_empty_submit_says_what_to_do(inst_admin, login, draft):
    from accounts.models import RequiredDocument
    from accounts.tests.factories import pdf_upload

    dated = RequiredDocument.objects.filter(active=True, max_age_days__isnull=False).first()
    client = login(inst_admin)
    response = client.post(_upload_url(draft), {f"file_{dated.pk}": pdf_upload()})
    html = response.content.decode()
    assert response.status_code == 400 and not draft.documents.exists()
    date_field = html[html.index(f'for="id_issue_date_{dated.pk}"') :]
    assert date_field.index('class="errorlist"') < date_field.index(f'id="id_issue_date_{dated.pk}"')
    empty = client.post(_upload_url(draft), {})
    assert empty.status_code == 400 and "Elija al menos un archivo para cargar." in empty.content.decode()


def test_the_reviewer_sees_the_letters_first_page_beside_the_signature_and_the_result_at_the_document(
    inst_admin, agreement, signatory, reviewer, login
):
    from accounts.models import RequiredDocument
    from accounts.tests.test_services_account_requests import request_data, upload_all

    req = svc.account_request_create(
        institution=inst_admin.institution, actor=inst_admin, data=request_data(agreement, signatory)
    )
    upload_all(req, inst_admin)
    svc.account_request_submit(request=req, actor=inst_admin)
    letter = req.documents.get(requirement__code=RequiredDocument.REQUEST_LETTER)
    client = login(reviewer)
    review_url = reverse("onboarding:account_request_review", args=[req.pk])
    page = client.get(review_url).content.decode()
    image_url = reverse("onboarding:request_letter_page", args=[letter.pk])
    assert f'src="{image_url}"' in page and "Firma registrada" in page
    image = client.get(image_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and image["Content-Security-Policy"] == "default-src 'none'"
    other = req.documents.exclude(pk=letter.pk).first()
    assert client.get(reverse("onboarding:request_letter_page", args=[other.pk])).status_code == 404

    done = client.post(
        review_url, {"action": "check", "document": letter.pk, "result": "valid", "note": ""}, follow=True
    ).content.decode()
    saved = f"Revisión de «{letter.requirement.name}» guardada."
    block = done[done.index(f'id="doc-{letter.pk}"') :]
    assert saved in block.split("</article>")[0]  # at the document the reviewer acted on
    assert saved not in done[: done.index(f'id="doc-{letter.pk}"')]
