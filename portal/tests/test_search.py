"""Search that Spanish speakers expect, in every search box (kernel.search), on PostgreSQL.

"jose perez" finds José Pérez, "PÉREZ" and "pere" too; each word may sit in a different field;
and the query the boxes send is the one the trigram indexes hold, so 50,000 accounts are not read
one by one.
"""

import pytest
from django.db import connection
from django.urls import reverse

from accounts import selectors as account_selectors
from accounts.models import AccountRequest, User
from accounts.tests.factories import UserFactory, profile, valid_curp
from agreements import selectors as agreement_selectors
from agreements.models import Agreement, Institution
from agreements.tests.factories import InstitutionFactory, make_agreement
from audit.tests.factories import AccessEventFactory
from kernel.search import normalise, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission_admin(commission):
    """A searcher whose own names match none of the searches below (the factory's are "María José")."""
    return UserFactory(
        institution=commission,
        profile=profile("commission_admin"),
        username="marta",
        given_names="Marta",
        paternal_surname="Ortiz",
        maternal_surname="Vela",
    )


@pytest.fixture
def jose(member):
    return UserFactory(
        institution=member, username="jperez", given_names="José", paternal_surname="Pérez", maternal_surname="Quiñones"
    )


@pytest.fixture
def others(member):
    return [
        UserFactory(
            institution=member, username="ana.ruiz", given_names="Ana", paternal_surname="Ruiz", maternal_surname="Vela"
        ),
        UserFactory(
            institution=member,
            username="jose.lara",
            given_names="José Luis",
            paternal_surname="Lara",
            maternal_surname="Vela",
        ),
    ]


def names(qs):
    return sorted(u.username for u in qs)


def test_normalise_drops_accents_and_case():
    assert normalise("José PÉREZ Núñez, Güemes") == "jose perez nunez, guemes"


@pytest.mark.parametrize(
    "typed",
    [
        "jose perez",
        "José Pérez",
        "JOSE PEREZ",
        "pérez josé",
        "pere",
        "QUIÑONES",
        "quinones",
        "  jOsÉ   péR  ",
        "jperez",
    ],
)
def test_people_are_found_with_or_without_accents_and_by_parts(commission_admin, jose, others, typed):
    found = account_selectors.user_list(user=commission_admin, search=typed)
    assert names(found) == ["jperez"]


def test_every_word_must_match_somewhere(commission_admin, jose, others):
    assert names(account_selectors.user_list(user=commission_admin, search="jose")) == ["jose.lara", "jperez"]
    assert names(account_selectors.user_list(user=commission_admin, search="jose ruiz")) == []
    # LIKE's wildcards are text, not patterns.
    assert names(account_selectors.user_list(user=commission_admin, search="%")) == []
    assert names(account_selectors.user_list(user=commission_admin, search="j_se")) == []


def test_search_stays_within_scope(jose, member):
    stranger_admin = UserFactory(institution=InstitutionFactory(), profile=profile("institution_admin"))
    assert names(account_selectors.user_list(user=stranger_admin, search="jose perez")) == []


def test_user_list_page_finds_jose_from_jose_perez(commission_admin, jose, others, login):
    html = login(commission_admin).get("/usuarios/", {"q": "jose perez"}).content.decode()
    assert "jperez" in html and "jose.lara" not in html and "ana.ruiz" not in html


def test_agreement_list_finds_titles_without_accents(commission, member, commission_admin, login):
    make_agreement(members=[member], commission=commission, folio="CONV-00901", title="Intercambio de información")
    make_agreement(members=[member], commission=commission, folio="CONV-00902", title="Capacitación técnica")
    html = login(commission_admin).get("/convenios/", {"q": "informacion"}).content.decode()
    assert "CONV-00901" in html and "CONV-00902" not in html
    html = login(commission_admin).get("/convenios/", {"q": "CAPACITACION tecn"}).content.decode()
    assert "CONV-00902" in html and "CONV-00901" not in html


def test_institutions_are_found_without_accents(commission_admin):
    InstitutionFactory(legal_name="Secretaría de Educación Pública", acronym="SEPX")
    found = agreement_selectors.institution_list(user=commission_admin, search="educacion publica")
    assert [i.acronym for i in found] == ["SEPX"]


def test_request_list_finds_people_without_accents(member, login):
    admin = UserFactory(institution=member, profile=profile("institution_admin"))
    wanted = AccountRequest.objects.create(
        institution=member, created_by=admin, given_names="Iñaki", paternal_surname="Gómez", curp=valid_curp(9301)
    )
    other = AccountRequest.objects.create(
        institution=member, created_by=admin, given_names="Rosa", paternal_surname="Díaz", curp=valid_curp(9302)
    )
    html = login(admin).get(reverse("onboarding:account_request_list"), {"q": "inaki gomez"}).content.decode()
    assert wanted.folio in html and other.folio not in html
    assert 'value="inaki gomez"' in html


def test_timeline_user_filter_takes_a_name_typed_without_accents(commission, jose, others, client):
    auditor = UserFactory(institution=commission, profile=profile("auditor"))
    AccessEventFactory(user_id=jose.pk, username=jose.username, path="/de-jose/")
    AccessEventFactory(user_id=others[1].pk, username=others[1].username, path="/de-jose-luis/")
    client.force_login(auditor)
    html = client.get("/bitacora/", {"user": "jose perez"}).content.decode()
    assert "/de-jose/" in html and "/de-jose-luis/" not in html
    # A username is still a username: exactly that account.
    html = client.get("/bitacora/", {"user": "JPEREZ"}).content.decode()
    assert "/de-jose/" in html and "/de-jose-luis/" not in html


def test_every_search_is_served_by_its_trigram_index(commission_admin, jose):
    """The boxes' query is the indexed expression (same fields, same order): with sequential and
    plain index scans off (a GIN index is only read by a bitmap scan; with few rows analysed the
    planner may otherwise walk the primary key and filter), PostgreSQL answers each from its GIN
    trigram index (were the expressions to differ, it could not, whatever the settings)."""
    queries = [
        (account_selectors.user_list(user=commission_admin, search="jose perez"), "accounts_user_search_trgm"),
        (User.objects.search("jose perez"), "accounts_user_search_trgm"),
        (
            search(AccountRequest.objects.all(), "inaki gomez", AccountRequest.SEARCH_FIELDS),
            "accounts_request_search_trgm",
        ),
        (search(Agreement.objects.all(), "informacion", Agreement.SEARCH_FIELDS), "agreements_agreement_search_trgm"),
        (
            search(Institution.objects.all(), "educacion", Institution.SEARCH_FIELDS),
            "agreements_institution_search_trgm",
        ),
    ]
    with connection.cursor() as cursor:
        # Statistics as after a long run (the full suite's autovacuum): few rows, known.
        cursor.execute("ANALYZE accounts_user, accounts_accountrequest, agreements_agreement, agreements_institution")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            for query, index in queries:
                plan = query.explain()
                assert index in plan, plan
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
