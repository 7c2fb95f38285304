import threading

import pytest


class EventLog:
    def __init__(self):
        self.calls = []
        self.lock = threading.Lock()

    def actions(self, category="auth"):
        return [c["action"] for c in self.calls if c["category"] == category]

    def count(self, action):
        return self.actions().count(action)

    def of(self, action):
        return [c for c in self.calls if c["action"] == action]

    def failures(self, *, counted):
        return [c for c in self.of("login_failure") if (c.get("detail") or {}).get("counted") is counted]


@pytest.fixture
def auth_events(monkeypatch):
    """Every ``audit.services.record_event`` call in order (kwargs dicts).

    Wraps the real function, which keeps storing once the history log lands; thread-safe for the
    concurrency tests.
    """
    from audit import services as audit

    original = audit.record_event
    log = EventLog()

    def spy(**kwargs):
        with log.lock:
            log.calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(audit, "record_event", spy)
    return log
