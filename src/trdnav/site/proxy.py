"""Trust ``X-Forwarded-Proto`` and ``X-Forwarded-For`` only from the configured proxies.

A TLS proxy (docs/deployment.md) tells the app that the browser used HTTPS and who the browser
is. Anyone can send those headers, so they count only when the request comes straight from an
address in ``TRDNAV_TRUSTED_PROXIES``; from anywhere else they are removed before any other code
sees them. This runs first, before Django's security middleware, so HSTS, the secure-cookie
checks and ``request.build_absolute_uri`` (invitation links) see the browser's real scheme.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")


def parse_proxies(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``); anything else is refused."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRDNAV_TRUSTED_PROXIES: {value!r} is not an IP address or network"
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_proxies(values)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(forwarded_for: str, networks: tuple[Network, ...]) -> str | None:
    """The first address from the right that is not one of our proxies (the browser's)."""
    for part in reversed([p.strip() for p in forwarded_for.split(",") if p.strip()]):
        try:
            ipaddress.ip_address(part)
        except ValueError:
            return None
        if not _is_trusted(part, networks):
            return part
    return None


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = _networks(tuple(settings.TRDNAV_TRUSTED_PROXIES))
        meta = request.META
        if networks and _is_trusted(meta.get("REMOTE_ADDR", ""), networks):
            proto = meta.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                meta["wsgi.url_scheme"] = proto
            forwarded_for = meta.get("HTTP_X_FORWARDED_FOR", "")
            browser = client_address(forwarded_for, networks) if forwarded_for else None
            if browser:
                meta["REMOTE_ADDR"] = browser
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
