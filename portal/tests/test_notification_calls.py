"""Every ``notify(...)`` in the portal's code says what the notice is about (issue 21): it passes
``related=`` (the item, whose page the link opens) or ``link=`` (a page, or one per recipient).
The demo-data test checks the links open; this one also covers notices the demo never sends."""

import ast
from pathlib import Path

from django.conf import settings

# Their text is a one-time link of its own (activation, password reset).
ONE_TIME_LINK_MODULES = {"portal/forms.py"}


def _notify_calls():
    root = Path(settings.BASE_DIR)
    packages = [d for d in root.iterdir() if (d / "__init__.py").exists() and not d.is_symlink()]
    for path in sorted(p for package in packages for p in package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "notify":
                yield relative, node


def test_every_notify_call_passes_what_it_is_about():
    calls = list(_notify_calls())
    assert len(calls) > 30
    missing = [
        f"{path}:{node.lineno}"
        for path, node in calls
        if path not in ONE_TIME_LINK_MODULES and not {k.arg for k in node.keywords} & {"related", "link"}
    ]
    assert not missing, f"notify() without related= or link=: {missing}"
