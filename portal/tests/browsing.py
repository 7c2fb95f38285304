"""Helpers for browser tests that walk the portal as a person would: sign in, follow links, run axe.

The crawl is generic on purpose: pages added by any feature are covered as soon as a link to
them appears on a page the role can reach, without editing the tests.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Links a crawl never follows: they end the session, download files or change the language.
SKIP_PATTERNS = [
    re.compile(p)
    for p in (
        r"/salir/?$",
        r"/logout",
        r"/idioma/",
        r"/admin/",
        r"descarga",
        r"download",
        r"exportar",
        r"export",
        r"\.(csv|pdf|zip|xlsx|json|txt|png|jpg)$",
        r"/pdf/?$",
        r"/curu/?$",
        r"[?&]format=",
        r"/static/",
        r"/healthz",
    )
]


LOGIN_PATH = "/cuenta/entrar/"


def demo_password():
    return settings.DEMO_PASSWORD


def sign_in(page, base_url, username, password):
    page.goto(f"{base_url}{LOGIN_PATH}")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state("domcontentloaded")


def run_axe(page):
    """Violations of WCAG 2.1 A and AA on the page, as plain dicts (empty list when clean)."""
    # Collapsed content (each chart's table sits in a <details>) is checked too: axe skips hidden nodes.
    page.evaluate("() => document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; })")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: not an inline <script>, so the CSP allows it.
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
        }""",
        WCAG_TAGS,
    )
    return result


def describe(violations_by_url):
    lines = []
    for url, violations in violations_by_url.items():
        for v in violations:
            lines.append(f"{url}: [{v['impact']}] {v['id']} - {v['help']}")
            for node in v["nodes"]:
                lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)


def shape(url):
    """A page's kind: digits in the path become {n}; the query keeps its keys, not their values.

    Two pages of the same kind are rendered by the same view and template, so one of each is
    enough to check (the crawl stays bounded however much data there is).
    """
    parts = urlsplit(url)
    path = re.sub(r"\d+", "{n}", parts.path)
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "{uuid}", path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def same_origin_links(page, base_url):
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base_url:
            continue
        if any(p.search(url) for p in SKIP_PATTERNS):
            continue
        url = parts._replace(fragment="").geturl()
        found.append(url)
    return found


class Crawler:
    """Breadth-first walk of same-origin GET links, one page per kind (see ``shape``).

    Iterate over it to get each page's URL once it has loaded in ``page``; pages answering
    4xx/5xx are kept in ``errors`` instead. At most ``limit`` pages.
    """

    def __init__(self, page, base_url, starts=("/",), limit=80, signed_in=False):
        self.page, self.base_url, self.starts, self.limit = page, base_url, starts, limit
        self.signed_in = signed_in  # then landing on the sign-in page is an error: the session ended
        self.errors = []
        self.visited = []

    def __iter__(self):
        queue = deque(urljoin(self.base_url + "/", start.lstrip("/")) for start in self.starts)
        seen = set()
        while queue and len(self.visited) < self.limit:
            url = queue.popleft()
            if shape(url) in seen:
                continue
            seen.add(shape(url))
            try:
                response = self.page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file, not a page
                raise
            if response is None or not self.page.url.startswith(self.base_url):
                continue
            if response.status >= 400:
                self.errors.append((url, response.status))
                continue
            if self.signed_in and urlsplit(self.page.url).path == LOGIN_PATH:
                self.errors.append((url, "sent to the sign-in page"))
                continue
            if "text/html" not in (response.header_value("content-type") or ""):
                continue
            seen.add(shape(self.page.url))
            self.visited.append(self.page.url)
            links = same_origin_links(self.page, self.base_url)
            yield self.page.url
            queue.extend(link for link in links if shape(link) not in seen)


# JS run in the page: forms in <main> posting back with at least one required field we can empty.
_INVALID_FORMS = """() => {
    const forms = Array.from(document.querySelectorAll('main form'))
        .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post');
    const result = [];
    forms.forEach((f, i) => {
        const required = Array.from(f.querySelectorAll('input[required], textarea[required], select[required]'))
            .filter(e => !['hidden', 'checkbox', 'radio', 'submit', 'button'].includes(e.type));
        if (required.length) result.push(i);
    });
    return result;
}"""

_SUBMIT_EMPTY = """(index) => {
    const forms = Array.from(document.querySelectorAll('main form'))
        .filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post');
    const form = forms[index];
    form.noValidate = true;
    form.querySelectorAll('input, textarea').forEach(e => {
        if (!['hidden', 'checkbox', 'radio', 'submit', 'button', 'file'].includes(e.type)) e.value = '';
    });
    form.querySelectorAll('select').forEach(e => { if (e.required) e.selectedIndex = -1; });
    const button = form.querySelector('button[type=submit], input[type=submit], button:not([type])');
    form.requestSubmit(button || undefined);
}"""


def forms_to_submit_empty(page):
    """Indexes of POST forms in <main> with a required field: submitting them empty must fail."""
    return page.evaluate(_INVALID_FORMS)


def submit_empty(page, index):
    with page.expect_navigation():
        page.evaluate(_SUBMIT_EMPTY, index)


_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const style = getComputedStyle(e);
    const box = e.getBoundingClientRect();
    return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), type: e.type || null,
            text: (e.innerText || e.value || '').trim().slice(0, 80),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            visible: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0};
}"""


def focused(page):
    """What has the keyboard focus: tag, id, name, text, whether it shows an outline and is on screen."""
    return page.evaluate(_FOCUSED)


def tab_to(page, predicate, limit=40, reverse=False):
    """Press Tab until ``predicate(focused)`` holds; returns the elements passed on the way.

    Every element reached must be on screen and show a focus outline (WCAG 2.4.7).
    """
    path = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if reverse else "Tab")
        current = focused(page)
        assert current is not None, f"focus left the page after {path}"
        assert current["visible"], f"focused element is not on screen: {current}"
        assert current["outline"], f"focused element shows no focus outline: {current}"
        path.append(current)
        if predicate(current):
            return path
    raise AssertionError(f"never reached the wanted element by keyboard; passed {path}")
