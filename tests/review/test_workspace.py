"""The evaluator's workspace, dossier page and evidence pages: access and content."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.enums import FileType
from livret.models import Evidence, EvidencePage
from review.enums import AssignmentStatus, LinkVerdict, PassageKind
from review.models import CandidateLinkReview, CompetenceRating, CriterionLink
from review.selectors.text import SelectableText, segments
from tests.factories import (
    NARRATIVE_TEXT,
    CandidacyFactory,
    EvaluatorFactory,
    UserFactory,
    make_grids,
    make_panel,
)
from tests.review.support import login, source_texts
from vae.enums import CandidacyState, Role

# -- the workspace --------------------------------------------------------------------------


def test_workspace_anonymous_goes_to_login(client, db):
    response = client.get(reverse("review:workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.JURY_MEMBER, Role.CERTIFIER])
def test_workspace_is_for_evaluators_only(client, db, role):
    response = login(client, UserFactory(role=role)).get(reverse("review:workspace"))
    assert response.status_code == 403


def test_workspace_lists_held_assignments_with_progress(client, candidacy, panel):
    assignment = panel[0]
    assignment.due_date = timezone.localdate() - datetime.timedelta(days=1)
    assignment.save()
    criterion = candidacy.certification.blocs.first().activities.first()
    criterion = criterion.competences.first().criteria.first()
    link = CriterionLink.objects.create(
        assignment=assignment,
        kind=PassageKind.PAGE,
        evidence=Evidence.objects.get(dossier__candidacy=candidacy),
        page=1,
    )
    link.criteria.set([criterion])
    CompetenceRating.objects.create(
        assignment=assignment,
        competence=criterion.competence,
        rating="acquis",
        justification="Vu.",
    )
    other = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    pending = make_panel(other, declared=False)[1]
    pending.evaluator = assignment.evaluator
    pending.save()
    # Someone else's panel, and a seat this evaluator no longer holds: not listed.
    third = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    ended = make_panel(third)[0]
    ended.evaluator = assignment.evaluator
    ended.status = AssignmentStatus.CONFLICT
    ended.save()

    response = login(client, assignment.evaluator).get(reverse("review:workspace"))

    assert response.status_code == 200
    body = response.content.decode()
    assert candidacy.reference in body
    assert other.reference in body
    assert third.reference not in body
    assert "En retard" in body
    assert "Compétences appréciées : 1/26" in body
    assert "Grille non remise" in body
    assert reverse("review:dossier", args=[assignment.pk]) in body
    assert reverse("review:declare", args=[pending.pk]) in body
    assert reverse("review:dossier", args=[pending.pk]) not in body
    [row] = [r for r in response.context["rows"] if r.assignment.pk == assignment.pk]
    assert (row.links_count, row.rated_count, row.competence_total) == (1, 1, 26)
    assert row.is_late


def test_workspace_late_only_while_grid_not_submitted(client, candidacy, panel):
    assignment = panel[0]
    assignment.due_date = timezone.localdate() - datetime.timedelta(days=3)
    assignment.grid_submitted_at = timezone.now()
    assignment.save()
    response = login(client, assignment.evaluator).get(reverse("review:workspace"))
    assert "En retard" not in response.content.decode()
    assert "Grille remise le" in response.content.decode()


# -- the dossier page: who may open it ------------------------------------------------------


def test_dossier_anonymous_goes_to_login(client, assignment):
    response = client.get(reverse("review:dossier", args=[assignment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.JURY_MEMBER, Role.CERTIFIER])
def test_dossier_other_roles_get_404(client, assignment, role):
    response = login(client, UserFactory(role=role)).get(
        reverse("review:dossier", args=[assignment.pk])
    )
    assert response.status_code == 404


def test_dossier_owner_candidate_gets_404(client, candidacy, assignment):
    response = login(client, candidacy.candidate).get(
        reverse("review:dossier", args=[assignment.pk])
    )
    assert response.status_code == 404


def test_dossier_of_another_evaluator_is_404(client, panel):
    response = login(client, panel[1].evaluator).get(reverse("review:dossier", args=[panel[0].pk]))
    assert response.status_code == 404


def test_dossier_evaluator_not_on_panel_is_404(client, assignment):
    stranger = EvaluatorFactory()
    response = login(client, stranger).get(reverse("review:dossier", args=[assignment.pk]))
    assert response.status_code == 404


def test_before_declaration_redirects_to_declare_and_shows_nothing(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    assignment = make_panel(candidacy, declared=False)[0]
    client = login(client, assignment.evaluator)
    response = client.get(reverse("review:dossier", args=[assignment.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("review:declare", args=[assignment.pk])
    assert NARRATIVE_TEXT[:40] not in response.content.decode()
    followed = client.get(reverse("review:dossier", args=[assignment.pk]), follow=True)
    body = followed.content.decode()
    assert NARRATIVE_TEXT[:40] not in body
    assert "Bulletins de paie 2024" not in body
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    page = client.get(reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1]))
    assert page.status_code == 302
    assert page["Location"] == reverse("review:declare", args=[assignment.pk])


@pytest.mark.parametrize("status", [AssignmentStatus.CONFLICT, AssignmentStatus.REMOVED])
def test_ended_assignment_is_404(client, assignment, evidence, status):
    assignment.status = status
    assignment.save()
    client = login(client, assignment.evaluator)
    assert client.get(reverse("review:dossier", args=[assignment.pk])).status_code == 404
    url = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "state", [CandidacyState.JURY_SCHEDULED, CandidacyState.DECIDED, CandidacyState.WITHDRAWN]
)
def test_dossier_not_readable_in_later_states(client, assignment, state):
    candidacy = assignment.candidacy
    type(candidacy).objects.filter(pk=candidacy.pk).update(state=state)
    response = login(client, assignment.evaluator).get(
        reverse("review:dossier", args=[assignment.pk]), follow=True
    )
    assert response.redirect_chain[0][0] == reverse("review:workspace")
    body = response.content.decode()
    assert "pas consultable" in body
    assert NARRATIVE_TEXT[:40] not in body


def test_dossier_readable_before_review_starts_but_read_only(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    assignment = make_panel(candidacy)[0]
    response = login(client, assignment.evaluator).get(
        reverse("review:dossier", args=[assignment.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "L&#x27;évaluation n&#x27;a pas encore commencé" in body
    assert reverse("review:link_add", args=[assignment.pk]) not in body
    assert "candidate_link_verdict" not in body
    assert "passage-select.js" not in body


# -- the dossier page: content ----------------------------------------------------------------


def test_dossier_shows_narratives_evidence_criteria_and_candidate_links(
    client, candidacy, assignment, narrative, evidence
):
    response = login(client, assignment.evaluator).get(
        reverse("review:dossier", args=[assignment.pk])
    )
    assert response.status_code == 200
    body = response.content.decode()
    # Every récit, selectable, its text exactly as stored.
    texts = source_texts(response)
    narratives = list(candidacy.dossier.narratives.all())
    assert len(narratives) == 12
    for item in narratives:
        assert texts[f"narrative:{item.pk}"] == item.text
    # The evidence and a way to each of its pages.
    assert "Bulletins de paie 2024" in body
    assert reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 2]) in body
    # All 106 criteria, as checkboxes of the passage form and rows of the matrix.
    assert body.count('name="link-criteria"') == 106
    assert body.count("review-matrix__missing") == 106
    # The candidate's links with their justification and a verdict form each.
    assert body.count("Le bulletin montre la paie que j&#x27;ai établie.") == 26
    assert len(re.findall(r'<textarea name="avis-\d+-reason"', body)) == 26
    assert "passage-select.js" in body


def test_candidate_link_verdicts_show_mine_and_counts_of_others(client, candidacy, panel):
    mine, other, third = panel[0], panel[1], panel[2]
    link = candidacy.dossier.links.order_by("pk").first()
    CandidateLinkReview.objects.create(
        link=link, assignment=mine, verdict=LinkVerdict.REJECTED, reason="Page illisible."
    )
    CandidateLinkReview.objects.create(
        link=link, assignment=other, verdict=LinkVerdict.REJECTED, reason="Motif secret de B."
    )
    CandidateLinkReview.objects.create(link=link, assignment=third, verdict=LinkVerdict.ACCEPTED)

    def item_for(response):
        body = response.content.decode()
        item = body[body.index(f'id="lien-candidat-{link.pk}"') :]
        return body, item[: item.index("</li>")]

    client = login(client, mine.evaluator)
    # Blind until my grid is submitted: not even the others' counts show.
    body, item = item_for(client.get(reverse("review:dossier", args=[mine.pk])))
    assert "Rejeté" in item
    assert "Page illisible." in item
    assert "visibles après la remise de votre grille" in item
    assert "1 accepté" not in item
    mine.grid_submitted_at = timezone.now()
    mine.save()
    body, item = item_for(client.get(reverse("review:dossier", args=[mine.pk])))
    assert "1 accepté, 1 rejeté" in item
    # Other evaluators' verdicts are counts only: their reasons are not shown.
    assert "Motif secret de B." not in body


def test_other_evaluators_link_counts_in_matrix(client, candidacy, panel, evidence):
    criterion = (
        candidacy.certification.blocs.order_by("sort_order")
        .first()
        .activities.order_by("sort_order")
        .first()
        .competences.order_by("sort_order")
        .first()
        .criteria.first()
    )
    for assignment in panel[1:3]:
        link = CriterionLink.objects.create(
            assignment=assignment, kind=PassageKind.PAGE, evidence=evidence, page=1
        )
        link.criteria.set([criterion])
    # The counts show once this evaluator's grid is in (blind review: test_blind_review).
    make_grids(candidacy, panel[:1])
    response = login(client, panel[0].evaluator).get(reverse("review:dossier", args=[panel[0].pk]))
    body = response.content.decode()
    row = re.search(
        r"<th scope=\"row\">"
        + re.escape(criterion.text.replace("'", "&#x27;"))
        + r"</th>(.*?)</tr>",
        body,
        re.S,
    )
    assert row is not None
    assert "Aucun passage" in row.group(1)
    assert "<td>2</td>" in row.group(1)
    # The matrix counts the others' links but lists only this evaluator's passages.
    assert response.context["data"].links == ()


def test_read_only_after_grid_submission(client, candidacy, panel):
    make_grids(candidacy, panel[:1])
    assignment = panel[0]
    response = login(client, assignment.evaluator).get(
        reverse("review:dossier", args=[assignment.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Votre grille est remise" in body
    assert reverse("review:link_add", args=[assignment.pk]) not in body
    assert 'name="avis-' not in body
    assert NARRATIVE_TEXT[:40] in body


# -- evidence pages ---------------------------------------------------------------------------


def test_evidence_page_shows_viewer_text_and_navigation(client, assignment, evidence):
    url = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 2])
    response = login(client, assignment.evaluator).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    file_url = reverse("livret:evidence_file", args=[assignment.candidacy_id, evidence.pk])
    assert f'<iframe class="review-viewer" src="{file_url}?inline=1#page=2"' in body
    assert source_texts(response) == {f"page:{evidence.pk}:2": "Attestation employeur"}
    previous = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    assert f'rel="prev" href="{previous}"' in body
    assert 'rel="next"' not in body
    assert 'value="page_text"' in body and 'value="narrative"' not in body


def test_evidence_page_image_and_javascript_pdf(client, assignment, evidence):
    client = login(client, assignment.evaluator)
    url = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    file_url = reverse("livret:evidence_file", args=[assignment.candidacy_id, evidence.pk])

    Evidence.objects.filter(pk=evidence.pk).update(has_javascript=True)
    body = client.get(url).content.decode()
    assert "<iframe" not in body
    assert "?inline=1" not in body
    assert f'href="{file_url}" download' in body
    assert "contient du JavaScript" in body

    Evidence.objects.filter(pk=evidence.pk).update(
        has_javascript=False, content_type=FileType.PNG, page_count=1
    )
    body = client.get(url).content.decode()
    assert "<iframe" not in body
    assert f'<img class="review-viewer review-viewer--image" src="{file_url}?inline=1"' in body


def test_evidence_page_without_text_offers_whole_page(client, assignment, evidence):
    EvidencePage.objects.filter(evidence=evidence, number=1).update(text="")
    response = login(client, assignment.evaluator).get(
        reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    )
    body = response.content.decode()
    assert "Aucun texte lisible sur cette page" in body
    assert source_texts(response) == {}
    assert response.context["link_form"].initial["kind"] == PassageKind.PAGE


@pytest.mark.parametrize("number", [0, 3])
def test_evidence_page_out_of_range_is_404(client, assignment, evidence, number):
    response = login(client, assignment.evaluator).get(
        reverse("review:evidence_page", args=[assignment.pk, evidence.pk, number])
    )
    assert response.status_code == 404


def test_evidence_of_another_dossier_is_404(client, assignment, referentiel):
    other = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    foreign = Evidence.objects.get(dossier__candidacy=other)
    response = login(client, assignment.evaluator).get(
        reverse("review:evidence_page", args=[assignment.pk, foreign.pk, 1])
    )
    assert response.status_code == 404


def test_evidence_page_go_to(client, assignment, evidence):
    client = login(client, assignment.evaluator)
    url = reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    response = client.get(url, {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "review:evidence_page", args=[assignment.pk, evidence.pk, 2]
    )
    response = client.get(url, {"page": "9"})
    assert response.status_code == 200
    assert "Choisissez une page entre 1 et 2." in response.content.decode()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.JURY_MEMBER, Role.CERTIFIER])
def test_evidence_page_other_roles_get_404(client, assignment, evidence, role):
    response = login(client, UserFactory(role=role)).get(
        reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    )
    assert response.status_code == 404


# -- text and highlights (pure) -----------------------------------------------------------


class Link:
    def __init__(self, start, end, number):
        self.start, self.end, self.number = start, end, number


def test_segments_split_at_offsets_and_keep_the_text():
    text = SelectableText("abcdefghij")
    parts = segments(text, [Link(2, 5, 1), Link(4, 8, 2)])
    assert "".join(p.text for p in parts) == "abcdefghij"
    assert [(p.text, p.passages) for p in parts] == [
        ("ab", ()),
        ("cd", (1,)),
        ("e", (1, 2)),
        ("fgh", (2,)),
        ("ij", ()),
    ]


def test_segments_clip_ranges_beyond_the_text():
    parts = segments(SelectableText("abc"), [Link(1, 40, 1), Link(10, 20, 2)])
    assert [(p.text, p.passages) for p in parts] == [("a", ()), ("bc", (1,))]


def test_selectable_text_maps_browser_offsets_to_stored_ones():
    text = SelectableText("un\r\ndeux\rtrois\x00!")
    assert text.text == "un\ndeux\ntrois!"
    assert text.raw_offset(3) == 4  # "d" of deux
    assert text.raw_offset(len(text)) == len(text.raw)
    assert text.raw[text.raw_offset(3) : text.raw_offset(7)] == "deux"
    assert text.display_offset(4) == 3
    assert text.display_offset(text.raw.index("!")) == text.text.index("!")
