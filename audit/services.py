"""The history log's write API. Other apps record events through these functions only.

(The history-log issue gives these their storage; the signatures are the contract.)
"""


def record_event(
    *,
    category: str,
    action: str,
    actor=None,
    username: str = "",
    institution=None,
    target=None,
    detail: dict | None = None,
    request=None,
) -> None:
    """Record an authentication or business event.

    category: "auth" (login_success, login_failure, lock, suspension, reactivation, logout,
    password_change, password_reset, session_expired, session_replaced) or "business"
    (anything a service wants on the timeline beyond the field changes simple-history keeps).
    actor: the acting user or None for the system; username: as typed (for failed logins);
    target: the model instance concerned; detail: small JSON-safe dict, never secrets.
    """
