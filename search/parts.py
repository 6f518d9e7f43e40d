"""What search adds to the pages of the spaces below it (``vae.page_slots``): a search box
on the evaluator's and the jury's workspace and dossier pages, and in the livret 2; the
suggestions beside the evaluator's passage form and the candidate's link form; and the
matcher that highlights a search's words in an evidence page's text (``vae.text_marks``).

Each part shows only to who holds the space, so a page never offers a search its reader
would be refused."""

from django.template.loader import render_to_string
from django.urls import reverse

from livret.dossier.links.forms import EVIDENCE_PREFIX, NARRATIVE_PREFIX
from livret.models import EvidencePage
from referentiel import ids
from search.analysis import tokens
from search.query import parse
from search.snippets import query_terms
from search.spaces import EVALUATOR, JURY
from search.suggestions import suggest
from vae import text_marks
from vae.page_slots import register_part

BOX = "search/includes/box.html"
SUGGESTIONS = "search/includes/suggestions.html"
LINK_SUGGESTIONS = "search/includes/link_suggestions.html"
LINK_SUGGESTIONS_PANEL = "search/includes/link_suggestions_panel.html"
# The pages of a piece read for its suggestions: enough to judge, bounded for a long one.
SUGGESTION_PAGES = 30
# Criteria ranked before grouping them by compétence, and compétences offered.
SUGGESTED_CRITERIA = 9
SUGGESTED_COMPETENCES = 3


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


def _chosen(form) -> tuple[str, str]:
    """The name and text of the piece (its chosen pages, at most ``SUGGESTION_PAGES``) or
    of the narrative chosen in the candidate's link form; only their own (the form's
    lists). ("", "") when none is chosen."""
    value = str(form["source"].value() or "")
    narrative = form.narratives.get(ids.parse_prefixed_id(value, NARRATIVE_PREFIX))
    if narrative is not None:
        return f"récit de l'activité {narrative.activity.code}", narrative.text
    evidence = form.evidence.get(ids.parse_prefixed_id(value, EVIDENCE_PREFIX))
    if evidence is None or evidence.pk not in form.current_evidence:
        return "", ""
    first = ids.parse_id(form["page_from"].value()) or 1
    last = ids.parse_id(form["page_to"].value()) or first + SUGGESTION_PAGES - 1
    pages = EvidencePage.objects.filter(
        evidence=evidence, number__gte=first, number__lte=min(last, first + SUGGESTION_PAGES - 1)
    ).order_by("number")
    return evidence.title, "\n".join(pages.values_list("text", flat=True))


def link_suggestions_body(request, form, candidacy) -> str:
    """The compétences whose criteria best match the piece or narrative chosen in the
    candidate's link form, each with the criteria that matched ("" when none): the
    panel's content, and what ``search.views.link_suggestions`` sends when the choice
    changes. ``form``: a ``LinkForm`` of the candidacy's own dossier."""
    name, text = _chosen(form)
    competences = {competence.pk: competence for competence in candidacy.targeted_competences()}
    criteria = [
        criterion for competence in competences.values() for criterion in competence.criteria.all()
    ]
    offered: dict[int, list] = {}
    for suggestion in suggest(text, criteria, limit=SUGGESTED_CRITERIA):
        pk = suggestion.criterion.competence_id
        if pk in offered or len(offered) < SUGGESTED_COMPETENCES:
            offered.setdefault(pk, []).append(suggestion.criterion)
    if not offered:
        return ""
    context = {
        "name": name,
        "offered": [(competences[pk], matched) for pk, matched in offered.items()],
    }
    return render_to_string(LINK_SUGGESTIONS, context, request)


def link_suggestions(request, form=None, candidacy=None):
    """Beside the candidate's link form: the suggestions for the piece or narrative
    chosen, in a panel that static/js/competence-suggestions.js refreshes when another
    one is chosen. A click picks the compétence in the form; the candidate still writes
    why and saves."""
    if form is None or candidacy is None or candidacy.candidate_id != request.user.pk:
        return ""
    context = {
        "body": link_suggestions_body(request, form, candidacy),
        "url": reverse("search:link_suggestions", args=[candidacy.pk]),
    }
    return render_to_string(LINK_SUGGESTIONS_PANEL, context, request)


def register() -> None:
    register_part("review.workspace", "search", evaluator_box)
    register_part("review.dossier", "search", evaluator_box)
    register_part("jury.home", "search", jury_box)
    register_part("jury.candidate_file", "search", jury_box)
    register_part("livret.dossier", "search", candidate_box)
    register_part("review.page_form", "suggestions", page_suggestions)
    register_part("livret.link_form", "suggestions", link_suggestions)
    text_marks.register_matcher(matched_spans)


def matched_spans(text: str, raw: str) -> list[tuple[int, int]]:
    """Where the words of ``raw`` are in ``text``, as the snippets mark them: the same
    parser, the same analyser, the same stems (``search.snippets``)."""
    wanted = query_terms(parse(raw))
    return [(token.start, token.end) for token in tokens(text) if token.term in wanted]
