"""Which spaces a person works in, decided once: where they land after logging in, and
the entries of the site header (one per space they hold).

One person may hold several roles (a certifier who also evaluates, a candidate who also
sits on panels): every space they hold is an entry of the header, and they land on the
one whose work waits first.

The core knows its own space (the back office); the upper apps register theirs from their
``AppConfig.ready()`` (portal: the candidate's space; review: the evaluator's workspace;
jury: the members' sessions), so that the core never names an upper app's page.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_script_prefix, reverse

from vae.accounts.permissions import can_access_admin
from vae.enums import Role
from vae.permissions import user_roles


@dataclass(frozen=True)
class SpaceDefinition:
    """A section of the platform: its header label, its first page, who holds it.

    ``header_rank`` orders the header (the candidate's own file first, staff tools last);
    ``landing_rank`` orders where someone with several spaces lands (the work that waits
    on others first: a certifier's decisions hold candidates up, then evaluators'
    grids, then the jury; their own candidacy last).
    """

    key: str
    label: str
    url_name: str
    holds: Callable[..., bool]
    header_rank: int
    landing_rank: int


@dataclass(frozen=True)
class Space:
    """An entry of the site header: a section of the platform and its first page."""

    key: str
    label: str
    url: str
    # « Mon espace » (/compte/) is the parent of « Mon profil » (/compte/profil/): it is
    # the current section on its own page only.
    exact: bool = False

    def current(self, path: str) -> str:
        """The ``aria-current`` value of the entry on the page at ``path``: « page » on
        its own page, « true » anywhere else in its section, empty outside it."""
        if path == self.url:
            return "page"
        if not self.exact and path.startswith(self.url):
            return "true"
        return ""


_registry: dict[str, SpaceDefinition] = {}


def register_space(definition: SpaceDefinition) -> None:
    """Called by an app's ``ready()``; the same key replaces (idempotent)."""
    _registry[definition.key] = definition


def has_role(role: Role) -> Callable[..., bool]:
    def holds(user) -> bool:
        return role in user_roles(user)

    return holds


# The core's own space. The admin by its permission, not the certifier role: Wagtail lets
# in whoever holds it (superusers, editors of the public pages) and refuses the others.
register_space(
    SpaceDefinition("admin", "Administration", "wagtailadmin_home", can_access_admin, 40, 10)
)


def definitions() -> list[SpaceDefinition]:
    """Every registered space, in the header's order."""
    return sorted(_registry.values(), key=lambda definition: definition.header_rank)


@functools.cache
def _url(url_name: str, script_prefix: str) -> str:
    # The header asks for every space's address on every page; the URLconf does not change
    # while the process runs, and the prefix is part of the key.
    return reverse(url_name)


def space_of(key: str) -> Space:
    definition = _registry[key]
    return Space(definition.key, definition.label, _url(definition.url_name, get_script_prefix()))


def spaces(user) -> list[Space]:
    """The work spaces ``user`` holds, in the header's order (none when logged out)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return [space_of(d.key) for d in definitions() if d.holds(user)]


def holds_space(user, key: str) -> bool:
    return any(space.key == key for space in spaces(user))


def landing(user) -> Space | None:
    """The space ``user`` lands on after logging in, or None when they hold none."""
    held = {space.key: space for space in spaces(user)}
    for definition in sorted(_registry.values(), key=lambda d: d.landing_rank):
        if definition.key in held:
            return held[definition.key]
    return None


@dataclass(frozen=True)
class HeaderEntry:
    label: str
    url: str
    current: str  # the value of aria-current, empty when not the current section


def header_entries(user, path: str) -> list[HeaderEntry]:
    """The account entries of the site header on the page at ``path``: every space the
    user holds, then their profile. Someone who holds none yet gets « Mon espace »,
    which tells them so."""
    if not (user.is_authenticated and user.is_active):
        return []
    entries = spaces(user) or [Space("home", "Mon espace", reverse("accounts:home"), exact=True)]
    entries.append(Space("profile", "Mon profil", reverse("accounts:profile")))
    return [HeaderEntry(space.label, space.url, space.current(path)) for space in entries]
