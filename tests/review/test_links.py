"""Passages tied to criteria, and verdicts on the candidate's links, through the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.models import CompetenceLink, EvidencePage
from referentiel.models import Criterion
from review.enums import AssignmentStatus, LinkVerdict, PassageKind
from review.models import CandidateLinkReview, CriterionLink
from tests.factories import CandidacyFactory, UserFactory, make_panel
from tests.review.support import login, source_texts
from vae.enums import CandidacyState, Role


def criteria_of(candidacy, bloc_code="BC1", count=2):
    return list(
        Criterion.objects.filter(
            competence__activity__bloc__certification=candidacy.certification,
            competence__activity__bloc__code=bloc_code,
        ).order_by("pk")[:count]
    )


def post_link(client, assignment, **fields):
    data = {f"link-{name}": value for name, value in fields.items() if name != "criteria"}
    data["link-criteria"] = [str(c.pk) for c in fields.get("criteria", [])]
    return client.post(reverse("review:link_add", args=[assignment.pk]), data)


@pytest.fixture
def evaluator_client(client, assignment):
    return login(client, assignment.evaluator)


# -- passages -------------------------------------------------------------------------------


def test_narrative_passage_is_linked_with_offsets_and_quote(
    evaluator_client, assignment, narrative
):
    criteria = criteria_of(assignment.candidacy)
    start = narrative.text.index("Movie Magic")
    end = start + len("Movie Magic Budgeting")
    response = post_link(
        evaluator_client,
        assignment,
        origin="dossier",
        kind="narrative",
        narrative=narrative.pk,
        start=start,
        end=end,
        criteria=criteria,
        comment="  Outil de devis maîtrisé.  ",
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("review:dossier", args=[assignment.pk]) + f"#recit-{narrative.pk}"
    )
    link = CriterionLink.objects.get(assignment=assignment)
    assert (link.kind, link.narrative, link.start, link.end) == (
        PassageKind.NARRATIVE,
        narrative,
        start,
        end,
    )
    assert link.quote == "Movie Magic Budgeting"
    assert set(link.criteria.all()) == set(criteria)
    assert link.comment == "Outil de devis maîtrisé."


def test_page_text_passage_is_linked(evaluator_client, assignment, evidence):
    criteria = criteria_of(assignment.candidacy, "BC3", 1)
    response = post_link(
        evaluator_client,
        assignment,
        origin="page",
        kind="page_text",
        evidence=evidence.pk,
        page=1,
        start=0,
        end=len("Bulletin de paie"),
        criteria=criteria,
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1]) + "#texte-page"
    )
    link = CriterionLink.objects.get(assignment=assignment)
    assert (link.kind, link.evidence, link.page, link.start, link.end, link.quote) == (
        PassageKind.PAGE_TEXT,
        evidence,
        1,
        0,
        16,
        "Bulletin de paie",
    )


def test_page_text_offsets_count_what_the_browser_shows(evaluator_client, assignment, evidence):
    # CR LF in the extracted text is LF in the browser: offsets are mapped back.
    EvidencePage.objects.filter(evidence=evidence, number=2).update(text="Ligne un\r\nLigne deux")
    page = evaluator_client.get(
        reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 2])
    )
    shown = source_texts(page)[f"page:{evidence.pk}:2"]
    assert shown == "Ligne un\nLigne deux"
    start = shown.index("Ligne deux")
    post_link(
        evaluator_client,
        assignment,
        origin="page",
        kind="page_text",
        evidence=evidence.pk,
        page=2,
        start=start,
        end=start + len("Ligne deux"),
        criteria=criteria_of(assignment.candidacy, count=1),
    )
    link = CriterionLink.objects.get(assignment=assignment)
    assert (link.start, link.end, link.quote) == (10, 20, "Ligne deux")


def test_whole_page_link_needs_no_offsets(evaluator_client, assignment, evidence):
    response = post_link(
        evaluator_client,
        assignment,
        origin="dossier",
        kind="page",
        evidence=evidence.pk,
        page=2,
        start="",
        end="",
        criteria=criteria_of(assignment.candidacy, count=3),
    )
    assert response.status_code == 302
    assert response["Location"] == (reverse("review:dossier", args=[assignment.pk]) + "#passage-1")
    link = CriterionLink.objects.get(assignment=assignment)
    assert (link.kind, link.page, link.start, link.end, link.quote) == (
        PassageKind.PAGE,
        2,
        None,
        None,
        "",
    )
    assert link.criteria.count() == 3


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("", "", "Sélectionnez le passage dans le texte"),
        ("5", "", "Sélectionnez le passage dans le texte"),
        ("10", "10", "La fin du passage doit venir après son début."),
        ("10", "4", "La fin du passage doit venir après son début."),
        ("0", "100000", "Le passage dépasse la fin du texte, qui compte"),
        ("-1", "5", "Le début du passage ne peut pas être négatif."),
        ("abc", "5", "Indiquez une position en nombre de caractères."),
    ],
)
def test_invalid_ranges_are_refused_in_french(
    evaluator_client, assignment, narrative, start, end, message
):
    response = post_link(
        evaluator_client,
        assignment,
        origin="dossier",
        kind="narrative",
        narrative=narrative.pk,
        start=start,
        end=end,
        criteria=criteria_of(assignment.candidacy),
        comment="Mon commentaire à garder",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message.replace("'", "&#x27;") in body
    assert "Le passage n'a pas pu être relié" in body
    assert not CriterionLink.objects.exists()
    # What was typed is still there: the comment, the ticked criteria.
    assert "Mon commentaire à garder" in body
    for criterion in criteria_of(assignment.candidacy):
        assert f'value="{criterion.pk}" id="link-criterion-{criterion.pk}" checked' in body
    # The bloc of the ticked criteria is unfolded, the others stay folded.
    assert body.count('<details class="review-criteria__bloc" open>') == 1
    assert body.count('<details class="review-criteria__bloc">') == 2


def test_whitespace_only_passage_is_refused(evaluator_client, assignment, narrative):
    space = narrative.text.index(" ")
    response = post_link(
        evaluator_client,
        assignment,
        origin="dossier",
        kind="narrative",
        narrative=narrative.pk,
        start=space,
        end=space + 1,
        criteria=criteria_of(assignment.candidacy),
    )
    assert "ne contient que des espaces" in response.content.decode()
    assert not CriterionLink.objects.exists()


def test_page_out_of_range_is_refused(evaluator_client, assignment, evidence):
    response = post_link(
        evaluator_client,
        assignment,
        origin="dossier",
        kind="page",
        evidence=evidence.pk,
        page=7,
        criteria=criteria_of(assignment.candidacy),
    )
    assert response.status_code == 200
    assert "choisissez une page entre 1 et 2" in response.content.decode()
    assert not CriterionLink.objects.exists()


def test_page_without_text_refuses_an_excerpt(evaluator_client, assignment, evidence):
    EvidencePage.objects.filter(evidence=evidence, number=1).update(text="")
    response = post_link(
        evaluator_client,
        assignment,
        origin="page",
        kind="page_text",
        evidence=evidence.pk,
        page=1,
        start=0,
        end=3,
        criteria=criteria_of(assignment.candidacy),
    )
    assert response.status_code == 200
    assert "reliez la page entière" in response.content.decode()
    # Shown again on the evidence page it came from.
    assert response.templates[0].name == "review/dossier_page.html"
    assert not CriterionLink.objects.exists()


def test_missing_criteria_and_source_are_refused(evaluator_client, assignment):
    response = post_link(
        evaluator_client, assignment, origin="dossier", kind="narrative", start=0, end=4
    )
    body = response.content.decode()
    assert "Cochez au moins un critère que ce passage prouve." in body
    assert "Choisissez le récit dont vient le passage." in body
    # An error on the criteria unfolds every bloc.
    assert body.count('<details class="review-criteria__bloc" open>') == 3
    assert not CriterionLink.objects.exists()


def test_narrative_of_another_dossier_is_refused(evaluator_client, assignment, referentiel):
    other = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    foreign = other.dossier.narratives.first()
    response = post_link(
        evaluator_client,
        assignment,
        origin="dossier",
        kind="narrative",
        narrative=foreign.pk,
        start=0,
        end=5,
        criteria=criteria_of(assignment.candidacy),
    )
    assert "Ce récit n&#x27;appartient pas à ce dossier." in response.content.decode()
    assert not CriterionLink.objects.exists()


def test_criteria_outside_targeted_blocs_are_refused(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    candidacy.targeted_blocs.set(candidacy.certification.blocs.filter(code__in=["BC1", "BC2"]))
    assignment = make_panel(candidacy)[0]
    narrative = candidacy.dossier.narratives.filter(activity__bloc__code="BC1").first()
    outside = criteria_of(candidacy, "BC3", 1)
    client = login(client, assignment.evaluator)
    response = post_link(
        client,
        assignment,
        origin="dossier",
        kind="narrative",
        narrative=narrative.pk,
        start=0,
        end=5,
        criteria=criteria_of(candidacy, "BC1", 1) + outside,
    )
    assert response.status_code == 200
    assert "Ce critère ne relève pas des blocs visés par la candidature." in (
        response.content.decode()
    )
    assert not CriterionLink.objects.exists()
    # The page offers the targeted blocs' criteria only.
    page = client.get(reverse("review:dossier", args=[assignment.pk])).content.decode()
    assert f'id="link-criterion-{outside[0].pk}"' not in page


def test_highlights_mark_passages_without_changing_the_text(
    evaluator_client, assignment, narrative
):
    text = narrative.text
    first = (text.index("Movie"), text.index("Movie") + len("Movie Magic Budgeting"))
    second = (text.index("Magic"), text.index("Péplum") + len("Péplum"))
    for start, end in (first, second):
        post_link(
            evaluator_client,
            assignment,
            origin="dossier",
            kind="narrative",
            narrative=narrative.pk,
            start=start,
            end=end,
            criteria=criteria_of(assignment.candidacy, count=1),
        )
    response = evaluator_client.get(reverse("review:dossier", args=[assignment.pk]))
    body = response.content.decode()
    assert source_texts(response)[f"narrative:{narrative.pk}"] == text
    assert '<mark class="passage-mark" data-passages="1" title="Passage n° 1">Movie </mark>' in body
    assert 'data-passages="1 2" title="Passages n° 1, 2">Magic Budgeting</mark>' in body
    # The matrix names the passage under its criterion, and the list quotes it.
    assert '<a href="#passage-1">n° 1</a>' in body
    assert 'id="passage-2"' in body


def test_passage_whose_text_changed_is_listed_but_not_marked(
    evaluator_client, assignment, narrative
):
    link = CriterionLink.objects.create(
        assignment=assignment,
        kind=PassageKind.NARRATIVE,
        narrative=narrative,
        start=0,
        end=10,
        quote="Autre texte",
    )
    link.criteria.set(criteria_of(assignment.candidacy, count=1))
    response = evaluator_client.get(reverse("review:dossier", args=[assignment.pk]))
    body = response.content.decode()
    assert "Le texte a changé depuis ce lien" in body
    assert 'data-passages="1"' not in body


def test_page_text_highlight_on_evidence_page(evaluator_client, assignment, evidence):
    post_link(
        evaluator_client,
        assignment,
        origin="page",
        kind="page_text",
        evidence=evidence.pk,
        page=1,
        start=17,
        end=24,
        criteria=criteria_of(assignment.candidacy, count=1),
    )
    response = evaluator_client.get(
        reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1])
    )
    assert source_texts(response)[f"page:{evidence.pk}:1"] == "Bulletin de paie — janvier 2024"
    assert ">— janvi</mark>" in response.content.decode()


def test_delete_own_passage(evaluator_client, assignment, evidence):
    link = CriterionLink.objects.create(
        assignment=assignment, kind=PassageKind.PAGE, evidence=evidence, page=1
    )
    link.criteria.set(criteria_of(assignment.candidacy, count=1))
    response = evaluator_client.post(
        reverse("review:link_delete", args=[assignment.pk, link.pk]), {"origin": "page"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("review:evidence_page", args=[assignment.pk, evidence.pk, 1]) + "#mes-passages"
    )
    assert not CriterionLink.objects.exists()


def test_cannot_delete_another_evaluators_passage(client, panel, evidence):
    link = CriterionLink.objects.create(
        assignment=panel[1], kind=PassageKind.PAGE, evidence=evidence, page=1
    )
    client = login(client, panel[0].evaluator)
    assert (
        client.post(reverse("review:link_delete", args=[panel[0].pk, link.pk])).status_code == 404
    )
    assert (
        client.post(reverse("review:link_delete", args=[panel[1].pk, link.pk])).status_code == 404
    )
    assert CriterionLink.objects.filter(pk=link.pk).exists()


# -- verdicts on the candidate's links ------------------------------------------------------


def verdict_url(assignment, link):
    return reverse("review:candidate_link_verdict", args=[assignment.pk, link.pk])


@pytest.fixture
def candidate_link(candidacy):
    return CompetenceLink.objects.filter(dossier__candidacy=candidacy).order_by("pk").first()


def test_accept_a_candidate_link(evaluator_client, assignment, candidate_link):
    response = evaluator_client.post(
        verdict_url(assignment, candidate_link), {f"avis-{candidate_link.pk}-verdict": "accepted"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#lien-candidat-{candidate_link.pk}")
    review = CandidateLinkReview.objects.get(assignment=assignment, link=candidate_link)
    assert (review.verdict, review.reason) == (LinkVerdict.ACCEPTED, "")
    page = evaluator_client.get(reverse("review:dossier", args=[assignment.pk]))
    item = page.content.decode().split(f'id="lien-candidat-{candidate_link.pk}"')[1]
    assert "review-verdict--accepted" in item.split("</li>")[0]


def test_rejection_needs_a_reason_and_keeps_the_input(evaluator_client, assignment, candidate_link):
    prefix = f"avis-{candidate_link.pk}"
    response = evaluator_client.post(
        verdict_url(assignment, candidate_link),
        {f"{prefix}-verdict": "rejected", f"{prefix}-reason": "   "},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Indiquez pourquoi vous rejetez ce lien." in body
    assert not CandidateLinkReview.objects.exists()

    response = evaluator_client.post(
        verdict_url(assignment, candidate_link),
        {f"{prefix}-verdict": "rejected", f"{prefix}-reason": "La page ne montre pas la paie."},
    )
    assert response.status_code == 302
    review = CandidateLinkReview.objects.get()
    assert (review.verdict, review.reason) == ("rejected", "La page ne montre pas la paie.")


def test_verdict_without_choice_is_refused_and_keeps_the_reason(
    evaluator_client, assignment, candidate_link
):
    prefix = f"avis-{candidate_link.pk}"
    response = evaluator_client.post(
        verdict_url(assignment, candidate_link), {f"{prefix}-reason": "Mon motif <à garder>"}
    )
    body = response.content.decode()
    assert "Indiquez si vous acceptez ou rejetez ce lien." in body
    assert (
        f'id="id_{prefix}-reason" rows="2" maxlength="2000">Mon motif &lt;à garder&gt;</textarea>'
        in (body)
    )
    assert not CandidateLinkReview.objects.exists()


def test_verdict_on_another_dossiers_link_is_404(evaluator_client, assignment, referentiel):
    other = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    foreign = CompetenceLink.objects.filter(dossier__candidacy=other).first()
    response = evaluator_client.post(
        verdict_url(assignment, foreign), {f"avis-{foreign.pk}-verdict": "accepted"}
    )
    assert response.status_code == 404
    assert not CandidateLinkReview.objects.exists()


# -- writes refused: wrong person, wrong moment -----------------------------------------------


def write_requests(assignment, narrative, candidate_link, criteria):
    return [
        (
            reverse("review:link_add", args=[assignment.pk]),
            {
                "link-origin": "dossier",
                "link-kind": "narrative",
                "link-narrative": narrative.pk,
                "link-start": 0,
                "link-end": 5,
                "link-criteria": [c.pk for c in criteria],
            },
        ),
        (
            verdict_url(assignment, candidate_link),
            {f"avis-{candidate_link.pk}-verdict": "accepted"},
        ),
    ]


def nothing_written():
    return not CriterionLink.objects.exists() and not CandidateLinkReview.objects.exists()


def test_writes_refused_after_grid_submission(
    evaluator_client, assignment, narrative, candidate_link, evidence
):
    kept = CriterionLink.objects.create(
        assignment=assignment, kind=PassageKind.PAGE, evidence=evidence, page=1
    )
    assignment.grid_submitted_at = timezone.now()
    assignment.save()
    criteria = criteria_of(assignment.candidacy)
    for url, data in write_requests(assignment, narrative, candidate_link, criteria):
        response = evaluator_client.post(url, data, follow=True)
        assert "Votre grille est remise" in response.content.decode()
    response = evaluator_client.post(reverse("review:link_delete", args=[assignment.pk, kept.pk]))
    assert response.status_code == 302
    assert list(CriterionLink.objects.all()) == [kept]
    assert not CandidateLinkReview.objects.exists()


@pytest.mark.parametrize("state", [CandidacyState.DOSSIER_SUBMITTED, CandidacyState.REVIEWED])
def test_writes_refused_outside_the_review(
    evaluator_client, assignment, narrative, candidate_link, state
):
    type(assignment.candidacy).objects.filter(pk=assignment.candidacy_id).update(state=state)
    criteria = criteria_of(assignment.candidacy)
    for url, data in write_requests(assignment, narrative, candidate_link, criteria):
        response = evaluator_client.post(url, data)
        assert response.status_code == 302
    assert nothing_written()


def test_writes_by_another_evaluator_are_404(client, panel, narrative, candidate_link):
    client = login(client, panel[1].evaluator)
    criteria = criteria_of(panel[0].candidacy)
    for url, data in write_requests(panel[0], narrative, candidate_link, criteria):
        assert client.post(url, data).status_code == 404
    assert nothing_written()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.JURY_MEMBER, Role.CERTIFIER])
def test_writes_by_other_roles_are_404(client, assignment, narrative, candidate_link, role):
    client = login(client, UserFactory(role=role))
    criteria = criteria_of(assignment.candidacy)
    for url, data in write_requests(assignment, narrative, candidate_link, criteria):
        assert client.post(url, data).status_code == 404
    assert nothing_written()


def test_writes_by_anonymous_go_to_login(client, assignment, narrative, candidate_link):
    criteria = criteria_of(assignment.candidacy)
    for url, data in write_requests(assignment, narrative, candidate_link, criteria):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert nothing_written()


def test_writes_before_declaration_are_refused(client, candidacy, narrative, candidate_link):
    assignment = make_panel(candidacy, declared=False)[0]
    client = login(client, assignment.evaluator)
    criteria = criteria_of(candidacy)
    for url, data in write_requests(assignment, narrative, candidate_link, criteria):
        assert client.post(url, data).status_code == 403
    assert nothing_written()


def test_writes_after_conflict_are_404(evaluator_client, assignment, narrative, candidate_link):
    assignment.status = AssignmentStatus.CONFLICT
    assignment.save()
    criteria = criteria_of(assignment.candidacy)
    for url, data in write_requests(assignment, narrative, candidate_link, criteria):
        assert evaluator_client.post(url, data).status_code == 404
    assert nothing_written()


def test_get_on_write_urls_is_not_allowed(evaluator_client, assignment, candidate_link):
    assert evaluator_client.get(reverse("review:link_add", args=[assignment.pk])).status_code == 405
    assert evaluator_client.get(verdict_url(assignment, candidate_link)).status_code == 405
