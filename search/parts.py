"""What search adds to the pages of the spaces below it (``vae.page_slots``): a search box
on the evaluator's and the jury's workspace and dossier pages, and in the livret 2; and the
matcher that highlights a search's words in an evidence page's text (``vae.text_marks``).

Each part shows only to who holds the space, so a page never offers a search its reader
would be refused."""

from django.template.loader import render_to_string
from django.urls import reverse

from search.analysis import tokens
from search.query import parse
from search.snippets import query_terms
from search.spaces import EVALUATOR, JURY
from search.suggestions import suggest
from vae import text_marks
from vae.page_slots import register_part

BOX = "search/includes/box.html"
SUGGESTIONS = "search/includes/suggestions.html"


def _box(request, url_name, label, *, args=(), candidacy=None, box_id="recherche"):
    context = {
        "action": reverse(url_name, args=args),
        "label": label,
        "candidacy_pk": candidacy.pk if candidacy is not None else None,
        "box_id": box_id,
    }
    return render_to_string(BOX, context, request)


def evaluator_box(request, candidacy=None):
    if not EVALUATOR.holds(request.user):
        return ""
    label = "Rechercher dans ce dossier" if candidacy else "Rechercher dans mes dossiers"
    return _box(request, "search:evaluator", label, candidacy=candidacy)


def jury_box(request, candidacy=None):
    if not JURY.holds(request.user):
        return ""
    label = (
        "Rechercher dans ce dossier"
        if candidacy
        else "Rechercher dans les dossiers de mes sessions"
    )
    return _box(request, "search:jury", label, candidacy=candidacy)


def candidate_box(request, candidacy):
    if candidacy.candidate_id != request.user.pk:
        return ""
    return _box(
        request, "search:candidate", "Rechercher dans mes récits et mes pièces", args=[candidacy.pk]
    )


def page_suggestions(request, text="", criteria=()):
    """Beside the evaluator's passage form on an evidence page."""
    found = suggest(text, criteria)
    if not found:
        return ""
    return render_to_string(SUGGESTIONS, {"suggestions": found}, request)


def register() -> None:
    register_part("review.workspace", "search", evaluator_box)
    register_part("review.dossier", "search", evaluator_box)
    register_part("jury.home", "search", jury_box)
    register_part("jury.candidate_file", "search", jury_box)
    register_part("livret.dossier", "search", candidate_box)
    register_part("review.page_form", "suggestions", page_suggestions)
    text_marks.register_matcher(matched_spans)


def matched_spans(text: str, raw: str) -> list[tuple[int, int]]:
    """Where the words of ``raw`` are in ``text``, as the snippets mark them: the same
    parser, the same analyser, the same stems (``search.snippets``)."""
    wanted = query_terms(parse(raw))
    return [(token.start, token.end) for token in tokens(text) if token.term in wanted]
