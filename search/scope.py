"""What a user may find: the policies' SQL conditions, per kind of text, as a ``Scope``.

Every backend puts the scope INTO its query (the facet counts and snippets then only ever
see readable texts); nothing is filtered after the fact. The conditions come from the
policies, never re-decided here:

- the candidacy's documents (evidence pages, narratives): ``vae.permissions.DOSSIERS``,
  which already holds the candidate, the certifiers and the readers the review (active
  evaluators who declared) and the jury (members of the session who declared) register;
- an evaluator's own notes: where they read the dossier as an evaluator
  (``review.permissions.EVALUATOR_READER``);
- the other evaluators' notes and the consolidated ratings: once their own grid is in
  (``review.permissions.OTHERS_WORK_READER``: blind review);
- the consolidated ratings and the jury's notes: the session's members who may read the
  dossier as jury (``jury.permissions.JURY_READER``);
- certifiers (staff): everything. A candidate never sees an evaluator's or the jury's text.
"""

from jury import permissions as jury_permissions
from review import permissions as review_permissions
from search.base import Grant, Kind, Scope
from vae import permissions as vae_permissions
from vae.models import Candidacy

DOCUMENT_KINDS = frozenset({Kind.EVIDENCE_PAGE, Kind.NARRATIVE})
EVALUATOR_NOTE_KINDS = frozenset({Kind.PASSAGE, Kind.RATING, Kind.LINK_VERDICT})
JURY_KINDS = frozenset({Kind.CONSOLIDATED_RATING, Kind.BLOC_NOTE, Kind.RATING_REVISION})
ALL_KINDS = frozenset(Kind.values)

NOTHING = Scope(grants=())
EVERYTHING = Scope(grants=(Grant(kinds=ALL_KINDS, candidacies=None),))


def _candidacies(where, *more):
    # No ORDER BY: a subquery of ids needs none (Candidacy's default ordering).
    return Candidacy.objects.filter(where, *more).order_by().values("pk")


def scope_for(user) -> Scope:
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    if vae_permissions.is_certifier(user):
        return EVERYTHING
    grants = [
        Grant(kinds=DOCUMENT_KINDS, candidacies=_candidacies(vae_permissions.DOSSIERS.where(user)))
    ]
    if review_permissions.is_evaluator(user):
        reads = review_permissions.EVALUATOR_READER.where(user)
        grants.append(
            Grant(kinds=EVALUATOR_NOTE_KINDS, candidacies=_candidacies(reads), author_id=user.pk)
        )
        after_own_grid = review_permissions.OTHERS_WORK_READER.where(user)
        grants.append(
            Grant(
                kinds=EVALUATOR_NOTE_KINDS | {Kind.CONSOLIDATED_RATING},
                candidacies=_candidacies(after_own_grid),
            )
        )
    if jury_permissions.is_jury_member(user):
        grants.append(
            Grant(
                kinds=JURY_KINDS,
                candidacies=_candidacies(jury_permissions.JURY_READER.where(user)),
            )
        )
    return Scope(grants=tuple(grants))
