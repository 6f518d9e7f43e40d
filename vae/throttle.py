"""Counting requests per key over a window, in the shared throttle cache
(``VAE_THROTTLE_CACHE``: in the database, so that every worker and app server counts
together — a per-process cache would multiply the limits)."""

import hashlib

from django.conf import settings
from django.core.cache import caches


def key(scope: str, value: str) -> str:
    """A cache key for ``value`` (an address, an IP) within ``scope``, hashed: what is
    counted does not sit in a shared cache in clear."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"vae:{scope}:{digest}"


def hit(key: str, limit: int, window: int) -> bool:
    """Count one request under ``key``; whether it stays within ``limit`` per window."""
    cache = caches[settings.VAE_THROTTLE_CACHE]
    # add() starts a window only when none runs; incr() is atomic on shared caches.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def spent(key: str, limit: int) -> bool:
    """Whether ``key`` already reached ``limit`` in its window (nothing is counted)."""
    return caches[settings.VAE_THROTTLE_CACHE].get(key, 0) >= limit
