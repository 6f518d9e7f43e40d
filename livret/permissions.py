"""Who may open and fill in the candidate's livret 1 pages.

The rules themselves live in ``vae.permissions``; this module only says which of them
the livret 1 pages apply, so that views, services and templates ask one place.
"""

from vae import permissions
from vae.enums import DOSSIER_STATES


def can_open_livret1(user, candidacy) -> bool:
    """Only the candidate opens these pages.

    Certifiers read livret 1 in the back office (which includes the same read-only
    template); evaluators and jury members have no business with livret 1 at all.
    """
    return permissions.is_owner(user, candidacy)


def can_edit_livret1(user, candidacy) -> bool:
    return permissions.can_edit_livret1(user, candidacy)


def can_open_dossier(user, candidacy) -> bool:
    """The candidate's livret 2 pages: the owner only, once the dossier exists.

    Certifiers (and later evaluators) read it through their own pages.
    """
    return permissions.is_owner(user, candidacy) and candidacy.state in DOSSIER_STATES


def can_edit_dossier(user, candidacy) -> bool:
    return permissions.can_edit_dossier(user, candidacy)


def can_read_evidence(user, evidence) -> bool:
    """Who may download or view an evidence file: who may see the dossier."""
    return permissions.can_view_dossier(user, evidence.dossier.candidacy)
