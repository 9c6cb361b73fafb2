"""The client's address, trusting a proxy header only when the operator says so."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    header = settings.KIUM_TRUSTED_PROXY_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        forwarded = request.META.get(meta_key, "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # The last N hops were appended by our own proxies; the one before is the client.
        count = settings.KIUM_TRUSTED_PROXY_COUNT
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104
