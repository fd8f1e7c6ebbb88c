"""The client's address: the TCP peer, or the last hop a trusted load balancer added (never a caller's claim)."""

from __future__ import annotations

from fastapi import Request

from gateway.settings import gateway_settings


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    trusted = gateway_settings().trusted_proxies
    if peer not in trusted:
        return peer
    # right to left: the first hop not ours is the client; anything left of it the client may have made up
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return peer
