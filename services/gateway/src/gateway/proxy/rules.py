"""What crosses the door (pure): which headers go on, which are dropped, which calls may be tried twice."""

from __future__ import annotations

# RFC 9110 §7.6.1: meaningful for one connection only
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
    }
)
# a caller must not be able to claim an address or an identity: the gateway sets what services may rely on
SPOOFABLE_PREFIXES = (
    "x-forwarded-",
    "x-real-ip",
    "x-client-",
    "x-remote-",
    "x-original-",
    "x-user",
    "x-staff",
    "x-principal",
    "x-roles",
    "x-auth",
    "x-authenticated",
    "x-request-id",
    "x-correlation-id",
)
SPOOFABLE = frozenset({"forwarded", "remote-user", "cookie"})  # the cookie holds the gateway's refresh token
# RFC 9110 §9.2.2; a call that may have reached the service is tried once only, whatever its method
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def _dropped(name: str, listed: frozenset[str]) -> bool:
    return name in HOP_BY_HOP or name in listed or name in SPOOFABLE or name.startswith(SPOOFABLE_PREFIXES)


def request_headers(
    incoming: list[tuple[str, str]], *, client: str, proto: str, host: str, correlation_id: str
) -> list[tuple[str, str]]:
    """The headers for the service: the caller's, less hop-by-hop and identity claims, plus the gateway's own."""
    lowered = [(name.lower(), value) for name, value in incoming]
    listed = frozenset(
        token.strip().lower() for name, value in lowered if name == "connection" for token in value.split(",")
    )
    kept = [(name, value) for name, value in lowered if not _dropped(name, listed)]
    return [
        *kept,
        ("x-forwarded-for", client),
        ("x-forwarded-proto", proto),
        ("x-forwarded-host", host),
        ("x-correlation-id", correlation_id),
        ("x-request-id", correlation_id),
    ]


def response_headers(incoming: list[tuple[str, str]]) -> list[tuple[str, str]]:
    lowered = [(name.lower(), value) for name, value in incoming]
    listed = frozenset(
        token.strip().lower() for name, value in lowered if name == "connection" for token in value.split(",")
    )
    # the kit's middleware adds the gateway's correlation id (the same one the service was given)
    return [
        (name, value)
        for name, value in lowered
        if name not in HOP_BY_HOP and name not in listed and name != "x-correlation-id"
    ]


def may_retry(method: str, *, has_body: bool) -> bool:
    """Only a call that never reached the service (connection refused) and is idempotent is tried again."""
    return method.upper() in IDEMPOTENT and not has_body
