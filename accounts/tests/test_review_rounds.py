"""A resubmitted request: the institution no longer sees the old reason as if it were current, and
the reviewer's second round shows the first round's reasons and what changed since."""

import pytest
from django.urls import reverse

from accounts import services_onboarding as svc
from accounts.models import RequiredDocument
from accounts.tests.factories import pdf_upload
from accounts.tests.test_services_account_requests import check_all, draft, submitted  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def resubmitted(submitted, inst_admin, reviewer):  # noqa: F811
    check_all(submitted, reviewer, valid=False)  # every document "Ilegible"
    svc.account_request_return(request=submitted, actor=reviewer, reason="El oficio no trae la firma autógrafa.")
    submitted.refresh_from_db()
    svc.account_request_update(request=submitted, actor=inst_admin, data={"position": "Jefa de departamento"})
    letter = RequiredDocument.objects.get(code=RequiredDocument.REQUEST_LETTER)
    svc.account_request_upload_document(
        request=submitted,
        actor=inst_admin,
        requirement=letter,
        file=pdf_upload("oficio-firmado.pdf", text="Oficio firmado"),
    )
    submitted.refresh_from_db()
    return submitted


def test_the_institution_no_longer_sees_the_return_reason_once_resubmitted(resubmitted, inst_admin, login):
    client = login(inst_admin)
    url = reverse("onboarding:account_request_detail", args=[resubmitted.pk])
    assert "Correcciones solicitadas por la Comisión" in client.get(url).content.decode()
    # Fix what remains (all documents were marked illegible) and send it again.
    for doc in resubmitted.documents.select_related("requirement"):
        if doc.check_status == "invalid":
            svc.account_request_upload_document(
                request=resubmitted,
                actor=inst_admin,
                requirement=doc.requirement,
                file=pdf_upload(f"{doc.requirement.code}-2.pdf"),
                issue_date=doc.issue_date,
            )
    svc.account_request_submit(request=resubmitted, actor=inst_admin)
    page = client.get(url).content.decode()
    assert "En revisión" in page
    assert "El oficio no trae la firma autógrafa." not in page
    assert "Correcciones solicitadas" not in page


def test_the_reviewer_sees_the_first_rounds_reasons_and_what_changed(resubmitted, inst_admin, reviewer, login):
    for doc in resubmitted.documents.select_related("requirement"):
        if doc.check_status == "invalid":
            svc.account_request_upload_document(
                request=resubmitted,
                actor=inst_admin,
                requirement=doc.requirement,
                file=pdf_upload(f"{doc.requirement.code}-nuevo.pdf"),
                issue_date=doc.issue_date,
            )
    svc.account_request_submit(request=resubmitted, actor=inst_admin)
    page = login(reviewer).get(reverse("onboarding:account_request_review", args=[resubmitted.pk])).content.decode()
    section = page[page.index('id="ronda-anterior"') :]
    assert "El oficio no trae la firma autógrafa." in section
    assert "Ilegible" in section  # the documents' observations of the first round
    assert "Cargo" in section and "Analista de información" in section and "Jefa de departamento" in section
    assert "oficio-firmado.pdf" in section and "reemplazado" in section


def test_a_first_submission_shows_no_previous_round(submitted, reviewer, login):  # noqa: F811
    page = login(reviewer).get(reverse("onboarding:account_request_review", args=[submitted.pk])).content.decode()
    assert 'id="ronda-anterior"' not in page
