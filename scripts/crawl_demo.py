#!/usr/bin/env python3
"""Walk a running portal (`make run`) as every demo account and report any page answering 5xx.

Usage: scripts/crawl_demo.py [BASE_URL] [--password P] [--limit N]

Standard library only, so it runs against any server without the project's virtualenv. Signs in
through the real form, follows every same-origin link breadth-first (one page per kind: digits in
the path and query values do not make a new kind), never follows sign-out, language or download
links, and exits 1 when a page answered 5xx or a sign-in failed. Only loopback addresses.
"""

import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from html.parser import HTMLParser

ACCOUNTS = [
    "comision.admin",
    "comision.admin2",
    "comision.revisor",
    "comision.auditor",
    "inst1.admin",
    "inst1.analista",
    "inst2.admin",
    "inst2.analista",
]
SKIP = re.compile(
    r"/salir|/logout|/idioma/|/admin/|descarga|download|exportar|export|\.(csv|pdf|zip|png|jpg)$|/pdf/?$|/curu/?$"
)
# The demo's commission accounts share this TOTP secret (README, "Second factor").
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
SECOND_FACTOR = "/cuentas/segundo-factor/"
# Filtered views that links alone do not reach.
EXTRA_STARTS = ["/bitacora/?kind=change", "/bitacora/?user=inst1.admin", "/bitacora/?object_type=agreements.agreement"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.csrf = [], ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.csrf = attrs.get("value", "")


def shape(url):
    parts = urllib.parse.urlsplit(url)
    keys = sorted({k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "{n}", parts.path) + ("?" + "&".join(keys) if keys else "")


def open_url(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=60) as response:
            return response.status, response.geturl(), response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, url, error.headers.get("Content-Type", ""), error.read()


def totp(secret, when=None):
    """RFC 6238 (SHA-1, 6 digits, 30 s) with the standard library."""
    counter = int((time.time() if when is None else when) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def crawl(base, username, password, limit):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/cuenta/entrar/"
    _, _, _, body = open_url(opener, login)
    form = Links()
    form.feed(body.decode("utf-8", "replace"))
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": form.csrf})
    opener.addheaders = [("Referer", login)]
    status, landed, _, _ = open_url(opener, login, data.encode())
    if status >= 400 or urllib.parse.urlsplit(landed).path == "/cuenta/entrar/":
        return [(login, f"sign-in failed ({status})")], 0
    if urllib.parse.urlsplit(landed).path == SECOND_FACTOR:
        _, _, _, body = open_url(opener, landed)
        form = Links()
        form.feed(body.decode("utf-8", "replace"))
        data = urllib.parse.urlencode({"code": totp(DEMO_TOTP_SECRET), "csrfmiddlewaretoken": form.csrf})
        opener.addheaders = [("Referer", landed)]
        status, after, _, _ = open_url(opener, landed, data.encode())
        if status >= 400 or urllib.parse.urlsplit(after).path == SECOND_FACTOR:
            return [(landed, f"second factor refused ({status})")], 0
    queue, seen, errors, visited = deque([f"{base}/", *(base + s for s in EXTRA_STARTS)]), set(), [], 0
    while queue and visited < limit:
        url = queue.popleft()
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        status, final, content_type, body = open_url(opener, url)
        visited += 1
        if status >= 500:
            errors.append((url, status))
            continue
        if "text/html" not in content_type or not final.startswith(base):
            continue
        parser = Links()
        parser.feed(body.decode("utf-8", "replace"))
        for href in parser.hrefs:
            link = urllib.parse.urljoin(final, href).split("#")[0]
            if link.startswith(base) and not SKIP.search(link) and shape(link) not in seen:
                queue.append(link)
    return errors, visited


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="Portal-Demo-2026")
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        parser.error("only a portal on this machine (127.0.0.1, localhost) is crawled")
    failed = False
    for username in ACCOUNTS:
        errors, visited = crawl(args.base.rstrip("/"), username, args.password, args.limit)
        print(f"{username}: {visited} pages, {len(errors)} errors")
        for url, what in errors:
            print(f"    {what}  {url}")
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
