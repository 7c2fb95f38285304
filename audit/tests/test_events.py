"""The event registry: record_event takes registered names only, and the timeline shows their labels."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.tests.factories import UserFactory, profile
from audit import events
from audit.models import Event
from audit.selectors import TimelineFilters, timeline_page
from audit.services import record_auth_default, record_event
from audit.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def auditor(commission):
    return UserFactory(institution=commission, profile=profile("auditor"), username="auditora.eventos")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category": "business", "action": "agreement_signed_in_blood"}, "Unregistered event"),
        ({"category": "auth", "action": "agreement_renewed"}, "belongs to category 'business'"),
        ({"category": "business", "action": "agreement_renewed", "detail": {"renewal": "F", "x": 1}}, "['x']"),
        ({"category": "business", "action": "agreement_renew"}, "current name is 'agreement_renewed'"),
        ({"category": "business", "action": "agreement_search", "detail": {"filters": {}}}, "no longer recorded"),
    ],
)
def test_record_event_refuses_what_is_not_registered(kwargs, message):
    before = Event.objects.count()
    with pytest.raises(ValueError, match=re.escape(message)):
        record_event(**kwargs)
    assert Event.objects.count() == before


def test_an_auth_default_with_an_unknown_name_is_refused_at_once(rf):
    with pytest.raises(ValueError, match="Unregistered event"):
        record_auth_default(action="login_maybe", request=rf.get("/"))


def test_a_registered_event_is_recorded_with_its_declared_detail():
    record_event(category="business", action="agreement_renewed", detail={"renewal": "CONV-2"})
    assert Event.objects.latest("id").detail == {"renewal": "CONV-2"}


def test_a_name_cannot_be_registered_twice_for_another_event():
    with pytest.raises(ValueError, match="registered twice"):
        events.register(events.EventType("agreement_renew", events.BUSINESS, "otro"))


def test_the_timeline_shows_every_registered_event_and_former_name_by_its_label(auditor):
    person = UserFactory(username="persona.eventos")
    names = {name: t for t in events.registered() for name in (t.name, *t.aliases)}
    for name, event_type in names.items():
        EventFactory(category=event_type.category, action=name, actor_id=person.pk, username=person.username)
    rows, _ = timeline_page(
        user=auditor, filters=TimelineFilters(user="persona.eventos"), limit=len(names) + 1, with_diffs=False
    )
    shown = sorted(row.action for row in rows)
    assert shown == sorted(str(names[name].label) for name in names)
    assert not set(shown) & set(names)  # a label, never a code


def test_the_timeline_page_reads_a_business_event_in_spanish(client, auditor):
    person = UserFactory(username="persona.eventos")
    EventFactory(category="business", action="agreement_renewed", actor_id=person.pk, username=person.username)
    EventFactory(category="business", action="agreement_renew", actor_id=person.pk, username=person.username)  # older
    client.force_login(auditor)
    body = client.get("/bitacora/", {"user": "persona.eventos"}).content.decode()
    assert body.count("</span> convenio renovado</td>") == 2  # "<kind>: <label>", both names
    assert "agreement_renew" not in body


def test_every_label_has_an_english_translation():
    po = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()
    translated = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, re.M))
    missing = sorted(str(t.label) for t in events.registered() if not translated.get(str(t.label)))
    assert missing == []


def _recorded_names():
    """Every event name written literally where the portal's code records an event."""
    recorders = {"record_event", "record_auth_default", "_event", "_decide", "_decided", "_signatory_decide"}
    found = {}
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            callee = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if callee not in recorders:
                continue
            args = [*node.args, *(kw.value for kw in node.keywords if kw.arg == "action")]
            for arg in args:
                for value in (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else (arg,):
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        found[value.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_name_the_code_records_is_registered_under_its_current_name():
    found = _recorded_names()
    found.update({name: "settings.AUDIT_PASSWORD_VIEWS" for name in settings.AUDIT_PASSWORD_VIEWS.values()})
    assert len(found) > 60  # the scan sees the call sites
    refused = {}
    for name, where in found.items():
        event_type = events.get(name)
        if event_type is None or event_type.retired or event_type.name != name:
            refused[name] = where
    assert refused == {}
