"""What a web worker does once it has loaded the application, before its first request.

``config.wsgi`` and ``config.asgi`` call ``ready_to_serve`` right after building their
application, so it runs in every server process (gunicorn's workers, ``runserver``).
"""

import gc

from django.urls import get_resolver


def ready_to_serve() -> int:
    """Loads every URL module now, then takes what the process holds at start-up out of
    the garbage collector's reach; returns how many objects were frozen.

    Why: a worker holds about 250,000 tracked objects once its views are imported
    (modules, functions, URL patterns, templates' libraries), which live as long as it
    does. Each full collection walks all of them, about 140 ms on our machines, inside
    whichever request happens to trigger it: measured on the certifier's dashboard, a
    page that builds many objects, as a 270–365 ms stall in one request of three or four.
    Frozen, they are never walked again; the objects requests create are collected as
    before. Python's documentation recommends the same for pre-fork servers, whose
    workers then share these pages with their parent instead of copying them.

    The URL modules are loaded first so their objects are frozen with the rest and so
    the first request does not pay for the imports.
    """
    get_resolver().url_patterns  # noqa: B018 -- the property imports every URL module
    gc.freeze()
    return gc.get_freeze_count()
