"""Search end to end on the configured database (SQLite FTS5 in the SQLite run,
PostgreSQL's tsvector in the PostgreSQL run): French matching, syntax, synonyms, hits,
snippets, facets and pagination."""

import pytest

from livret.enums import EvidenceKind
from search.api import search
from search.base import Filters, Kind
from tests.factories import CandidacyFactory, UserFactory
from tests.search.support import add_evidence, keys, page_key, rebuild
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db

PAGES = {
    "tresorerie": "Le plan de trésorerie mensuel prévoit le paiement des cachets en mars.",
    "bulletin": "Bulletin de paie de janvier : cotisations versées à l'URSSAF.",
    "intermittents": "Déclaration d’intermittents du spectacle (annexe 8) et DPAE.",
    "dpae": "La déclaration préalable à l'embauche est faite avant le tournage.",
    "devis": "Devis du loueur de matériel et plan de financement du film.",
    "separes": "Le plan du décor et la trésorerie de la société sont traités à part.",
}


@pytest.fixture
def world(referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    other = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    pieces = {name: add_evidence(candidacy, f"Pièce {name}", text) for name, text in PAGES.items()}
    elsewhere = add_evidence(
        other, "Budget", "Trésorerie d'un autre film.", kind=EvidenceKind.BUDGET
    )
    rebuild()
    return {
        "candidacy": candidacy,
        "other": other,
        "pieces": pieces,
        "elsewhere": elsewhere,
        "staff": UserFactory(role=Role.CERTIFIER),
    }


def found(world, raw, **filters):
    return keys(raw, world["staff"], **filters)


def piece_keys(world, *names):
    return sorted(page_key(world["pieces"][name]) for name in names)


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("bulletins", ["bulletin"]),
        ("BULLETIN", ["bulletin"]),
        ("l'URSSAF", ["bulletin"]),
        ("urssaf", ["bulletin"]),
        ("intermittent", ["intermittents"]),
        ("d’intermittents", ["intermittents"]),
        ("cachet", ["tresorerie"]),
        ('"plan de trésorerie"', ["tresorerie"]),
        ("plan trésorerie", ["separes", "tresorerie"]),
        ("trésorerie -décor", ["tresorerie"]),
        ("cachets OR loueur", ["devis", "tresorerie"]),
        ("DPAE", ["dpae", "intermittents"]),
        ('"déclaration préalable à l’embauche"', ["dpae", "intermittents"]),
        ('"plan de tresorerie', ["separes", "tresorerie"]),
    ],
    ids=[
        "plural",
        "upper-case",
        "elision",
        "acronym",
        "singular-finds-plural",
        "curly-elision",
        "stem",
        "phrase",
        "two-words-anywhere",
        "exclusion",
        "or",
        "acronym-finds-its-expansion",
        "expansion-finds-the-acronym",
        "unbalanced-quote-falls-back",
    ],
)
def test_french_matching(world, raw, names):
    assert found(world, raw, candidacy=world["candidacy"].pk) == piece_keys(world, *names)


def test_accents_do_not_matter_either_way(world):
    expected = sorted([*piece_keys(world, "tresorerie", "separes"), page_key(world["elsewhere"])])
    assert found(world, "tresorerie") == expected
    assert found(world, "TRÉSORERIE") == expected


def test_a_hit_says_what_and_where_with_a_safe_highlighted_snippet(world):
    results = search("trésorerie mensuel", user=world["staff"])
    hit = results.hits[0]
    evidence = world["pieces"]["tresorerie"]
    assert (hit.key, hit.kind, hit.object_id, hit.page) == (
        page_key(evidence),
        Kind.EVIDENCE_PAGE,
        evidence.pk,
        1,
    )
    assert hit.candidacy_id == world["candidacy"].pk
    assert hit.title == "Pièce tresorerie"
    assert "<mark>trésorerie</mark> <mark>mensuel</mark>" in hit.snippet
    assert hit.score > 0
    assert results.took_ms > 0


def test_the_snippet_escapes_the_text(world):
    add_evidence(world["candidacy"], "HTML", "Budget <script>alert(1)</script> & honoraires")
    rebuild()
    snippet = search("honoraires", user=world["staff"]).hits[0].snippet
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>honoraires</mark>" in snippet


def test_the_better_match_ranks_first(world):
    add_evidence(world["candidacy"], "Cachets", "Cachets, cachets et encore des cachets.")
    rebuild()
    assert search("cachets", user=world["staff"]).hits[0].title == "Cachets"


def test_a_title_is_searched_too(world):
    assert page_key(world["elsewhere"]) in found(world, "budget")


def test_an_empty_or_stop_word_query_finds_nothing(world):
    for raw in ("", "   ", "de la"):
        results = search(raw, user=world["staff"])
        assert (results.total, results.hits) == (0, [])


def test_pagination_and_facets(world):
    candidacy = world["candidacy"]
    for number in range(23):
        add_evidence(candidacy, f"Relevé {number}", f"Relevé bancaire numéro {number}.")
    add_evidence(world["other"], "Relevé", "Relevé bancaire.", kind=EvidenceKind.BUDGET)
    rebuild()
    first = search("relevé", user=world["staff"], page=1)
    second = search("relevé", user=world["staff"], page=2)
    assert (first.total, len(first.hits), len(second.hits)) == (24, 20, 4)
    assert not {hit.key for hit in first.hits} & {hit.key for hit in second.hits}
    facets = {name: {v.value: v.count for v in values} for name, values in first.facets.items()}
    assert facets["candidacy"] == {str(candidacy.pk): 23, str(world["other"].pk): 1}
    assert facets["kind"] == {Kind.EVIDENCE_PAGE: 24}
    assert facets["evidence_type"] == {EvidenceKind.CASH_PLAN: 23, EvidenceKind.BUDGET: 1}
    assert facets["state"] == {CandidacyState.UNDER_REVIEW: 24}
    assert first.facets["candidacy"][0].value == str(candidacy.pk)  # biggest first
    beyond = search("relevé", user=world["staff"], page=3)
    assert (beyond.total, beyond.hits) == (24, [])


def test_filters_narrow_hits_and_counts(world):
    other = world["other"]
    assert found(world, "trésorerie", candidacy=other.pk) == [page_key(world["elsewhere"])]
    assert found(world, "trésorerie", evidence_type=EvidenceKind.BUDGET) == [
        page_key(world["elsewhere"])
    ]
    assert found(world, "trésorerie", kind=Kind.NARRATIVE) == []
    assert found(world, "trésorerie", state=CandidacyState.REVIEWED) == []
    results = search("trésorerie", user=world["staff"], filters=Filters(candidacy=other.pk))
    assert [(v.value, v.count) for v in results.facets["candidacy"]] == [(str(other.pk), 1)]


def test_bloc_and_competence_come_from_the_candidates_links(world):
    candidacy = world["candidacy"]
    competence = candidacy.targeted_competences()[0]
    bloc = competence.activity.bloc.code
    linked = add_evidence(candidacy, "Lié", "Échéancier des acomptes.", competence=competence)
    rebuild()
    results = search("acomptes", user=world["staff"])
    assert {v.value for v in results.facets["competence"]} == {competence.code}
    assert {v.value for v in results.facets["bloc"]} == {bloc}
    assert found(world, "acomptes", bloc=bloc) == [page_key(linked)]
    assert found(world, "acomptes", competence="ZZ9") == []
