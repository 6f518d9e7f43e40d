"""Where each hit leads, for each reader who may find it: a page the reader may open (the
test client follows the link and gets 200) and, on it, the element the link's anchor
names — the récit, the passage, the compétence's ratings, the bloc's notes — not merely
the right page. Each text holds a word of its own, searched as the reader would."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jury.models import ConflictDeclaration, InterviewBlocNote, InterviewRecord, RatingRevision
from livret.models import CompetenceLink, Evidence, EvidencePage, Narrative
from referentiel.enums import Rating
from review.enums import EvaluatorCategory, LinkVerdict, PassageKind
from review.models import CandidateLinkReview, CompetenceRating, ConsolidatedRating, CriterionLink
from search.api import search
from search.spaces import CANDIDATE, CERTIFIER, EVALUATOR, JURY
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.factories.jury import make_session, make_slot
from tests.factories.review import make_consolidation, make_grids, make_panel
from tests.search.support import rebuild
from vae.enums import CandidacyState, Role
from vae.models import Candidacy

pytestmark = pytest.mark.django_db


def _passage(assignment, comment, **where):
    link = CriterionLink.objects.create(assignment=assignment, comment=comment, **where)
    link.criteria.set([assignment.candidacy.targeted_competences()[0].criteria.first()])
    return link


@pytest.fixture
def world(referentiel):
    """A candidacy in review: a panel whose grids are in and consolidated, a session's
    member who declared no conflict (who reads once the jury is scheduled: ``jury_world``),
    and one text per kind of hit."""
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, blocs=["BC3"])
    panel = make_panel(candidacy)
    make_grids(candidacy, panel)
    me = next(a for a in panel if a.category != EvaluatorCategory.CERTIFIER)
    rep = next(a for a in panel if a.category == EvaluatorCategory.CERTIFIER)
    other = next(a for a in panel if a not in (me, rep))
    make_consolidation(candidacy, by=rep.evaluator)
    competence = candidacy.targeted_competences()[0]
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    if not evidence.pages.exists():
        EvidencePage.objects.create(evidence=evidence, number=1, text="Relevé bancaire.")
    narrative = Narrative.objects.filter(dossier__candidacy=candidacy).order_by("pk").first()
    Narrative.objects.filter(pk=narrative.pk).update(text="Le récit du zébrure de tournage.")
    rating = CompetenceRating.objects.get(assignment=me, competence=competence)
    rating.justification = "Une appréciation gondolière."
    rating.save()
    consolidated = ConsolidatedRating.objects.get(candidacy=candidacy, competence=competence)
    consolidated.justification = "Consolidation bastingage."
    consolidated.save()
    mine = _passage(me, "Passage carambole.", kind=PassageKind.PAGE, evidence=evidence, page=1)
    # A second passage of mine first: the number counts every passage of the evaluator.
    _passage(me, "Un autre.", kind=PassageKind.PAGE, evidence=evidence, page=1)
    CriterionLink.objects.filter(pk=mine.pk).update(created_at=timezone.now())
    on_narrative = _passage(
        other,
        "Passage farandole.",
        kind=PassageKind.NARRATIVE,
        narrative=narrative,
        start=3,
        end=8,
        quote="récit",
    )
    on_page = _passage(
        other, "Passage girandole.", kind=PassageKind.PAGE, evidence=evidence, page=1
    )
    candidate_link = CompetenceLink.objects.filter(dossier__candidacy=candidacy).first()
    verdict = CandidateLinkReview.objects.create(
        link=candidate_link,
        assignment=me,
        verdict=LinkVerdict.REJECTED,
        reason="Lien mirliton.",
    )
    session = make_session()
    member = session.seats.order_by("pk").first().member
    slot = make_slot(candidacy, session)
    ConflictDeclaration.objects.create(
        member=member, candidacy=candidacy, session=session, no_conflict=True
    )
    record = InterviewRecord.objects.create(slot=slot)
    note = InterviewBlocNote.objects.create(
        record=record, bloc=competence.activity.bloc, observations="Note bilboquet."
    )
    revision = RatingRevision.objects.create(
        record=record,
        competence=competence,
        from_rating=Rating.ACQUIRED,
        to_rating=Rating.PARTIAL,
        reason="Révision cerfvolant.",
        created_by=member.user,
    )
    rebuild()
    return {
        "candidacy": candidacy,
        "me": me,
        "rep": rep,
        "member": member.user,
        "slot": slot,
        "competence": competence,
        "narrative": narrative,
        "evidence": evidence,
        "rating": rating,
        "consolidated": consolidated,
        "mine": mine,
        "on_narrative": on_narrative,
        "on_page": on_page,
        "candidate_link": candidate_link,
        "verdict": verdict,
        "bloc": competence.activity.bloc,
        "note": note,
        "revision": revision,
    }


@pytest.fixture
def jury_world(world):
    """The same candidacy once its jury is scheduled (the state set, as the factory does)."""
    Candidacy.objects.filter(pk=world["candidacy"].pk).update(state=CandidacyState.JURY_SCHEDULED)
    return world


def destination(user, space, word) -> str:
    """The link of the one hit ``user`` gets for ``word``, as their search page makes it."""
    results = search(word, user=user)
    assert results.total == 1, [hit.key for hit in results.hits]
    return space.links(user, results.hits, word).url(results.hits[0])


def opened(client, user, url):
    """The page ``url`` opens for ``user`` (200) and the element its anchor names."""
    log_in(client, user)
    path, _, anchor = url.partition("#")
    response = client.get(path)
    assert response.status_code == 200, url
    html = response.content.decode()
    if anchor:
        assert re.search(rf'\bid="{re.escape(anchor)}"', html), f"#{anchor} not in {path}"
    return html


def test_an_evaluator_opens_the_narrative_at_its_text(client, world):
    me = world["me"]
    url = destination(me.evaluator, EVALUATOR, "zebrure")
    dossier = reverse("review:dossier", args=[me.pk])
    assert url == f"{dossier}#recit-{world['narrative'].pk}"
    html = opened(client, me.evaluator, url)
    assert "zébrure" in html


def test_an_evaluator_opens_their_own_passage_by_its_number(client, world):
    me = world["me"]
    url = destination(me.evaluator, EVALUATOR, "carambole")
    assert url == f"{reverse('review:dossier', args=[me.pk])}#passage-2"
    html = opened(client, me.evaluator, url)
    numbered = re.search(r'id="passage-2".*?(?=id="passage-|</ol>)', html, re.S).group(0)
    assert "carambole" in numbered


def test_an_evaluator_opens_another_evaluators_passage_where_it_quotes(client, world):
    me, evidence = world["me"], world["evidence"]
    url = destination(me.evaluator, EVALUATOR, "farandole")
    assert url == f"{reverse('review:dossier', args=[me.pk])}#recit-{world['narrative'].pk}"
    opened(client, me.evaluator, url)
    url = destination(me.evaluator, EVALUATOR, "girandole")
    page = reverse("review:evidence_page", args=[me.pk, evidence.pk, 1])
    assert url == f"{page}?surligner=girandole#texte-page"
    opened(client, me.evaluator, url)


def test_an_evaluator_opens_a_rating_at_its_competence_in_their_grid(client, world):
    me, competence = world["me"], world["competence"]
    grid = reverse("review:grid", args=[me.pk])
    for word in ("gondoliere", "bastingage"):  # their rating, the consolidated one
        url = destination(me.evaluator, EVALUATOR, word)
        assert url == f"{grid}#competence-{competence.pk}"
        opened(client, me.evaluator, url)


def test_the_certifiers_representative_opens_the_consolidated_rating_in_the_consolidation(
    client, world
):
    rep = world["rep"]
    url = destination(rep.evaluator, EVALUATOR, "bastingage")
    consolidation = reverse("review:consolidation", args=[rep.pk])
    assert url == f"{consolidation}#competence-{world['competence'].pk}"
    opened(client, rep.evaluator, url)


def test_an_evaluator_opens_their_verdict_at_the_candidates_link(client, world):
    me = world["me"]
    url = destination(me.evaluator, EVALUATOR, "mirliton")
    dossier = reverse("review:dossier", args=[me.pk])
    assert url == f"{dossier}#lien-candidat-{world['candidate_link'].pk}"
    html = opened(client, me.evaluator, url)
    assert "mirliton" in html


@pytest.mark.parametrize(
    ("word", "anchor"),
    [
        ("zebrure", "recit-{narrative.pk}"),
        ("bilboquet", "notes-bloc-{bloc.pk}"),
        ("cerfvolant", "competence-{competence.pk}"),
        ("bastingage", "competence-{competence.pk}"),
    ],
    ids=["narrative", "bloc_note", "rating_revision", "consolidated_rating"],
)
def test_a_jury_member_opens_each_text_at_its_place_in_the_candidate_file(
    client, jury_world, word, anchor
):
    world = jury_world
    member = world["member"]
    url = destination(member, JURY, word)
    candidate_file = reverse("jury:candidate_file", args=[world["slot"].pk])
    assert url == f"{candidate_file}#{anchor.format(**world)}"
    opened(client, member, url)


def test_a_jury_members_narrative_heading_holds_the_narratives_text(client, jury_world):
    world = jury_world
    html = opened(client, world["member"], destination(world["member"], JURY, "zebrure"))
    after = html.split(f'id="recit-{world["narrative"].pk}"', 1)[1]
    assert "zébrure" in after.split("<h4", 1)[0]


def test_the_candidate_opens_their_narrative(client, world):
    candidacy, narrative = world["candidacy"], world["narrative"]
    url = destination(candidacy.candidate, CANDIDATE, "zebrure")
    assert url == reverse("livret:narrative", args=[candidacy.pk, narrative.activity_id])
    assert "zébrure" in opened(client, candidacy.candidate, url)


@pytest.mark.parametrize(
    ("word", "anchor"),
    [
        ("gondoliere", "appreciation-{rating.pk}"),
        ("bastingage", "consolidee-{consolidated.pk}"),
        ("carambole", "passage-{mine.pk}"),
        ("farandole", "passage-{on_narrative.pk}"),
        ("mirliton", "avis-{verdict.pk}"),
    ],
    ids=["rating", "consolidated_rating", "passage", "passage_on_narrative", "link_verdict"],
)
def test_a_certifier_opens_the_rating_itself_on_the_ratings_page(client, world, word, anchor):
    certifier = UserFactory(role=Role.CERTIFIER)
    url = destination(certifier, CERTIFIER, word)
    ratings = reverse("review_admin:ratings", args=[world["candidacy"].pk])
    assert url == f"{ratings}#{anchor.format(**world)}"
    html = opened(client, certifier, url)
    element = re.search(rf'id="{anchor.format(**world)}".*?</(tr|div|li)>', html, re.S).group(0)
    assert word[:6] in element


@pytest.mark.parametrize(
    ("word", "anchor"),
    [("bilboquet", "note-{note.pk}"), ("cerfvolant", "jury-revision-{revision.pk}")],
    ids=["bloc_note", "rating_revision"],
)
def test_a_certifier_opens_a_jury_note_or_revision_in_the_interview_record(
    client, jury_world, word, anchor
):
    world = jury_world
    certifier = UserFactory(role=Role.CERTIFIER)
    url = destination(certifier, CERTIFIER, word)
    record = reverse("jury_admin:interview", args=[world["candidacy"].pk])
    assert url == f"{record}#{anchor.format(**world)}"
    html = opened(client, certifier, url)
    element = re.search(rf'id="{anchor.format(**world)}".*?</(dl|li)>', html, re.S).group(0)
    assert word[:6] in element
