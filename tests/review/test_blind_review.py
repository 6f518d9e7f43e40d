"""Blind review, as a permission test on the rendered pages: until an evaluator's own grid
is submitted, nothing of the other evaluators' work reaches any of their pages (their
passages, how many there are per criterion, their verdicts on the candidate's links, their
ratings, their comments, whether they are done); once it is, the counts and ratings show.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from review import permissions
from review.enums import AssignmentStatus, EvaluatorCategory, LinkVerdict, PassageKind
from review.models import Assignment, CandidateLinkReview, CompetenceRating, CriterionLink
from review.selectors.dossier import dossier_page
from tests.factories import CandidacyFactory, UserFactory, make_grids, make_panel
from tests.review.support import login
from vae.enums import CandidacyState, Role
from vae.models import Candidacy

SECRETS = ("Commentaire secret", "Motif secret", "Justification secrète")


def first_criterion(candidacy):
    return (
        candidacy.certification.blocs.order_by("sort_order")
        .first()
        .activities.order_by("sort_order")
        .first()
        .competences.order_by("sort_order")
        .first()
        .criteria.order_by("pk")
        .first()
    )


@pytest.fixture
def others_worked(candidacy, panel, evidence):
    """The three other evaluators each linked a passage to the first criterion (with a
    comment), gave a verdict on the candidate's first link (with a reason) and submitted
    a grid (with their own justification). ``panel[0]`` has done nothing yet."""
    criterion = first_criterion(candidacy)
    candidate_link = candidacy.dossier.links.order_by("pk").first()
    verdicts = [LinkVerdict.ACCEPTED, LinkVerdict.ACCEPTED, LinkVerdict.REJECTED]
    for n, (other, verdict) in enumerate(zip(panel[1:], verdicts, strict=True), start=1):
        passage = CriterionLink.objects.create(
            assignment=other,
            kind=PassageKind.PAGE,
            evidence=evidence,
            page=1,
            comment=f"Commentaire secret {n}",
        )
        passage.criteria.set([criterion])
        CandidateLinkReview.objects.create(
            link=candidate_link, assignment=other, verdict=verdict, reason=f"Motif secret {n}"
        )
    make_grids(candidacy, panel[1:], rating="non_acquis")
    for n, other in enumerate(panel[1:], start=1):
        CompetenceRating.objects.filter(assignment=other).update(
            justification=f"Justification secrète {n}"
        )
    return {"criterion": criterion, "candidate_link": candidate_link}


def criterion_row(body, criterion) -> str:
    text = criterion.text.replace("'", "&#x27;")
    match = re.search(r'<th scope="row">' + re.escape(text) + r"</th>(.*?)</tr>", body, re.S)
    assert match is not None
    return match.group(1)


def candidate_link_item(body, link) -> str:
    item = body[body.index(f'id="lien-candidat-{link.pk}"') :]
    return item[: item.index("</li>")]


def evaluator_pages(assignment, evidence):
    return {
        "dossier": reverse("review:dossier", args=[assignment.pk]),
        "page": reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1]),
        "grid": reverse("review:grid", args=[assignment.pk]),
    }


def assert_nothing_of_the_others(body, panel, where):
    for secret in SECRETS:
        assert secret not in body, where
    for other in panel[1:]:
        assert other.evaluator.last_name not in body, where


def test_before_own_grid_no_page_shows_the_others_work(
    client, candidacy, panel, evidence, others_worked
):
    mine = panel[0]
    client = login(client, mine.evaluator)
    for where, url in evaluator_pages(mine, evidence).items():
        response = client.get(url)
        assert response.status_code == 200, where
        assert_nothing_of_the_others(response.content.decode(), panel, where)

    body = client.get(reverse("review:dossier", args=[mine.pk])).content.decode()
    # The coverage matrix has no column for the others, and no count in the criterion's row.
    assert "Passages des autres évaluateurs" not in body
    row = criterion_row(body, others_worked["criterion"])
    assert "Aucun passage" in row
    assert "<td>3</td>" not in row
    assert "après la remise de votre grille" in body
    # The candidate's link: my verdict slot, none of theirs, not even as counts.
    item = candidate_link_item(body, others_worked["candidate_link"])
    assert "accepté" not in item
    assert "rejeté" not in item
    assert "visibles après la remise de votre grille" in item


def test_after_own_grid_the_counts_and_ratings_show(
    client, candidacy, panel, evidence, others_worked
):
    mine = panel[0]
    make_grids(candidacy, [mine])
    client = login(client, mine.evaluator)

    body = client.get(reverse("review:dossier", args=[mine.pk])).content.decode()
    assert "Passages des autres évaluateurs" in body
    assert "<td>3</td>" in criterion_row(body, others_worked["criterion"])
    item = candidate_link_item(body, others_worked["candidate_link"])
    assert "2 acceptés, 1 rejeté" in item
    # On the dossier page the others' work stays counts: never their words.
    for secret in SECRETS:
        assert secret not in body

    grid = client.get(reverse("review:grid", args=[mine.pk])).content.decode()
    assert "Justification secrète 1" in grid
    assert panel[1].evaluator.last_name in grid


def test_the_selector_does_not_read_the_others_work_before(candidacy, panel, others_worked):
    mine = panel[0]
    data = dossier_page(mine, viewer=mine.evaluator)
    assert data.others_shown is False
    rows = [row for bloc in data.blocs for c in bloc.competences for row in c.criteria]
    assert all(row.others is None for row in rows)
    links = list(data.candidate_links())
    assert all(link.others_accepted == link.others_rejected == 0 for link in links)

    make_grids(candidacy, [mine])
    mine.refresh_from_db()
    data = dossier_page(mine, viewer=mine.evaluator)
    assert data.others_shown is True
    assert max(row.others for b in data.blocs for c in b.competences for row in c.criteria) == 3


def test_certifier_seat_consolidation_page_is_blind_before_own_grid(
    client, candidacy, panel, evidence
):
    seat = next(a for a in panel if a.category == EvaluatorCategory.CERTIFIER)
    others = [a for a in panel if a.pk != seat.pk]
    make_grids(candidacy, others[:2])
    client = login(client, seat.evaluator)
    url = reverse("review:consolidation", args=[seat.pk])

    body = client.get(url).content.decode()
    # Who has submitted is the others' work too: not shown while the seat's own grid is out.
    for other in others:
        assert other.evaluator.last_name not in body
    assert "Remettez d'abord votre grille" in body

    make_grids(candidacy, [seat])
    body = client.get(url).content.decode()
    assert others[2].evaluator.last_name in body  # still awaited, now named
    assert others[0].evaluator.last_name not in body  # submitted: not awaited


def test_a_removed_evaluator_s_work_is_never_counted(client, candidacy, panel, others_worked):
    mine = panel[0]
    Assignment.objects.filter(pk=panel[1].pk).update(status="removed", ended_at=timezone.now())
    make_grids(candidacy, [mine])
    body = login(client, mine.evaluator).get(reverse("review:dossier", args=[mine.pk]))
    body = body.content.decode()
    assert "<td>2</td>" in criterion_row(body, others_worked["criterion"])
    assert "1 accepté, 1 rejeté" in candidate_link_item(body, others_worked["candidate_link"])


def test_the_condition_on_candidacies_agrees_with_the_decision(candidacy, panel, others_worked):
    """``OTHERS_WORK_READER.where`` (what the search puts in its query) reads the
    candidacies ``can_see_others_work`` opens, seat by seat: none before one's own grid,
    the candidacy after it, none for a removed seat or a candidacy no longer read."""
    reader = permissions.OTHERS_WORK_READER
    other = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    make_panel(other)
    candidacies = Candidacy.objects.filter(pk__in=[candidacy.pk, other.pk])

    def agree(user):
        decided = {c.pk for c in candidacies if reader.can(user, c)}
        assert set(candidacies.filter(reader.where(user)).values_list("pk", flat=True)) == decided
        return decided

    me, done = panel[0].evaluator, panel[1].evaluator
    assert agree(me) == set()  # own grid not in
    assert agree(done) == {candidacy.pk}
    make_grids(candidacy, [panel[0]])
    assert agree(me) == {candidacy.pk}
    Assignment.objects.filter(pk=panel[1].pk).update(status=AssignmentStatus.REMOVED)
    assert agree(done) == set()
    Candidacy.objects.filter(pk=candidacy.pk).update(state=CandidacyState.JURY_SCHEDULED)
    assert agree(me) == set()  # the jury reads it now, not the panel
    assert agree(UserFactory(role=Role.CANDIDATE)) == set()
