"""Walking the URLconf: every route, its name, its URL kwargs and its declared access rule."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .registry import URL_KWARGS

# Routes anyone may open without signing in. Adding a name here is a security decision.
PUBLIC_ALLOWLIST = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "healthz",
    # The one-time link (72 h) an approved account opens to set its password (accounts onboarding).
    "onboarding:account_activate",
    # The verifier keys of the history log's signed checkpoints (audit), for outside auditors.
    "bitacora_key",
    # Anyone holding a signed PDF checks its folio and hash (kernel.evidence); rate-limited.
    "evidence:verify",
    # OpenID Connect endpoints the platforms call: the client authenticates itself (secret or
    # PKCE verifier, bearer token), never with a portal session.
    "oauth2_provider:token",
    "oauth2_provider:revoke-token",
    "oauth2_provider:oidc-connect-discovery-info",
    "oauth2_provider:jwks-info",
    "oauth2_provider:user-info",
    "oauth2_provider:rp-initiated-logout",
}


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name"
    namespace: str
    pattern: str
    kwargs: tuple[str, ...]
    callback: object

    @property
    def access_rule(self):
        return getattr(self.callback, "access_rule", None)

    def url(self, values: dict) -> str:
        return reverse(self.name, kwargs={k: values[k] for k in self.kwargs})


def iter_patterns(resolver=None, prefix="", namespace="", kwargs=()):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(p for p in (namespace, entry.namespace) if p)
            names = tuple(entry.pattern.regex.groupindex)
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns, kwargs + names)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry, kwargs + tuple(entry.pattern.regex.groupindex)


def portal_routes():
    """Every route of the portal, Django's technical admin aside (superusers only, tested apart)."""
    routes = []
    for pattern, namespace, entry, kwargs in iter_patterns():
        if namespace.split(":")[0] == "admin":
            continue
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
        routes.append(Route(name=name, namespace=namespace, pattern=pattern, kwargs=kwargs, callback=entry.callback))
    return routes


def missing_kwargs(routes):
    return sorted({k for r in routes for k in r.kwargs if k not in URL_KWARGS})


def kwarg_values(route, institution, *, other_institution=None):
    """Real values for the route's kwargs, from the registry's factories.

    Tenant-owned objects belong to ``other_institution`` when given (isolation), else to
    ``institution``; objects of no tenant are made once per route.
    """
    values = {}
    for name in route.kwargs:
        entry = URL_KWARGS[name]
        owner = other_institution if (other_institution is not None and entry.model) else institution
        values[name] = entry.make(owner)
    return values
