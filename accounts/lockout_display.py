"""What the pages say about the lockout: attempts left and a lock's end (issue 21).

Views and templates read the lockout state only through these functions, so a change of the
counting policy in ``accounts.lockout`` (failures count until a success or a reactivation, 000
OCTAVA 5) changes one place.
Every typed username, known or not, has the same state rows, so nothing here tells whether an
account exists.
"""

from django.utils import timezone

from . import lockout


def attempts_before_lock(*, username: str) -> int:
    """How many more wrong attempts ``username`` may make before the lock (0 while locked)."""
    state = lockout.lockout_state(username=username)
    limit = lockout.failure_limit()
    if state is None:
        return limit
    now = timezone.now()
    if state.locked_until is not None and now < state.locked_until:
        return 0
    return max(0, limit - state.failures)


def locked_until(*, username: str):
    """The end of ``username``'s current lock, or None when not locked now."""
    state = lockout.lockout_state(username=username)
    if state is None or state.locked_until is None or state.locked_until <= timezone.now():
        return None
    return state.locked_until
