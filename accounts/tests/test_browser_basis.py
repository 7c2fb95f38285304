"""Issue 15's journey in Chromium: access ends with its basis and comes back with a new one.

A commission administrator terminates a membership; on the effective date the institution's
analyst cannot sign in and reads why (before and after the daily job); the administrator
reinstates the accounts after a new agreement, and the analyst signs in again.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.services_basis import accounts_basis_enforce
from accounts.tests.factories import PASSWORD, UserFactory, profile
from agreements.models import Membership
from agreements.tests.factories import CommissionFactory, InstitutionFactory, make_agreement
from portal.tests.registry import _membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, username):
    page.goto(f"{base}/cuenta/entrar/")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()


def _sign_out(page, base):
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url(f"{base}/cuenta/entrar/**")


def test_membership_terminated_then_reinstated_after_a_new_agreement(live_server, page, screenshot, private_media):
    commission = CommissionFactory()
    member = InstitutionFactory(acronym="INSTB", legal_name="Instituto de Prueba B")
    make_agreement(members=[member], commission=commission, folio="CONV-B-1", signed_on=date(2025, 1, 10))
    UserFactory(username="comision", institution=commission, profile=profile("commission_admin"))
    analyst = UserFactory(username="analista.b", institution=member, profile=profile("analyst"))
    membership = _membership(member, "B")
    base = live_server.url

    # The commission administrator terminates the membership (five calendar days' notice).
    _sign_in(page, base, "comision")
    page.goto(f"{base}/convenios/membresias/{membership.pk}/")
    page.get_by_role("link", name="Terminar membresía").click()
    page.get_by_label("Motivo").fill("Dejó de cumplir los requisitos mínimos.")
    page.get_by_role("button", name="Notificar terminación").click()
    page.wait_for_url(f"{base}/convenios/membresias/{membership.pk}/")
    screenshot(page, "membership-terminated")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.TERMINATING
    _sign_out(page, base)

    # The effective date arrives (moved to today: the live server's clock is the real one).
    today = timezone.localdate()
    Membership.objects.filter(pk=membership.pk).update(ends_on=today)

    # Before the daily job runs, sign-in is already refused, and says why.
    _sign_in(page, base, "analista.b")
    alert = page.get_by_role("alert").inner_text()
    assert "ya no tiene base de acceso" in alert and "Su membresía concluyó" in alert
    screenshot(page, "refused-before-the-job")

    assert accounts_basis_enforce(today=today)["suspended"] == 1
    analyst.refresh_from_db()
    assert (analyst.status, analyst.suspended_for) == (User.Status.SUSPENDED, User.SuspendedFor.NO_BASIS)
    _sign_in(page, base, "analista.b")
    assert "sin convenio vigente" in page.get_by_role("alert").inner_text()
    screenshot(page, "refused-after-the-job")

    # A new agreement comes into force; the administrator reviews the list and reinstates.
    make_agreement(members=[member], commission=commission, folio="CONV-B-2", signed_on=today)
    _sign_in(page, base, "comision")
    page.goto(f"{base}/suspendidas/")
    page.get_by_role("link", name="INSTB").click()
    assert "Con base de acceso" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Revisar y reinstalar cuentas").click()
    checkbox = page.get_by_label("analista.b", exact=False)
    assert checkbox.is_checked()
    screenshot(page, "reinstatement-list")
    page.get_by_role("button", name="Confirmar la reinstalación").click()
    page.wait_for_url(f"{base}/instituciones/{member.pk}/")
    assert "Se reinstalaron 1 cuentas." in page.get_by_role("status").inner_text()
    _sign_out(page, base)

    _sign_in(page, base, "analista.b")
    page.wait_for_url(f"{base}/**")
    assert not page.url.endswith("/cuenta/entrar/")
    screenshot(page, "analyst-back")
    analyst.refresh_from_db()
    assert analyst.is_active and analyst.suspended_for == ""
    assert timedelta(0) <= timezone.now() - analyst.status_changed_at < timedelta(minutes=5)
