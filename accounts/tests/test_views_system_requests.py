"""Systems ("sistemas") asked for in an account request or later in an account change: the
reviewer sees them, approving grants them, and a system the profile may not use is refused."""

import pytest
from django.urls import reverse

from accounts import services_changes as changes
from accounts import services_onboarding as svc
from accounts.models import AccountChangeRequest, AccountRequest, SystemGrant
from accounts.tests.factories import SystemFactory, UserFactory, profile
from accounts.tests.test_services_account_requests import check_all, request_data, upload_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_platform(db):
    return SystemFactory(name="Plataforma de datos", profiles=["analyst"])


@pytest.fixture
def dashboard(db):
    return SystemFactory(name="Tablero de mando", profiles=["commission_admin"])


def _form_post(agreement, signatory, **overrides):
    data = request_data(agreement, signatory, **overrides)
    return {k: getattr(v, "pk", v) for k, v in data.items()}


def test_a_request_names_systems_the_reviewer_sees_and_approval_grants(
    inst_admin, reviewer, agreement, signatory, data_platform, login
):
    client = login(inst_admin)
    form_page = client.get(reverse("onboarding:account_request_create")).content.decode()
    assert "Plataforma de datos" in form_page
    response = client.post(
        reverse("onboarding:account_request_create"),
        {**_form_post(agreement, signatory), "systems": [data_platform.pk]},
    )
    assert response.status_code == 302
    req = AccountRequest.objects.get()
    assert list(req.systems.all()) == [data_platform]
    upload_all(req, inst_admin)
    svc.account_request_submit(request=req, actor=inst_admin)

    client.logout()
    review = login(reviewer).get(reverse("onboarding:account_request_review", args=[req.pk])).content.decode()
    assert "Sistemas solicitados" in review and "Plataforma de datos" in review
    check_all(req, reviewer)
    svc.account_request_approve(request=req, actor=reviewer)
    req.refresh_from_db()
    assert SystemGrant.objects.live().filter(user=req.account, system=data_platform).exists()


def test_a_system_the_profile_may_not_use_is_refused_and_nothing_is_lost(
    inst_admin, agreement, signatory, dashboard, login
):
    client = login(inst_admin)
    response = client.post(
        reverse("onboarding:account_request_create"),
        {**_form_post(agreement, signatory), "systems": [dashboard.pk]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "El perfil elegido no puede usar: Tablero de mando." in page
    assert 'value="María José"' in page
    assert not AccountRequest.objects.exists()


def test_the_service_refuses_a_system_the_profile_may_not_use(inst_admin, agreement, signatory, dashboard):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        svc.account_request_create(
            institution=inst_admin.institution,
            actor=inst_admin,
            data={**request_data(agreement, signatory), "systems": [dashboard]},
        )
    assert "no puede usar" in str(exc.value)


def test_a_change_request_for_a_system_is_granted_on_approval(inst_admin, reviewer, member, data_platform, login):
    target = UserFactory(institution=member, profile=profile("analyst"))
    client = login(inst_admin)
    response = client.post(
        reverse("onboarding:account_change_create"),
        {"user": target.pk, "kind": "system_grant", "system": data_platform.pk, "reason": "Consulta de registros"},
    )
    assert response.status_code == 302
    change = AccountChangeRequest.objects.get()
    assert change.system == data_platform
    client.logout()
    reviewer_client = login(reviewer)
    detail = reviewer_client.get(reverse("onboarding:account_change_detail", args=[change.pk])).content.decode()
    assert "Plataforma de datos" in detail
    assert not SystemGrant.objects.filter(user=target).exists()
    reviewer_client.post(
        reverse("onboarding:account_change_detail", args=[change.pk]), {"decision": "approve", "reason": ""}
    )
    assert SystemGrant.objects.live().filter(user=target, system=data_platform).exists()


def test_a_change_request_form_refuses_a_missing_or_disallowed_system(inst_admin, member, dashboard, login):
    target = UserFactory(institution=member, profile=profile("analyst"))
    client = login(inst_admin)
    url = reverse("onboarding:account_change_create")
    missing = client.post(url, {"user": target.pk, "kind": "system_grant", "reason": "Tablero"})
    assert "Elija el sistema." in missing.content.decode()
    refused = client.post(
        url, {"user": target.pk, "kind": "system_grant", "system": dashboard.pk, "reason": "Tablero"}
    ).content.decode()
    assert "El perfil de esa cuenta no puede usar este sistema." in refused
    assert "Tablero" in refused  # the reason typed is kept
    assert not AccountChangeRequest.objects.exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        changes.account_change_request(
            user=target, actor=inst_admin, kind="system_grant", reason="Tablero", system=dashboard
        )


def test_another_institutions_user_cannot_be_targeted(inst_admin, other_member, data_platform, login):
    from django.core.exceptions import PermissionDenied

    outsider = UserFactory(institution=other_member, profile=profile("analyst"))
    response = login(inst_admin).post(
        reverse("onboarding:account_change_create"),
        {"user": outsider.pk, "kind": "system_grant", "system": data_platform.pk, "reason": "Acceso"},
    )
    assert response.status_code == 200
    assert "Seleccione una opción válida" in response.content.decode()
    with pytest.raises(PermissionDenied):
        changes.account_change_request(
            user=outsider, actor=inst_admin, kind="system_grant", reason="Acceso", system=data_platform
        )
    assert not AccountChangeRequest.objects.exists()
