"""Who may open and fill in the candidate's livret 1 pages.

The rules themselves live in ``vae.permissions``; this module only says which of them
the livret 1 pages apply, so that views, services and templates ask one place.
"""

from vae import permissions


def can_open_livret1(user, candidacy) -> bool:
    """Only the candidate opens these pages.

    Certifiers read livret 1 in the back office (which includes the same read-only
    template); evaluators and jury members have no business with livret 1 at all.
    """
    return permissions.is_owner(user, candidacy)


def can_edit_livret1(user, candidacy) -> bool:
    return permissions.can_edit_livret1(user, candidacy)
