"""Deny by default: every route of the portal declares who may use it (portal/access.py)."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def test_every_portal_route_declares_its_access_rule():
    undeclared = [
        route
        for route, namespace, pattern in iter_patterns()
        if namespace != "admin" and not hasattr(pattern.callback, "access_rule")
    ]
    assert undeclared == [], f"Routes without an access rule (use portal.access): {undeclared}"
