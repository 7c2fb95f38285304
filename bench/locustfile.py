"""The people of the scale benchmark, for Locust (run headless by bench_scale.py, not by hand).

bench_scale.py writes a plan (JSON, path in BENCH_PLAN): each person's username, profile and pages,
the password, the pause between clicks, the samples every page needs, and the phase:

- ``login``: each person signs in LOGINS times within one minute (GET the form, POST it; timed
  together as one sample "login (GET form + POST)").
- ``pages``: each person signs in once (not timed), then clicks through their profile's pages, a
  pause of 0.5x..1.5x the mean between clicks, until every page of the plan has at least
  ``min_samples`` samples; then the run ends.

Every successful sample (milliseconds, as Locust measured it) is also written to BENCH_SAMPLES
(JSON {page: [ms, ...]}) so that the benchmark prints exact medians and p95 beside Locust's own
CSV; a failed request (not 200, or a sign-in not answered 302) is a Locust failure.
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from collections import defaultdict

import gevent
from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115 - read at import, once
THINK = float(PLAN["think"])
LOGIN_LABEL = "login (GET form + POST)"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SAMPLES = defaultdict(list)
_people = itertools.cycle(PLAN["people"])
_stopped = []


@events.request.add_listener
def _keep(name, response_time, exception, **kwargs):
    if exception is None and not name.startswith("_"):
        SAMPLES[name].append(response_time)


@events.quitting.add_listener
def _write(environment, **kwargs):
    with open(os.environ["BENCH_SAMPLES"], "w", encoding="utf-8") as out:
        json.dump(SAMPLES, out)


STEP = 30  # seconds: django-otp's TOTP step
_used_steps = {}  # username -> the last time step whose code that person typed


def totp(key_hex, counter, digits=6):
    """RFC 6238 (HMAC-SHA1) for one time step, as django-otp's TOTP devices check it."""
    counter = struct.pack(">Q", counter)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def _enough():
    return all(len(SAMPLES.get(label, ())) >= PLAN["min_samples"] for label in PLAN["required"])


class Person(HttpUser):
    wait_time = between(THINK / 2, THINK * 1.5) if THINK else constant(0)

    def on_start(self):
        self.person = next(_people)
        self.rnd = random.Random(self.person["username"])  # noqa: S311 - load pattern, not security
        self.signed_in = 0
        self.clicks = iter(())
        if PLAN["phase"] == "pages" and not self.sign_in(timed=False):
            # A person who cannot get in would only collect redirects to the sign-in or the second
            # factor until BENCH_MAX_SECONDS: end the run now; the failure is in Locust's CSV.
            gevent.spawn_later(0.2, self.environment.runner.quit)
            raise StopUser()
        if PLAN["phase"] == "pages":
            if THINK:  # people do not all click in the same millisecond
                gevent.sleep(self.rnd.uniform(0, THINK * 2))

    def sign_in(self, *, timed):
        """Password (and, untimed, the second factor); True when the person is in."""
        self.client.cookies.clear()
        started = time.perf_counter()
        with self.client.get("/cuenta/entrar/", name="_login form", catch_response=True) as form:
            found = CSRF_INPUT.search(form.text or "")
            if form.status_code != 200 or not found:
                form.failure(f"login form answered {form.status_code}")
                return False
        with self.client.post(
            "/cuenta/entrar/",
            {"csrfmiddlewaretoken": found.group(1), "username": self.person["username"], "password": PLAN["password"]},
            name="_login post",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{self.person['username']} could not sign in ({answer.status_code})")
                return False
        if timed:  # the password's cost (Argon2id); the second factor is not part of it
            events.request.fire(
                request_type="POST",
                name=LOGIN_LABEL,
                response_time=(time.perf_counter() - started) * 1000,
                response_length=0,
                exception=None,
                context={},
            )
            return True
        # Privileged profiles are sent to type their authenticator's code before any page.
        with self.client.get("/", name="_home after sign-in", allow_redirects=False, catch_response=True) as home:
            location = home.headers.get("Location", "")
            home.success()
        if "/segundo-factor/alta/" in location:
            # The portal asks to enrol a new authenticator: the bench gave this person none.
            events.request.fire(
                request_type="GET",
                name="_second factor",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"{self.person['username']} has no authenticator (sent to {location})"),
                context={},
            )
            return False
        if "/segundo-factor/" in location:
            return self.second_factor(location)
        return True

    def fresh_code(self):
        """The code of a time step this person has not used yet. django-otp accepts a step's code
        once per device (replay protection), so a second sign-in within the same 30 s waits for the
        next step, as a person would wait for the app's next code."""
        username = self.person["username"]
        step = int(time.time()) // STEP
        if _used_steps.get(username, -1) >= step:
            gevent.sleep((step + 1) * STEP - time.time() + 0.05)
            step = int(time.time()) // STEP
        _used_steps[username] = step
        return totp(PLAN["totp_key"], step)

    def second_factor(self, location):
        """Privileged profiles: the authenticator's code after the password."""
        with self.client.get(location, name="_second factor form", catch_response=True) as form:
            found = CSRF_INPUT.search(form.text or "")
            if form.status_code != 200 or not found:
                form.failure(f"second factor form answered {form.status_code}")
                return False
        with self.client.post(
            location,
            {"csrfmiddlewaretoken": found.group(1), "code": self.fresh_code()},
            name="_second factor post",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                said = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', answer.text or "", re.S)
                answer.failure(f"{self.person['username']}: second factor refused ({answer.status_code}): {said[:2]}")
                return False
        return True

    def next_click(self):
        for click in self.clicks:
            return click
        # One more round of this person's pages, in their profile's order, with fresh choices.
        pages = self.person["pages"]
        self.clicks = iter(
            (label, path.format(n=self.rnd.randint(1, 996), agreement=self.rnd.choice(self.person["agreements"])))
            for label, path in pages
        )
        return next(self.clicks)

    @task
    def work(self):
        if PLAN["phase"] == "login":
            if self.signed_in >= PLAN["logins"]:
                self.stop_person()
            # Each person's sign-ins spread over one minute: 20 people, all within the same minute.
            gevent.sleep(self.rnd.uniform(0, 60 / PLAN["logins"]))
            self.sign_in(timed=True)
            self.signed_in += 1
            return
        if _enough():
            self.stop_person()
        label, path = self.next_click()
        with self.client.get(path, name=label, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                sent_to = response.headers.get("Location", "")
                response.failure(f"{path} answered {response.status_code}" + (f" (to {sent_to})" if sent_to else ""))

    def stop_person(self):
        _stopped.append(self.person["username"])
        if len(_stopped) >= len(PLAN["people"]):
            gevent.spawn_later(0.2, self.environment.runner.quit)
        raise StopUser()
