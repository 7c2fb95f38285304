"""Figures for the lockout policy and session ending (``make bench``). Leaves no data behind.

Prints the median time of a login attempt for a known username with a wrong password, an unknown
username, a locked username and a success, with the production password hasher, so one can see
that unknown usernames cost the same order of magnitude; and the time to end one user's sessions
among many others through the session-tracking table.
"""

import statistics
import time

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts import lockout
from accounts.hashers import Argon2idHasher
from accounts.models import Profile, User, UserSession
from accounts.sessions import end_user_sessions
from agreements.models import Institution


class _Rollback(Exception):
    pass


def _median_ms(fn, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


class Command(BaseCommand):
    help = "Print timing figures for login attempts and for ending a user's sessions."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--sessions", type=int, default=2000)

    def handle(self, *args, runs, sessions, **options):
        # The test settings hash with MD5 only: time the production hasher (this app's Argon2id) then.
        production = f"{Argon2idHasher.__module__}.{Argon2idHasher.__qualname__}"
        hashers = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h] or [production]
        try:
            with override_settings(PASSWORD_HASHERS=hashers), transaction.atomic():
                self._run(runs, sessions)
                raise _Rollback
        except _Rollback:
            pass

    def _attempt(self, username, password):
        try:
            lockout.attempt_login(request=None, username=username, password=password)
        except lockout.LoginRefused:
            pass

    def _run(self, runs, sessions):
        institution = Institution.objects.first()
        profile = Profile.objects.filter(code="analyst").first()
        if institution is None or profile is None:
            self.stderr.write("Run migrations and seed_demo first.")
            return
        password = "Banco-De-Pruebas-2026"
        user = User(
            username="bench.usuario",
            institution=institution,
            profile=profile,
            given_names="Banco",
            paternal_surname="Pruebas",
            email="bench@portal.local",
        )
        user.set_password(password)
        user.save()
        self.stdout.write(f"hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}, median of {runs} runs")

        def known_wrong():
            self._attempt("bench.usuario", "incorrecta")
            lockout.clear(username="bench.usuario")

        def unknown():
            self._attempt("bench.nadie", "incorrecta")
            lockout.clear(username="bench.nadie")

        def success():
            self._attempt("bench.usuario", password)

        rows = [("known username, wrong password", known_wrong), ("unknown username", unknown)]
        rows.append(("correct password", success))
        for label, fn in rows:
            self.stdout.write(f"  {label:<34} {_median_ms(fn, runs):8.1f} ms")
        for _ in range(lockout.failure_limit()):
            self._attempt("bench.usuario", "incorrecta")
        locked_ms = _median_ms(lambda: self._attempt("bench.usuario", "incorrecta"), runs)
        self.stdout.write(f"  {'locked username (refused)':<34} {locked_ms:8.1f} ms")

        for _ in range(3):
            store = SessionStore()
            store["_auth_user_id"] = str(user.pk)
            store.create()
            UserSession.objects.create(user=user, session_key=store.session_key)
        for _ in range(sessions):
            SessionStore().create()  # other people's sessions, untracked for this user
        start = time.perf_counter()
        found = sum(  # what the earlier helper did: decode every live session
            1
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)
        )
        scan_ms = (time.perf_counter() - start) * 1000
        self.stdout.write(
            f"  full scan of sessions (before): found {found} among {sessions} others in {scan_ms:.1f} ms"
        )
        start = time.perf_counter()
        ended = end_user_sessions(user=user)
        elapsed = (time.perf_counter() - start) * 1000
        self.stdout.write(f"  session table (now): ended {ended} among {sessions} others in {elapsed:.1f} ms")
