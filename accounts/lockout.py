"""Login lockout policy (000, OCTAVA 5; modelled on Keycloak's brute-force detection).

- Failures are counted per normalised username (case-insensitive), never per IP.
- Failures count until a successful sign-in or a reactivation, however far apart they are (no
  sliding window: with one, two wrong passwords an hour would never lock and an attacker could try
  about 48 passwords a day for ever). The ``PORTAL_LOCKOUT_FAILURES``-th failure locks the username
  for ``PORTAL_LOCKOUT_MINUTES``. During the lock every attempt is refused, even
  with the correct password, and is neither counted nor extends the lock.
- Once a lock has expired, a success resets everything; a failure suspends the account at once
  (``accounts.services.account_suspend_for_lockout``). Only a commission administrator lifts a
  suspension (``accounts.services.account_reactivate``).
- Unknown usernames go through the very same states and messages, and their password is hashed
  like a real one, so nothing seen from outside tells whether an account exists.

Every attempt is decided inside one transaction holding ``SELECT ... FOR UPDATE`` on the
username's ``LoginThrottle`` row: concurrent attempts on one account are decided one at a time,
so a burst cannot get past the count, lock twice or suspend twice. django-axes records the
counted failures (its database handler); it does not take the decision.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit import services as audit

from .models import LoginThrottle, User

LOCAL_TZ = ZoneInfo("America/Mexico_City")


class LoginRefused(Exception):
    """Why an attempt was refused: ``INVALID``, ``LOCKED`` (with ``until``), ``SUSPENDED`` or
    ``NO_BASIS`` (the right password, but the institution has no basis of access: ``reason``)."""

    INVALID = "invalid"
    LOCKED = "locked"
    SUSPENDED = "suspended"
    NO_BASIS = "no_basis"

    def __init__(self, kind: str, until: datetime | None = None, reason: str = "", cause: str = ""):
        super().__init__(kind)
        self.kind = kind
        self.until = until
        self.reason = reason
        self.cause = cause

    def message(self) -> str:
        return refusal_message(self)


# --- Settings -------------------------------------------------------------------------------


def failure_limit() -> int:
    return max(1, int(settings.PORTAL_LOCKOUT_FAILURES))


def lock_duration() -> timedelta:
    return timedelta(minutes=float(settings.PORTAL_LOCKOUT_MINUTES))


def normalize(username) -> str:
    return User.normalize_username(username or "")


# --- Messages -------------------------------------------------------------------------------


def local_unlock_time(until: datetime) -> datetime:
    """When a lock ends, in Mexico City time, rounded up to the minute (never earlier than true)."""
    local = timezone.localtime(until, LOCAL_TZ)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return local


def refusal_message(refusal: LoginRefused) -> str:
    if refusal.kind == LoginRefused.LOCKED:
        unlock = local_unlock_time(refusal.until)
        return _(
            "La cuenta está bloqueada por demasiados intentos fallidos. Podrá intentarlo de nuevo "
            "a partir de las %(time)s del %(date)s (hora del centro de México). Si el siguiente "
            "intento también falla, la cuenta quedará suspendida."
        ) % {"time": date_format(unlock, "H:i"), "date": date_format(unlock, "j/m/Y")}
    if refusal.kind == LoginRefused.NO_BASIS:
        if refusal.cause == User.SuspendedFor.MEMBER_SUSPENDED:
            return _(
                "No puede iniciar sesión: la Comisión suspendió a su institución. %(reason)s Las "
                "cuentas de su institución vuelven cuando la Comisión levante la suspensión."
            ) % {"reason": refusal.reason}
        return _(
            "No puede iniciar sesión: su institución ya no tiene base de acceso al portal (sin convenio "
            "vigente). %(reason)s Sus cuentas quedan suspendidas hasta que, con un convenio nuevo o "
            "renovado en vigor, la Comisión las reinstale."
        ) % {"reason": refusal.reason}
    if refusal.kind == LoginRefused.SUSPENDED:
        return _(
            "La cuenta está suspendida. Para reactivarla, la institución debe solicitarlo a la "
            "Comisión; la contraseña, aunque sea correcta, no basta."
        )
    return _("Usuario o contraseña incorrectos. Revise sus datos e inténtelo de nuevo.")


def lock_help_text() -> str:
    minutes = float(settings.PORTAL_LOCKOUT_MINUTES)
    shown = f"{minutes:g}"
    return _(
        "Tras %(failures)s intentos fallidos la cuenta se bloquea durante %(minutes)s minutos; un "
        "intento fallido después del bloqueo la suspende."
    ) % {"failures": failure_limit(), "minutes": shown}


# --- The decision ---------------------------------------------------------------------------


def _locked_row(username: str) -> LoginThrottle:
    """The username's state row, created if missing, locked until the transaction ends.

    A success or a reactivation deletes the row; an attempt that was waiting for its lock then
    finds nothing (READ COMMITTED), so it creates the row again and locks the new one.
    """
    while True:
        # LoginThrottle is not history-tracked; ignore_conflicts makes concurrent creation safe.
        LoginThrottle.objects.bulk_create([LoginThrottle(username=username)], ignore_conflicts=True)
        row = LoginThrottle.objects.select_for_update().filter(username=username).first()
        if row is not None:
            return row


def _event(action, *, request, username, user, detail):
    typed = getattr(request, "portal_typed_username", None) if request is not None else None
    audit.record_event(
        category="auth",
        action=action,
        actor=None,
        username=typed or username,  # as typed (the history log's contract); the policy uses `name`
        institution=getattr(user, "institution", None),
        target=user,
        detail=detail,
        request=request,
    )


def _uncounted(reason):
    """Detail of a refusal during a lock or suspension: in the log, but not a counted failure."""
    return {"reason": reason, "counted": False}


def _count_failure(state, *, now, name, user, request, action, reason) -> LoginRefused:
    """Count one failure (a wrong password or a wrong second-factor code) under the row lock.

    Returns the refusal to raise: invalid, locked (the limit was reached) or suspended (the first
    failure after a lock has expired). Saves the state; the caller holds the transaction.
    """
    from .services import account_suspend_for_lockout, commission_admin_lockout_alert

    if state.lock_count:
        # The first failure after a lock has expired suspends the account at once.
        state.failures += 1
        state.last_failure_at = now
        state.locked_until = None
        state.suspended_at = now
        state.save()
        detail = {"reason": reason, "counted": True, "after_lock": True}
        _event(action, request=request, username=name, user=user, detail=detail)
        if user is not None and user.status in User.LIVE_STATUSES:
            account_suspend_for_lockout(user=user)  # records the suspension and notifies
        else:
            _event("suspension", request=request, username=name, user=user, detail={"reason": "lockout"})
        return LoginRefused(LoginRefused.SUSPENDED)
    state.failures += 1  # no window: failures count until a success or a reactivation (OCTAVA 5)
    state.last_failure_at = now
    detail = {"reason": reason, "counted": True, "failures": state.failures}
    _event(action, request=request, username=name, user=user, detail=detail)
    refusal = LoginRefused(LoginRefused.INVALID)
    if state.failures >= failure_limit():
        state.locked_until = now + lock_duration()
        state.lock_count += 1
        state.failures = 0
        refusal = LoginRefused(LoginRefused.LOCKED, until=state.locked_until)
        _event(
            "lock",
            request=request,
            username=name,
            user=user,
            detail={"until": state.locked_until.isoformat(), "minutes": float(settings.PORTAL_LOCKOUT_MINUTES)},
        )
        if user is not None:
            commission_admin_lockout_alert(user=user, kind="lock", at=now, until=state.locked_until)
    state.save()
    return refusal


def _basis_refusal(user, cause: str = "") -> LoginRefused | None:
    """The refusal for a user whose institution has no basis of access today, or None.

    ``cause``: the account is already suspended for its institution (the message says why).
    """
    from agreements.standing import Standing, institution_standing

    if user.institution_id is None:
        return None
    standing = institution_standing(institution=user.institution)
    if standing.ok and not cause:
        return None
    if not cause:
        is_suspended = standing.code == Standing.SUSPENDED
        cause = User.SuspendedFor.MEMBER_SUSPENDED if is_suspended else User.SuspendedFor.NO_BASIS
    reason = "" if standing.ok else standing.reason
    return LoginRefused(LoginRefused.NO_BASIS, reason=reason, cause=cause)


def _second_factor_pending(user) -> bool:
    from .services_second_factor import requires_second_factor

    return requires_second_factor(user)


def attempt_login(*, request, username, password) -> User:
    """Decide one login attempt. Return the user on success; raise ``LoginRefused`` otherwise.

    The password is hashed before the row lock is taken (the hasher is slow on purpose; holding
    the lock meanwhile would queue every attempt behind it). The decision itself only uses the
    state read under the lock.
    """
    name = normalize(username)
    if request is not None:
        request.portal_typed_username = (username or "").strip()[:150]
    user = User.objects.filter(username=name).first() if name else None
    if user is not None and user.has_usable_password():
        password_ok = user.check_password(password or "")
    else:
        make_password(password or "")  # the same work as a real check: no enumeration by timing
        password_ok = False
    if not name:
        raise LoginRefused(LoginRefused.INVALID)

    refusal = None
    counted = False
    with transaction.atomic():
        state = _locked_row(name)
        now = timezone.now()
        if user is not None:
            user.refresh_from_db(fields=["status", "is_active", "suspended_for"])  # read after the lock is ours
        if state.suspended_at is not None and user is not None and user.status != User.Status.SUSPENDED:
            # Stale: the account was reactivated (or created) after this username was suspended.
            state.failures, state.lock_count = 0, 0
            state.last_failure_at = state.locked_until = state.suspended_at = None

        if state.suspended_at is not None:
            refusal = LoginRefused(LoginRefused.SUSPENDED)
            _event("login_failure", request=request, username=name, user=user, detail=_uncounted("suspended"))
        elif state.locked_until is not None and now < state.locked_until:
            refusal = LoginRefused(LoginRefused.LOCKED, until=state.locked_until)
            _event("login_failure", request=request, username=name, user=user, detail=_uncounted("locked"))
        elif password_ok and user.status == User.Status.SUSPENDED and user.suspended_for:
            refusal = _basis_refusal(user, user.suspended_for)
            _event("login_failure", request=request, username=name, user=user, detail=_uncounted("no_basis"))
        elif password_ok and user.status == User.Status.SUSPENDED:
            refusal = LoginRefused(LoginRefused.SUSPENDED)
            _event("login_failure", request=request, username=name, user=user, detail=_uncounted("suspended"))
        elif password_ok and user.is_active and (basis := _basis_refusal(user)) is not None:
            # The institution lost its basis today: refused before the daily job suspends anyone.
            refusal = basis
            _event("login_failure", request=request, username=name, user=user, detail=_uncounted("no_basis"))
        elif password_ok and user.is_active:
            # A success resets the counters and the lock history; for a person who still has to
            # pass a second factor, only the right code does (attempt_second_factor): otherwise
            # typing the password again between wrong codes would guess codes without end.
            if not _second_factor_pending(user):
                state.delete()
            return user
        else:
            counted = True
            refusal = _count_failure(
                state,
                now=now,
                name=name,
                user=user,
                request=request,
                action="login_failure",
                reason="invalid_credentials",
            )

    if request is not None:
        request.portal_login_refusal = refusal
        # Tell django-axes not to record refusals that are not counted failures (see settings).
        request.axes_locked_out = not counted
    raise refusal


def attempt_second_factor(*, request, user, code_ok: bool) -> None:
    """Decide one second-factor code of a user whose password was right (a session is open).

    The same policy as a password: while the username is locked or suspended the code is refused
    even when right (and not counted); a wrong code is a counted failure (``second_factor_failure``
    in the history log) that locks and then suspends exactly as wrong passwords do; a right code
    resets the counters like a successful sign-in. Raises ``LoginRefused`` when refused.
    """
    name = normalize(user.username)
    with transaction.atomic():
        state = _locked_row(name)
        now = timezone.now()
        user.refresh_from_db(fields=["status", "is_active"])
        if state.suspended_at is not None or user.status == User.Status.SUSPENDED:
            _event("second_factor_failure", request=request, username=name, user=user, detail=_uncounted("suspended"))
            refusal = LoginRefused(LoginRefused.SUSPENDED)
        elif state.locked_until is not None and now < state.locked_until:
            _event("second_factor_failure", request=request, username=name, user=user, detail=_uncounted("locked"))
            refusal = LoginRefused(LoginRefused.LOCKED, until=state.locked_until)
        elif code_ok:
            state.delete()
            return
        else:
            refusal = _count_failure(
                state,
                now=now,
                name=name,
                user=user,
                request=request,
                action="second_factor_failure",
                reason="invalid_code",
            )
    raise refusal


def lockout_state(*, username) -> LoginThrottle | None:
    """The current throttle row of ``username`` (for tests and the commission's views)."""
    return LoginThrottle.objects.filter(username=normalize(username)).first()


def clear(*, username) -> None:
    """Forget a username's counters and lock history (reactivation). Call inside a transaction."""
    from axes.utils import reset as axes_reset

    name = normalize(username)
    LoginThrottle.objects.filter(username=name).delete()
    axes_reset(username=name)


def clear_lockout(*, user, actor=None) -> None:
    """``clear`` for a user object (for callers that change the status themselves).

    Prefer ``accounts.services.account_reactivate``, which also checks the actor and records the
    reactivation.
    """
    clear(username=user.username)


AXES_LOG_DAYS = 90  # django-axes' own logs; every attempt is in the history log for good anyway


def purge_stale_attempts(*, now=None) -> dict:
    """Forget failed-login state that no longer decides anything (nightly, from Celery beat).

    A throttle row goes only when it holds nothing: no failure, no lock, no suspension (such a
    row decides exactly what a missing row does). Failures count until a success or a
    reactivation (000 OCTAVA 5, no window), so a row with a single failure a year old stays, and
    so does one with a lock in its history (the first failure after a lock suspends, however late
    it comes). django-axes does not take the decision: its attempt counters go after
    ``PORTAL_LOCKOUT_MINUTES``, its access and failure logs after AXES_LOG_DAYS. Idempotent; the
    attempts themselves stay in the history log, which is never purged.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    window_start = now - lock_duration()
    log_start = now - timedelta(days=AXES_LOG_DAYS)
    throttles, _ = LoginThrottle.objects.filter(
        failures=0, lock_count=0, locked_until__isnull=True, suspended_at__isnull=True
    ).delete()
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=window_start).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=log_start).delete()
    logs, _ = AccessLog.objects.filter(attempt_time__lt=log_start).delete()
    return {"throttles": throttles, "attempts": attempts, "failure_logs": failures, "access_logs": logs}


# --- django-axes hooks (settings.AXES_USERNAME_CALLABLE, AXES_LOCKOUT_CALLABLE) ---------------


def axes_username(request, credentials):
    """Axes counts per the same normalised username as the policy."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return normalize(username) or None


def axes_lockout_response(request, original_response=None, credentials=None):
    """Keep the portal's own page: the login form already says locked or suspended, and until when."""
    return original_response
