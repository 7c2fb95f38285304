"""Every page each demo role can reach passes axe-core's WCAG 2.1 A and AA rules.

Signs in as one demo account per profile, walks every same-origin link reachable from the
dashboard (one page per kind), submits each form with required fields empty to check the page
with its errors, and runs axe on all of them. Pages added later are covered as soon as a link
leads to them. Screenshots of every page go to test-artifacts/accessibility/<account>/.
"""

import re
import shutil

import pytest
from django.core.management import call_command

from accounts.models import User
from conftest import ARTIFACTS

from .browsing import Crawler, demo_password, describe, forms_to_submit_empty, run_axe, sign_in, submit_empty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PER_ROLE = 80
# Pages each role's crawl reaches at least with the demo data (forms sent empty included).
MINIMUM_PAGES = {"commission_admin": 50, "commission_reviewer": 15, "institution_admin": 25, "auditor": 15}


def demo_accounts():
    """One active demo account per profile (the demo password signs them all in)."""
    password = demo_password()
    accounts = {}
    for user in User.objects.filter(status=User.Status.ACTIVE, profile__isnull=False).order_by("username"):
        if user.profile.code not in accounts and user.check_password(password):
            accounts[user.profile.code] = user.username
    return accounts


class Audit:
    def __init__(self, folder):
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)  # only this run's pages
        self.folder.mkdir(parents=True, exist_ok=True)
        self.violations = {}
        self.checked = []
        self.counter = 0

    def check(self, page, label):
        self.counter += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "inicio"
        page.screenshot(path=str(self.folder / f"{self.counter:03d}-{slug}.png"), full_page=True)
        found = run_axe(page)
        self.checked.append(label)
        if found:
            self.violations[label] = found


def audit_site(page, base_url, audit, *starts, signed_in=True):
    crawler = Crawler(page, base_url, starts=starts, limit=PAGES_PER_ROLE, signed_in=signed_in)
    for url in crawler:
        path = url[len(base_url) :]
        audit.check(page, path)
        for index in forms_to_submit_empty(page):
            submit_empty(page, index)
            audit.check(page, f"{path} (formulario {index + 1} enviado sin datos)")
            page.goto(url)
    return crawler


def history_log_starts(username):
    """The history log's filtered views, for those who read it: the demo's renewed agreement and
    one person's changes to several kinds of record broke them once, and links alone reach only
    the unfiltered first page (by then full of the crawl's own accesses)."""
    if not User.objects.get(username=username).has_perm("audit.view_history_log"):
        return ()
    return ("/bitacora/?kind=change", "/bitacora/?user=inst1.admin", "/bitacora/?object_type=agreements.agreement")


@pytest.fixture
def demo_site(transactional_db):
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return demo_accounts()


def test_every_page_of_every_role_has_no_wcag_violations(live_server, browser, demo_site):
    base = live_server.url
    assert {"commission_admin", "institution_admin", "analyst", "auditor"} <= set(demo_site)
    all_violations, errors, summary = {}, [], {}

    context = browser.new_context()
    page = context.new_page()
    audit = Audit(ARTIFACTS / "accessibility" / "anonimo")
    crawler = audit_site(page, base, audit, "/cuenta/entrar/", "/cuenta/contrasena/restablecer/", signed_in=False)
    errors += crawler.errors
    all_violations.update({f"anónimo {k}": v for k, v in audit.violations.items()})
    summary["anónimo"] = len(audit.checked)
    assert len(audit.checked) >= 3, audit.checked  # sign-in, reset, and the reset form with errors
    context.close()

    for profile_code, username in demo_site.items():
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, base, username, demo_password())
        assert page.url == f"{base}/", f"{username} could not sign in: {page.url}"
        audit = Audit(ARTIFACTS / "accessibility" / username)
        crawler = audit_site(page, base, audit, "/", *history_log_starts(username))
        errors += [(username, *e) for e in crawler.errors]
        all_violations.update({f"{username} {k}": v for k, v in audit.violations.items()})
        summary[username] = len(audit.checked)
        # A crawl that stopped early (a broken menu, a lost session) must not pass unnoticed.
        assert len(audit.checked) >= MINIMUM_PAGES.get(profile_code, 5), (username, audit.checked)
        context.close()

    print("pages checked per role:", summary)
    assert not errors, f"pages linked from the portal answered with an error: {errors}"
    assert not all_violations, "WCAG 2.1 A/AA violations:\n" + describe(all_violations)


def test_the_axe_check_reports_violations(page):
    """The harness itself: a page with an unlabelled field and no language fails."""
    page.set_content("<html><head><title>x</title></head><body><main><input type='text'></main></body></html>")
    found = {v["id"] for v in run_axe(page)}
    assert {"label", "html-has-lang"} <= found


PHONE = {"width": 390, "height": 844}
PHONE_PAGES_PER_ROLE = 30


def test_pages_on_a_390_px_phone_have_no_violations_and_no_sideways_scroll(live_server, browser, demo_site):
    """The same crawl on a phone (issue 21), for an institution and the auditor: axe at zero and
    the page never wider than the screen (wide tables scroll inside themselves)."""
    base = live_server.url
    all_violations, too_wide, errors = {}, {}, []
    for profile_code in ("institution_admin", "auditor"):
        username = demo_site[profile_code]
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        sign_in(page, base, username, demo_password())
        audit = Audit(ARTIFACTS / "accessibility-390" / username)
        crawler = Crawler(page, base, starts=("/",), limit=PHONE_PAGES_PER_ROLE, signed_in=True)
        for url in crawler:
            audit.check(page, url[len(base) :])
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[f"{username} {url[len(base) :]}"] = width
        errors += [(username, *e) for e in crawler.errors]
        all_violations.update({f"{username} {k}": v for k, v in audit.violations.items()})
        assert len(audit.checked) >= 10, (username, audit.checked)
        context.close()
    assert not errors, errors
    assert not too_wide, f"pages wider than 390 px: {too_wide}"
    assert not all_violations, "WCAG 2.1 A/AA violations at 390 px:\n" + describe(all_violations)
