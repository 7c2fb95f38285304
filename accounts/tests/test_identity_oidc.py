"""The portal as OpenID Connect provider, seen from a relying party using authlib's client.

The relying party's HTTP calls (discovery, token, userinfo, JWKS) go through a requests adapter
into Django's test client; the person's browser is another test client that signs in through
the real login page. The ID token is verified with jwcrypto against the published JWKS.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.test import Client
from jwcrypto import jwk, jwt
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from accounts.identity import services as identity
from accounts.models import SystemGrant, User
from accounts.tests.factories import PASSWORD, SystemFactory, UserFactory
from audit.models import Event

REDIRECT = "http://127.0.0.1:53682/callback"  # any port on the loopback address (RFC 8252 7.3)


class DjangoAdapter(BaseAdapter):
    """requests -> Django's test client, so authlib talks to the portal in-process."""

    def __init__(self, client):
        super().__init__()
        self.client = client

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        extra = {
            "HTTP_" + k.upper().replace("-", "_"): v
            for k, v in request.headers.items()
            if k.lower() not in ("content-type", "content-length", "host")
        }
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        answer = self.client.generic(
            request.method, path, data=body, content_type=request.headers.get("Content-Type", ""), **extra
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def relying_party(client_id, **kwargs):
    session = OAuth2Session(
        client_id, redirect_uri=REDIRECT, scope="openid profile email", code_challenge_method="S256", **kwargs
    )
    adapter = DjangoAdapter(Client())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@pytest.fixture
def discovery():
    rp = relying_party("x")
    return rp.get(settings.PORTAL_SITE_URL + "/.well-known/openid-configuration", withhold_token=True).json()


@pytest.fixture
def system(db):
    return SystemFactory(code="plataforma-datos", name="Plataforma de datos")


@pytest.fixture
def person(system):
    user = UserFactory(username="ana.analista", given_names="Ana", paternal_surname="Ruiz", maternal_surname="")
    SystemGrant.objects.create(user=user, system=system)
    return user


def browser_signs_in(user, url):
    """The person's browser: opens the authorization URL, signs in on the real login page,
    and returns the portal's last answer (the redirect to the platform, or a refusal)."""
    browser = Client()
    answer = browser.get(url)
    assert answer.status_code == 302 and answer.url.startswith("/cuenta/entrar/"), answer
    login = browser.post(answer.url, {"username": user.username, "password": PASSWORD})
    if login.status_code != 302:
        return login
    return browser.get(login.url)


def authorize(rp, discovery, **extra):
    verifier = generate_token(48)
    url, state = rp.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(16), **extra
    )
    return urlsplit(url)._replace(scheme="", netloc="").geturl(), verifier, state


def verify_id_token(rp, discovery, id_token, client_id):
    keys = jwk.JWKSet.from_json(rp.get(discovery["jwks_uri"], withhold_token=True).text)
    token = jwt.JWT(
        jwt=id_token,
        key=keys,
        algs=["RS256"],
        check_claims={"iss": settings.PORTAL_SITE_URL, "aud": client_id, "exp": None},
    )
    return json.loads(token.claims)


def test_discovery_names_the_portal_as_issuer_and_s256_only(discovery):
    assert discovery["issuer"] == settings.PORTAL_SITE_URL
    assert discovery["authorization_endpoint"] == settings.PORTAL_SITE_URL + "/o/authorize/"
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["end_session_endpoint"].endswith("/o/logout/")
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]


