"""The portal as OpenID Connect provider of the platforms its agreements open.

django-oauth-toolkit does the protocol (discovery, JWKS, code flow with PKCE S256, tokens,
userinfo, RP-initiated logout); this package adds the portal's rules: the systems catalog
(``accounts.models.System``), who may enter which system (``SystemGrant``), the claims, and
the refusals (account not live, letter not accepted, system not granted), each one in the
history log with the system's name.
"""
