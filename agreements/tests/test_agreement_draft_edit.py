"""A draft agreement's data can be corrected from its page (history-logged); once in force, not."""

import pytest
from django.urls import reverse

from agreements.models import Agreement
from agreements.tests.factories import make_agreement
from audit.models import Event

pytestmark = pytest.mark.django_db


def _form(agreement, **changes):
    data = {
        "folio": agreement.folio,
        "title": agreement.title,
        "kind": agreement.kind,
        "purpose": agreement.purpose,
        "signing_place": agreement.signing_place,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
        "term_kind": agreement.term_kind,
        "term_years": agreement.term_years or "",
        "term_until": "",
        "notice_days": agreement.notice_days,
        "notice_day_kind": agreement.notice_day_kind,
        "rescission_answer_days": agreement.rescission_answer_days,
        "officer_report_months": agreement.officer_report_months or "",
    }
    data.update(changes)
    return data


def test_a_commission_admin_corrects_a_drafts_title_and_the_history_log_says_so(
    commission, commission_admin, member, login
):
    agreement = make_agreement(members=[member], commission=commission, status="draft")
    client = login(commission_admin)
    detail = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    edit_url = reverse("agreements:edit", args=[agreement.pk])
    assert edit_url in detail
    page = client.get(edit_url).content.decode()
    assert "Cancelar" in page and reverse("agreements:detail", args=[agreement.pk]) in page
    response = client.post(edit_url, _form(agreement, title="Convenio corregido"), follow=True)
    assert "Datos del convenio guardados." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Convenio corregido"
    assert agreement.history.first().history_user == commission_admin
    assert Event.objects.filter(action="agreement_updated", detail__fields=["title"]).exists()


def test_a_bad_value_keeps_the_form_and_an_agreement_in_force_is_not_editable(
    commission, commission_admin, member, login
):
    draft = make_agreement(members=[member], commission=commission, status="draft")
    client = login(commission_admin)
    response = client.post(reverse("agreements:edit", args=[draft.pk]), _form(draft, title="Nuevo", term_years=""))
    assert response.status_code == 200 and "Indique cuántos años dura el convenio." in response.content.decode()
    draft.refresh_from_db()
    assert draft.title != "Nuevo"

    in_force = make_agreement(members=[member], commission=commission)
    assert (
        reverse("agreements:edit", args=[in_force.pk])
        not in client.get(reverse("agreements:detail", args=[in_force.pk])).content.decode()
    )
    response = client.post(reverse("agreements:edit", args=[in_force.pk]), _form(in_force, title="Otro"), follow=True)
    assert "Solo se pueden corregir los datos de un convenio en borrador." in response.content.decode()
    in_force.refresh_from_db()
    assert in_force.title != "Otro" and in_force.status == Agreement.Status.IN_FORCE


def test_an_analyst_may_not_edit_a_draft(commission, member, login):
    from accounts.tests.factories import UserFactory, profile

    draft = make_agreement(members=[member], commission=commission, status="draft")
    analyst = UserFactory(institution=commission, profile=profile("analyst"))
    assert login(analyst).post(reverse("agreements:edit", args=[draft.pk]), _form(draft)).status_code == 403
