import threading

import pytest


@pytest.fixture(autouse=True)
def _files_in_a_throwaway_folder(private_media):
    """Every test here stores its files under tmp_path (fixture in the root conftest)."""
    return private_media


@pytest.fixture
def inst_admin(member):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=member, profile=profile("institution_admin"), given_names="Ángel")


@pytest.fixture
def reviewer(commission):
    from accounts.tests.factories import UserFactory, profile

    return UserFactory(institution=commission, profile=profile("commission_reviewer"))


@pytest.fixture
def agreement(member, commission):
    from accounts.tests.factories import make_agreement

    return make_agreement(institution=member, commission=commission)


@pytest.fixture
def signatory(member):
    from accounts.tests.factories import make_signatory

    return make_signatory(institution=member)


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
