"""A fixed-window rate limit per client address, for public forms and codes.

Counts live in Django's cache (local memory in the embedded mode; a production setup with
several processes points ``CACHES`` at a shared cache so the limit holds across them).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def over_limit(request: HttpRequest, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt from this address in ``scope``; True once it passes ``limit``."""
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ran out between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count > limit
