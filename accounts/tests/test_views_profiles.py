"""Profile catalog and user pages: paging, confirmation, Spanish errors, hidden actions."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from accounts import selectors, services
from accounts.models import Profile, User
from accounts.tests.factories import UserFactory, profile
from agreements.tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(profile=profile("commission_admin"), institution=CommissionFactory())


def test_commission_admin_creates_a_profile_by_picking_permissions_and_a_scope(client, admin):
    client.force_login(admin)
    page = client.get("/perfiles/nuevo/").content.decode()
    assert "<legend>Alcance</legend>" in page
    assert "Consultar usuarios" in page  # permissions labelled in Spanish
    view_user = Permission.objects.get(codename="view_user")
    response = client.post(
        "/perfiles/nuevo/",
        {
            "name": "Consulta de cuentas",
            "description": "Solo lectura",
            "scope": "institution",
            "permissions": [view_user.pk],
        },
    )
    created = Profile.objects.get(name="Consulta de cuentas")
    assert response.status_code == 302 and response["Location"] == f"/perfiles/{created.pk}/"
    assert created.code == "consulta_de_cuentas"
    assert list(created.group.permissions.all()) == [view_user]
    detail = client.get(response["Location"]).content.decode()
    assert "Consultar usuarios" in detail and "Versiones de los permisos" in detail


def test_bad_input_keeps_what_was_typed_and_answers_in_spanish(client, admin):
    client.force_login(admin)
    response = client.post("/perfiles/nuevo/", {"name": "Perfil sin alcance", "description": "Texto que no se pierde"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Este campo es obligatorio" in html
    assert "Texto que no se pierde" in html and "Perfil sin alcance" in html


def test_deactivation_asks_for_confirmation_first(client, admin):
    created = services.profile_create(
        actor=admin, code="temporal", name="Temporal", scope="institution", permissions=[]
    )
    client.force_login(admin)
    page = client.get(f"/perfiles/{created.pk}/desactivar/")
    assert page.status_code == 200 and "¿Desactivar el perfil Temporal?" in page.content.decode()
    created.refresh_from_db()
    assert created.is_active
    client.post(f"/perfiles/{created.pk}/desactivar/")
    created.refresh_from_db()
    assert not created.is_active


def test_deactivation_refused_while_held_says_why(client, admin):
    created = services.profile_create(actor=admin, code="ocupado", name="Ocupado", scope="institution", permissions=[])
    UserFactory(profile=created)
    client.force_login(admin)
    response = client.post(f"/perfiles/{created.pk}/desactivar/")
    assert response.status_code == 400
    assert "asígneles otro" in response.content.decode()


def test_profile_list_is_paged(client, admin):
    for n in range(30):
        services.profile_create(actor=admin, code=f"p{n}", name=f"Perfil {n:02d}", scope="institution", permissions=[])
    client.force_login(admin)
    first = client.get("/perfiles/").content.decode()
    assert "Página 1 de 2" in first and 'rel="next"' in first
    assert "Página 2 de 2" in client.get("/perfiles/?page=2").content.decode()


def test_builtin_profiles_show_no_edit_actions_and_refuse_edits(client, admin):
    client.force_login(admin)
    analyst = profile("analyst")
    html = client.get(f"/perfiles/{analyst.pk}/").content.decode()
    assert "Editar perfil" not in html and "Desactivar perfil" not in html
    response = client.post(f"/perfiles/{analyst.pk}/editar/", {"name": "X", "scope": "platform"})
    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.name == "Analista"


def test_institution_admin_sees_own_users_without_profile_actions(client):
    inst_admin = UserFactory(profile=profile("institution_admin"))
    colleague = UserFactory(institution=inst_admin.institution, username="colega")
    stranger = UserFactory(username="ajeno")
    client.force_login(inst_admin)
    listing = client.get("/usuarios/").content.decode()
    assert "colega" in listing and "ajeno" not in listing
    detail = client.get(f"/usuarios/{colleague.pk}/").content.decode()
    assert "Cambiar perfil" not in detail
    assert client.get(f"/usuarios/{stranger.pk}/").status_code == 404
    assert client.get(f"/usuarios/{colleague.pk}/perfil/").status_code == 403
    nav = client.get("/").content.decode()
    assert 'href="/usuarios/"' in nav and 'href="/perfiles/"' not in nav


def test_commission_admin_assigns_a_profile_from_the_user_page(client, admin):
    member = UserFactory(username="destino")
    client.force_login(admin)
    detail = client.get(f"/usuarios/{member.pk}/").content.decode()
    assert "Cambiar perfil" in detail
    form = client.get(f"/usuarios/{member.pk}/perfil/").content.decode()
    assert "Auditoría" not in form  # platform profiles are not offered to member institutions' staff
    response = client.post(f"/usuarios/{member.pk}/perfil/", {"profile": profile("institution_admin").pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.profile.code == "institution_admin"


def test_user_list_searches_and_pages(client, admin):
    for n in range(26):
        UserFactory(username=f"lote{n:02d}", institution=admin.institution)
    client.force_login(admin)
    first = client.get("/usuarios/?q=lote").content.decode()
    assert "26 cuentas a su alcance" in first and "Página 1 de 2" in first
    assert "q=lote&amp;page=2" in first


def test_a_user_search_is_logged_once_by_the_access_log(client, admin):
    from audit.models import AccessEvent, Event

    client.force_login(admin)
    events_before, accesses_before = Event.objects.count(), AccessEvent.objects.count()
    client.get("/usuarios/?q=lote")
    assert AccessEvent.objects.count() == accesses_before + 1
    access = AccessEvent.objects.latest("id")
    assert (access.view_name, access.query) == ("accounts:user_list", {"q": "lote"})
    assert Event.objects.count() == events_before  # no second record of the same search


def test_an_assigned_scope_users_page_lists_the_objects_granted(client, admin):
    from agreements.tests.factories import InstitutionFactory

    assigned = services.profile_create(actor=admin, code="asig", name="Asignado", scope="assigned", permissions=[])
    person = UserFactory(profile=assigned, institution=admin.institution)
    granted = InstitutionFactory(legal_name="Instituto Asignado de Prueba")
    services.assignment_grant(user=person, obj=granted, actor=admin)
    client.force_login(admin)
    html = client.get(f"/usuarios/{person.pk}/").content.decode()
    assert "Registros asignados" in html and "Instituto Asignado de Prueba" in html


@pytest.fixture
def assigned_person(admin):
    from agreements.tests.factories import InstitutionFactory

    assigned = services.profile_create(actor=admin, code="asig", name="Asignado", scope="assigned", permissions=[])
    return UserFactory(profile=assigned, institution=InstitutionFactory())


def test_commission_admin_grants_and_revokes_an_agreement_from_the_persons_page(client, admin, assigned_person):
    from agreements.models import Agreement
    from agreements.tests.factories import make_agreement
    from audit.models import Event

    agreement = make_agreement(members=[assigned_person.institution], title="Convenio para asignar")
    client.force_login(admin)
    page = client.get(f"/usuarios/{assigned_person.pk}/").content.decode()
    assert "Asignar convenio" in page and agreement.folio in page
    response = client.post(f"/usuarios/{assigned_person.pk}/asignaciones/", {"agreement": agreement.pk})
    assert response.status_code == 302
    assert list(Agreement.objects.visible_to(User.objects.get(pk=assigned_person.pk))) == [agreement]
    assert Event.objects.filter(
        action="assignment_granted", actor_id=admin.pk, target_id=str(assigned_person.pk)
    ).exists()

    page = client.get(f"/usuarios/{assigned_person.pk}/").content.decode()
    grant = selectors.user_assignments(user=assigned_person)[0]["grant"]
    confirm_url = f"/usuarios/{assigned_person.pk}/asignaciones/?retirar={grant.pk}"
    assert confirm_url.replace("&", "&amp;") in page
    # The revoke button asks first: the confirmation page changes nothing.
    assert "Sí, retirar" in client.get(confirm_url).content.decode()
    assert Agreement.objects.visible_to(User.objects.get(pk=assigned_person.pk)).exists()
    client.post(f"/usuarios/{assigned_person.pk}/asignaciones/", {"retirar": grant.pk})
    assert not Agreement.objects.visible_to(User.objects.get(pk=assigned_person.pk)).exists()
    assert Event.objects.filter(
        action="assignment_revoked", actor_id=admin.pk, target_id=str(assigned_person.pk)
    ).exists()


def test_grants_are_refused_to_anyone_but_a_commission_administrator(client, admin, assigned_person):
    from django.core.exceptions import PermissionDenied

    from agreements.tests.factories import make_agreement

    agreement = make_agreement(members=[assigned_person.institution])
    institution_admin = UserFactory(profile=profile("institution_admin"), institution=assigned_person.institution)
    reviewer = UserFactory(profile=profile("commission_reviewer"), institution=admin.institution)
    for wrong in (institution_admin, reviewer):
        with pytest.raises(PermissionDenied):
            services.assignment_grant(user=assigned_person, obj=agreement, actor=wrong)
        client.force_login(wrong)
        assert (
            client.post(f"/usuarios/{assigned_person.pk}/asignaciones/", {"agreement": agreement.pk}).status_code == 403
        )
    services.assignment_grant(user=assigned_person, obj=agreement, actor=admin)
    with pytest.raises(PermissionDenied):
        services.assignment_revoke(user=assigned_person, obj=agreement, actor=reviewer)
    with pytest.raises(ValidationError):
        services.assignment_grant(user=admin, obj=agreement, actor=admin)
