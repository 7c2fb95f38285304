"""Every paged list shows its result count and at least one sortable column header, so a new list
cannot forget them: the test walks the templates that include a pagination partial."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
SORTABLE = re.compile(r"""{%\s*sort_(header|link)\s+["'][\w-]+["']""")


def _with_includes(name, seen=None):
    """The template's text and that of every template it includes, recursively."""
    seen = seen if seen is not None else set()
    if name in seen or not (TEMPLATES / name).exists():
        return ""
    seen.add(name)
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return text + "".join(_with_includes(included, seen) for included in INCLUDE.findall(text))


def _paged_lists():
    return sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "pagination.html" in path.read_text(encoding="utf-8") and path.parent.name != "includes"
    )


def test_the_walk_finds_the_lists():
    found = _paged_lists()
    assert len(found) >= 29 and "accounts/user_list.html" in found and "supply/delivery_list.html" in found


def test_every_paged_list_shows_its_count_and_sortable_headers():
    missing = []
    for name in _paged_lists():
        text = _with_includes(name)
        if "includes/result_count.html" not in text:
            missing.append(f"{name}: no result count (include includes/result_count.html above the table)")
        if not SORTABLE.search(text):
            missing.append(f"{name}: no sortable column ({{% sort_header %}} with the view's web.sort)")
        if "{% load i18n listing" not in (TEMPLATES / name).read_text(encoding="utf-8") and SORTABLE.search(
            (TEMPLATES / name).read_text(encoding="utf-8")
        ):
            missing.append(f"{name}: uses the listing tags without loading them")
    assert not missing, "\n".join(missing)


def test_the_history_log_timeline_sorts_by_date_and_counts_its_page():
    text = (TEMPLATES / "audit" / "timeline.html").read_text(encoding="utf-8")
    assert SORTABLE.search(text) and 'class="result-count"' in text
