"""The evaluator's dossier page is kept rendered under the version of what it shows
(``review.selectors.dossier.dossier_page_version``): a plain reading serves it again, and
any change to what it shows is on the very next reading.

Each test reads the page, changes one thing the page shows, and reads it again."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livret.enums import ExtractionStatus
from livret.models import CompetenceLink, Evidence
from review import services
from review.enums import AssignmentStatus, LinkVerdict, PassageKind
from review.models import Assignment
from tests.accounts import log_in
from tests.factories.review import make_grids
from vae.enums import CandidacyState
from vae.models import Candidacy

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def body(client, assignment) -> str:
    """The page without its CSRF tokens (masked anew on every response)."""
    response = client.get(reverse("review:dossier", args=[assignment.pk]))
    assert response.status_code == 200
    return TOKEN.sub("", response.content.decode())


@pytest.fixture
def reader(client, assignment):
    log_in(client, assignment.evaluator)
    return client


def first_criterion(assignment):
    competence = assignment.candidacy.targeted_competences()[0]
    return competence, competence.criteria.order_by("pk").first()


def add_passage(assignment, narrative, comment):
    _competence, criterion = first_criterion(assignment)
    return services.add_criterion_link(
        assignment=assignment,
        by=assignment.evaluator,
        kind=PassageKind.NARRATIVE,
        criteria=[criterion],
        comment=comment,
        narrative=narrative,
        start=0,
        end=min(12, len(narrative.text)),
    )


def test_a_reading_without_change_is_served_again_in_two_queries_beyond_the_request(
    reader, assignment
):
    first = body(reader, assignment)
    with CaptureQueriesContext(connection) as queries:
        again = body(reader, assignment)
    assert again == first
    # Session, user, roles, the assignment, the page's version, the site token (3).
    assert len(queries) <= 9, [q["sql"][:80] for q in queries.captured_queries]


def test_an_added_and_a_deleted_passage_show_at_once(reader, assignment, narrative):
    before = body(reader, assignment)
    link = add_passage(assignment, narrative, "Passage témoin du cache")
    after = body(reader, assignment)
    assert "Passage témoin du cache" not in before and "Passage témoin du cache" in after
    services.delete_criterion_link(link=link, by=assignment.evaluator)
    assert "Passage témoin du cache" not in body(reader, assignment)


def test_a_verdict_and_a_rating_show_at_once(reader, assignment):
    body(reader, assignment)
    link = CompetenceLink.objects.filter(dossier__candidacy=assignment.candidacy).first()
    services.set_link_verdict(
        assignment=assignment,
        link=link,
        verdict=LinkVerdict.REJECTED,
        reason="Motif témoin du cache",
        by=assignment.evaluator,
    )
    assert "Motif témoin du cache" in body(reader, assignment)
    competence, _criterion = first_criterion(assignment)
    total = len(assignment.candidacy.targeted_competences())
    assert f"<dd>0/{total}</dd>" in body(reader, assignment)
    services.rate(
        assignment=assignment,
        competence=competence,
        rating="acquis",
        justification="Vu sur pièces.",
        by=assignment.evaluator,
    )
    assert f"<dd>1/{total}</dd>" in body(reader, assignment)


def test_the_others_work_shows_once_the_grid_is_in_and_as_it_grows(
    reader, panel, candidacy, narrative
):
    mine, other = panel[0], panel[1]
    make_grids(candidacy, [mine])
    reader.get("/")  # the grid submitted by update(): nothing cached for it yet
    shown = body(reader, Assignment.objects.get(pk=mine.pk))
    add_passage(other, narrative, "")
    assert body(reader, Assignment.objects.get(pk=mine.pk)) != shown


def test_the_text_status_and_a_withdrawn_piece_show_at_once(reader, assignment, evidence):
    assert "Texte : échec" not in body(reader, assignment)
    Evidence.objects.filter(pk=evidence.pk).update(extraction_status=ExtractionStatus.FAILED)
    assert "Texte : échec" in body(reader, assignment)
    title = evidence.title
    assert title in body(reader, assignment)
    Evidence.objects.filter(pk=evidence.pk).update(withdrawn_at=evidence.uploaded_at)
    assert f'<th scope="row">{title}</th>' not in body(reader, assignment)


def test_a_changed_narrative_shows_at_once(reader, assignment, narrative):
    body(reader, assignment)
    narrative.text = "Un récit réécrit, témoin du cache."
    narrative.version += 1
    narrative.save()
    assert "Un récit réécrit, témoin du cache." in body(reader, assignment)


def test_the_candidacy_state_and_the_assignment_show_at_once(reader, assignment):
    assert "lecture seule" not in body(reader, assignment)
    Candidacy.objects.filter(pk=assignment.candidacy_id).update(state=CandidacyState.REVIEWED)
    assert "est terminée : le dossier est présenté en lecture seule" in body(reader, assignment)
    Assignment.objects.filter(pk=assignment.pk).update(due_date="2031-03-14")
    assert "14 mars 2031" in body(reader, assignment)


def test_each_evaluator_reads_their_own_page(client, panel, narrative):
    add_passage(panel[0], narrative, "Passage du premier évaluateur")
    log_in(client, panel[0].evaluator)
    assert "Passage du premier évaluateur" in body(client, panel[0])
    other = Client()
    log_in(other, panel[1].evaluator)
    assert "Passage du premier évaluateur" not in body(other, panel[1])
    # And nobody reads another evaluator's page, cached or not.
    assert other.get(reverse("review:dossier", args=[panel[0].pk])).status_code == 404


def test_the_forms_of_a_page_served_again_carry_the_browser_s_own_token(assignment, narrative):
    browser = Client(enforce_csrf_checks=True)
    log_in(browser, assignment.evaluator)
    url = reverse("review:dossier", args=[assignment.pk])
    browser.get(url)
    page = browser.get(url).content.decode()  # served from the cache
    assert "csrfplaceholder" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    _competence, criterion = first_criterion(assignment)
    response = browser.post(
        reverse("review:link_add", args=[assignment.pk]),
        {
            "csrfmiddlewaretoken": token,
            "link-origin": "dossier",
            "link-kind": PassageKind.NARRATIVE,
            "link-narrative": str(narrative.pk),
            "link-start": "0",
            "link-end": "10",
            "link-criteria": [str(criterion.pk)],
            "link-comment": "Envoyé depuis une page servie à nouveau",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Envoyé depuis une page servie à nouveau" in body(browser, assignment)


def test_a_withdrawn_evaluator_is_not_served_the_kept_page(client, assignment):
    log_in(client, assignment.evaluator)
    body(client, assignment)
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.REMOVED)
    response = client.get(reverse("review:dossier", args=[assignment.pk]))
    assert response.status_code in (302, 404)
