"""A small HTTP load generator for the benchmarks: people as threads, each with its own session.

Standard library only. Each ``Person`` keeps its cookies, signs in through the real login form
(CSRF token included) and times every request from sending it to reading the whole answer.
"""

import http.client
import re
import statistics
import threading
import time
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person:
    def __init__(self, host, port, username, password):
        self.host, self.port, self.username, self.password = host, port, username, password
        self.cookies = {}
        self.connection = None

    def _connection(self):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        return self.connection

    def request(self, method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "User-Agent": "bench/1.0"}
        if body is not None:
            body = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                connection = self._connection()
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.connection = None  # the server closed a kept-alive connection: open another
                if attempt:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";")[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection = None
        return response.status, content

    def get(self, path):
        return self.request("GET", path)

    def sign_in(self):
        """GET the form and POST the credentials; returns seconds taken by the two requests."""
        self.cookies.clear()
        started = time.perf_counter()
        status, content = self.get("/cuenta/entrar/")
        assert status == 200, status
        token = CSRF_INPUT.search(content.decode()).group(1)
        status, content = self.request(
            "POST",
            "/cuenta/entrar/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": self.password},
        )
        elapsed = time.perf_counter() - started
        assert status == 302, f"{self.username} could not sign in ({status}): {content[:300]!r}"
        return elapsed


class Recorder:
    def __init__(self):
        self.samples = {}
        self.errors = []
        self.lock = threading.Lock()

    def add(self, label, seconds):
        with self.lock:
            self.samples.setdefault(label, []).append(seconds * 1000)

    def error(self, label, detail):
        with self.lock:
            self.errors.append((label, detail))

    def summary(self):
        rows = []
        for label, samples in self.samples.items():
            ordered = sorted(samples)
            p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
            rows.append((label, len(ordered), statistics.median(ordered), p95))
        return rows


def timed_get(person, recorder, label, path):
    started = time.perf_counter()
    status, content = person.get(path)
    elapsed = time.perf_counter() - started
    if status != 200:
        recorder.error(label, f"{path} answered {status}")
        return
    recorder.add(label, elapsed)


def run_people(plans, recorder):
    """Start every person's plan at once (one thread each) and wait for all of them."""
    barrier = threading.Barrier(len(plans))

    def run(plan):
        try:
            barrier.wait()
            plan()
        except Exception as exc:  # noqa: BLE001 - reported with the figures, never swallowed
            recorder.error("thread", repr(exc))

    threads = [threading.Thread(target=run, args=(plan,)) for plan in plans]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started
