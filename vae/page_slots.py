"""Places in a page of a lower app where an upper app adds its own part.

The search box on the evaluator's workspace, suggestions beside a link form: the page
belongs to ``review`` or ``livret``, the part to ``search``, which sits above them. The
lower template names the place (``{% page_slot "review.dossier" candidacy=candidacy %}``)
and the upper app registers what it shows there from its ``AppConfig.ready()``, so that no
lower app ever names an upper one. An unregistered place shows nothing.
"""

from collections.abc import Callable

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

# request, the values the template passes -> safe HTML ("" to show nothing)
Part = Callable[..., str]

_registry: dict[str, dict[str, Part]] = {}


def register_part(place: str, key: str, part: Part) -> None:
    """Called by an app's ``ready()``; the same (place, key) replaces (idempotent)."""
    _registry.setdefault(place, {})[key] = part


def render_place(place: str, request, **values) -> SafeString:
    """Every part registered at ``place``, in registration order."""
    parts = [part(request, **values) for part in _registry.get(place, {}).values()]
    return format_html_join("", "{}", ((html,) for html in parts if html))