def test_code_flow_with_pkce_gives_a_verified_id_token_and_the_portal_claims(person, system, discovery):
    client_id = system.application.client_id
    rp = relying_party(client_id)
    url, verifier, state = authorize(rp, discovery)
    answer = browser_signs_in(person, url)
    assert answer.status_code == 302 and answer.url.startswith(REDIRECT), answer.content[:500]
    token = rp.fetch_token(discovery["token_endpoint"], authorization_response=answer.url, code_verifier=verifier)

    claims = verify_id_token(rp, discovery, token["id_token"], client_id)
    assert claims["sub"] == str(person.pk)
    assert claims["exp"] - claims["iat"] <= 5 * 60
    assert token["expires_in"] <= 10 * 60
    info = rp.get(discovery["userinfo_endpoint"]).json()
    assert info["sub"] == str(person.pk)
    assert info["preferred_username"] == "ana.analista"
    assert info["name"] == "Ana Ruiz"
    assert info["email"] == person.email
    assert info["institution"] == person.institution.acronym
    assert info["profile"] == "analyst"
    assert info["scope"] == "institution"
    assert info["systems"] == ["plataforma-datos"]
    actions = list(Event.objects.filter(target_id=str(person.pk)).values_list("action", flat=True))
    assert "system_sign_in_authorized" in actions or Event.objects.filter(action="system_sign_in_authorized").exists()
    issued = Event.objects.get(action="system_token_issued")
    assert issued.detail["system"] == "Plataforma de datos"


def _refused(answer, text):
    assert answer.status_code == 403
    body = answer.content.decode()
    assert text in body
    assert "code=" not in answer.get("Location", "")


def test_system_not_granted_is_refused_with_a_reason_and_no_code(system, discovery):
    stranger = UserFactory()
    rp = relying_party(system.application.client_id)
    url, _verifier, _state = authorize(rp, discovery)
    answer = browser_signs_in(stranger, url)
    _refused(answer, "no tiene otorgado el acceso a Plataforma de datos")
    refusal = Event.objects.get(action="system_sign_in_refused")
    assert refusal.detail == {
        "system": "Plataforma de datos",
        "client_id": system.application.client_id,
        "reason": "system_not_granted",
    }


def test_letter_pending_is_refused(person, system, discovery):
    person.status = User.Status.PENDING_LETTER
    person.save()
    rp = relying_party(system.application.client_id)
    url, _verifier, _state = authorize(rp, discovery)
    _refused(browser_signs_in(person, url), "carta de confidencialidad")


@pytest.mark.parametrize("status", [User.Status.SUSPENDED, User.Status.CANCELLED])
def test_suspended_or_cancelled_account_gets_no_code(person, system, discovery, status):
    person.status = status
    person.save()
    rp = relying_party(system.application.client_id)
    url, _verifier, _state = authorize(rp, discovery)
    answer = browser_signs_in(person, url)
    assert answer.status_code == 200  # the login page again, saying why
    assert "code=" not in answer.get("Location", "")


def test_locked_account_gets_no_code(person, system, discovery):
    rp = relying_party(system.application.client_id)
    url, _verifier, _state = authorize(rp, discovery)
    browser = Client()
    login_url = browser.get(url).url
    for _ in range(3):
        browser.post(login_url, {"username": person.username, "password": "mala"})
    answer = browser.post(login_url, {"username": person.username, "password": PASSWORD})
    assert answer.status_code == 200
    assert "bloqueada" in answer.content.decode()


