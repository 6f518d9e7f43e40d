"""Which spaces a person works in, decided once: where they land after logging in, and
the entries of the site header (one per role held).

One person may hold several roles (a certifier who also evaluates, a candidate who also
sits on panels): every space they hold is an entry of the header, and they land on the
one whose work waits first.
"""

from dataclasses import dataclass

from django.urls import reverse

from vae.accounts.permissions import can_access_admin
from vae.enums import Role
from vae.permissions import user_roles


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


# Each space: its header label and its first page.
SPACES = {
    "candidacy": ("Ma candidature", "candidacy:dashboard"),
    "evaluation": ("Mes dossiers à évaluer", "review:workspace"),
    "jury": ("Jury", "accounts:jury"),
    "admin": ("Administration", "wagtailadmin_home"),
}
# The order of the header: the candidate's own file first, staff tools last.
HEADER_ORDER = ("candidacy", "evaluation", "jury", "admin")
# Where someone with several roles lands: the work that waits on others first (a
# certifier's decisions hold candidates up, then evaluators' grids, then the jury), their
# own candidacy last.
LANDING_ORDER = ("admin", "evaluation", "jury", "candidacy")
ROLE_SPACES = {
    Role.CANDIDATE: "candidacy",
    Role.EVALUATOR: "evaluation",
    Role.JURY_MEMBER: "jury",
}


def space_of(key: str) -> Space:
    label, url_name = SPACES[key]
    return Space(key, label, reverse(url_name))


def spaces(user) -> list[Space]:
    """The work spaces ``user`` holds, in the header's order (none when logged out)."""
    if not (user.is_authenticated and user.is_active):
        return []
    held = {ROLE_SPACES[role] for role in user_roles(user) if role in ROLE_SPACES}
    # The admin permission, not the certifier role: Wagtail lets in whoever holds it
    # (superusers, editors of the public pages) and refuses the others, roles or not.
    if can_access_admin(user):
        held.add("admin")
    return [space_of(key) for key in HEADER_ORDER if key in held]


def holds_space(user, key: str) -> bool:
    return any(space.key == key for space in spaces(user))


def landing(user) -> Space | None:
    """The space ``user`` lands on after logging in, or None when they hold none."""
    held = {space.key: space for space in spaces(user)}
    for key in LANDING_ORDER:
        if key in held:
            return held[key]
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