def test_wrong_pkce_verifier_gets_no_token(person, system, discovery):
    rp = relying_party(system.application.client_id)
    url, _verifier, _state = authorize(rp, discovery)
    answer = browser_signs_in(person, url)
    code = parse_qs(urlsplit(answer.url).query)["code"][0]
    response = rp.post(
        discovery["token_endpoint"],
        withhold_token=True,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": system.application.client_id,
            "code_verifier": generate_token(48),
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_plain_pkce_is_refused(person, system, discovery):
    rp = relying_party(system.application.client_id)
    url = (
        f"/o/authorize/?response_type=code&client_id={system.application.client_id}&redirect_uri={REDIRECT}"
        "&scope=openid&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghijabc&code_challenge_method=plain"
    )
    answer = browser_signs_in(person, url)
    assert "code=" not in answer.get("Location", "")
    assert rp  # the relying party never gets a code to exchange


def test_unregistered_redirect_uri_is_refused_without_redirect(person, system, discovery):
    rp = relying_party(system.application.client_id)
    rp.redirect_uri = "https://atacante.example.com/callback"
    url, _verifier, _state = authorize(rp, discovery)
    answer = browser_signs_in(person, url)
    assert answer.status_code == 400
    assert "atacante" not in answer.get("Location", "")


def test_refresh_refused_after_suspension(person, system, discovery):
    rp = relying_party(system.application.client_id)
    url, verifier, _state = authorize(rp, discovery)
    answer = browser_signs_in(person, url)
    token = rp.fetch_token(discovery["token_endpoint"], authorization_response=answer.url, code_verifier=verifier)
    renewed = rp.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert renewed["refresh_token"] != token["refresh_token"]  # rotated

    person.status = User.Status.SUSPENDED
    person.save()
    response = rp.post(
        discovery["token_endpoint"],
        withhold_token=True,
        data={
            "grant_type": "refresh_token",
            "refresh_token": renewed["refresh_token"],
            "client_id": system.application.client_id,
        },
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert Event.objects.filter(action="system_token_refused", detail__reason="account_not_live").exists()


def test_refresh_refused_once_the_system_is_withdrawn(person, system, discovery, commission_admin):
    rp = relying_party(system.application.client_id)
    url, verifier, _state = authorize(rp, discovery)
    token = rp.fetch_token(
        discovery["token_endpoint"], authorization_response=browser_signs_in(person, url).url, code_verifier=verifier
    )
    identity.system_withdraw(grant=SystemGrant.objects.get(user=person), actor=commission_admin)
    response = rp.post(
        discovery["token_endpoint"],
        withhold_token=True,
        data={
            "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"],
            "client_id": system.application.client_id,
        },
    )
    assert response.status_code == 400
    assert rp.get(discovery["userinfo_endpoint"]).status_code == 401


def test_profile_change_ends_the_platform_tokens(person, system, discovery, commission_admin):
    from accounts.services import user_set_profile
    from accounts.tests.factories import profile

    rp = relying_party(system.application.client_id)
    url, verifier, _state = authorize(rp, discovery)
    token = rp.fetch_token(
        discovery["token_endpoint"], authorization_response=browser_signs_in(person, url).url, code_verifier=verifier
    )
    user_set_profile(user=person, profile=profile("institution_admin"), actor=commission_admin)
    response = rp.post(
        discovery["token_endpoint"],
        withhold_token=True,
        data={
            "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"],
            "client_id": system.application.client_id,
        },
    )
    assert response.status_code == 400
    assert rp.get(discovery["userinfo_endpoint"]).status_code == 401


def test_demo_public_client_signs_in_a_demo_analyst_on_any_loopback_port(db, discovery):
    from django.core.management import call_command

    call_command("seed_demo", force=True)
    analyst = User.objects.get(username="inst1.analista")
    analyst.set_password(PASSWORD)
    analyst.save()
    rp = relying_party("plataforma-demo")
    url, verifier, _state = authorize(rp, discovery)
    answer = browser_signs_in(analyst, url)
    assert answer.url.startswith(REDIRECT)
    token = rp.fetch_token(discovery["token_endpoint"], authorization_response=answer.url, code_verifier=verifier)
    assert verify_id_token(rp, discovery, token["id_token"], "plataforma-demo")["sub"] == str(analyst.pk)


@pytest.mark.parametrize("state", ["locked", "cancelled"])
def test_refresh_refused_once_locked_or_cancelled(person, system, discovery, state):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import LoginThrottle

    rp = relying_party(system.application.client_id)
    url, verifier, _state = authorize(rp, discovery)
    answer = browser_signs_in(person, url)
    token = rp.fetch_token(discovery["token_endpoint"], authorization_response=answer.url, code_verifier=verifier)
    if state == "locked":
        LoginThrottle.objects.create(username=person.username, locked_until=timezone.now() + timedelta(minutes=60))
    else:
        person.status = User.Status.CANCELLED
        person.save()
    response = rp.post(
        discovery["token_endpoint"],
        withhold_token=True,
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"], "client_id": rp.client_id},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    reason = "account_locked" if state == "locked" else "account_not_live"
    assert Event.objects.filter(action="system_token_refused", detail__reason=reason).exists()
