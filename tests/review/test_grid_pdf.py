"""The evaluation grid PDF: what it says, that it fetches nothing, and who may have it."""

import hashlib
import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review.enums import EvaluatorCategory
from review.grid_pdf import build_grid, render_grid_pdf
from review.models import CompetenceRating, ConsolidatedRating
from tests.accounts import log_in
from tests.documents import get_pdf, is_pdf, pdf_bytes, pdf_pages_text, run_document_tasks
from tests.factories import CandidacyFactory, UserFactory, make_grids, make_panel
from vae.documents.weasy import LocalOnlyFetcher
from vae.enums import CandidacyState, DocumentKind, DocumentStatus, Role
from vae.models import GeneratedDocument

pytestmark = pytest.mark.django_db

S = CandidacyState


@pytest.fixture
def certifier(client):
    user = UserFactory(role=Role.CERTIFIER)
    log_in(client, user)
    return user


@pytest.fixture
def reviewed(referentiel, certifier):
    """A dossier under review: four grids in, C1.1 divergent, two ratings consolidated."""
    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    assignments = make_panel(candidacy, by=certifier)
    for index, assignment in enumerate(assignments):
        assignment.evaluator.first_name = "Juliette"
        assignment.evaluator.last_name = f"Évaluatrice{index}"
        assignment.evaluator.save()
    make_grids(candidacy, assignments)
    c11 = next(c for c in candidacy.targeted_competences() if c.code == "C1.1")
    CompetenceRating.objects.filter(assignment=assignments[1], competence=c11).update(
        rating="non_acquis",
        justification="Aucune pièce sur le devis <script>alert(1)</script> & Cie.",
    )
    for competence in candidacy.targeted_competences()[:2]:
        ConsolidatedRating.objects.create(
            candidacy=candidacy,
            competence=competence,
            rating="acquis",
            justification="Trois évaluateurs sur quatre, pièces probantes.",
            decided_by=assignments[3].evaluator,
        )
    return candidacy


def test_grid_pdf_content(client, reviewed):
    response = get_pdf(client, reverse("review_admin:grid_pdf", args=[reviewed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        f'filename="grille-evaluation-{reviewed.reference}.pdf"' in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    pages, content = pdf_pages_text(pdf_bytes(response))
    flat = " ".join(content.split())
    assert reviewed.reference in flat
    assert reviewed.candidate.get_full_name() in flat
    assert f"version {reviewed.certification.version}" in flat
    for competence in reviewed.targeted_competences():
        assert f"{competence.code} —" in flat, competence.code
    assert "Juliette Évaluatrice1" in flat
    assert "Représentant du certificateur" in flat
    assert "Document provisoire" in flat
    assert "DIVERGENCE" in flat.upper()
    # The evaluator's words are printed as typed, never interpreted.
    assert "<script>alert(1)</script> & Cie." in flat
    assert "Trois évaluateurs sur quatre, pièces probantes." in flat
    assert "Résultat provisoire : en attente" in flat
    # Page numbers on every page: « Page i sur N ».
    assert pages > 3
    numbers = re.findall(r"Page (\d+) sur (\d+)", flat)
    assert [int(i) for i, _total in numbers] == list(range(1, pages + 1))
    assert {int(total) for _i, total in numbers} == {pages}


def test_grid_marks_only_the_divergent_competences(reviewed):
    grid = build_grid(reviewed, threshold=2)
    divergent = [row.competence.code for row in grid.rows if row.divergent]
    assert divergent == ["C1.1"]
    row = grid.rows[0]
    assert row.distribution == "3 × acquis, 1 × non acquis"
    assert [cell.column.assignment.category for cell in row.cells] == [
        EvaluatorCategory.EXTERNAL_PROFESSIONAL,
        EvaluatorCategory.EXTERNAL_PROFESSIONAL,
        EvaluatorCategory.TRAINING_BODY,
        EvaluatorCategory.CERTIFIER,
    ]
    assert grid.consolidated_count == 2
    assert not grid.complete


def test_grid_costs_the_same_queries_for_one_bloc_or_three(reviewed, referentiel):
    build_grid(reviewed, threshold=2)
    with CaptureQueriesContext(connection) as three_blocs:
        build_grid(reviewed, threshold=2)
    reviewed.targeted_blocs.set(referentiel.blocs.filter(code="BC3"))
    # Both measured once the version's tree of these blocs is in the cache.
    build_grid(reviewed, threshold=2)
    with CaptureQueriesContext(connection) as one_bloc:
        grid = build_grid(reviewed, threshold=2)
    assert len(grid.rows) == 6
    assert len(one_bloc) == len(three_blocs)


def test_the_pdf_renderer_fetches_nothing(reviewed):
    with pytest.raises(ValueError, match="Ressource externe refusée"):
        LocalOnlyFetcher(None).fetch("file:///etc/passwd")
    # A URL someone typed stays text: rendering succeeds and prints it.
    CompetenceRating.objects.filter(assignment__candidacy=reviewed).update(
        justification='<img src="http://exemple.invalid/x.png"> voir le devis'
    )
    _pages, content = pdf_pages_text(render_grid_pdf(build_grid(reviewed, threshold=2)))
    # (White space removed: the cell wraps the long URL.)
    assert '<imgsrc="http://exemple.invalid/x.png">voirledevis' in "".join(content.split())


# -- who may have it ---------------------------------------------------------------------


def test_before_the_review_the_grid_is_refused_with_a_message(client, certifier, referentiel):
    candidacy = CandidacyFactory(state=S.DOSSIER_SUBMITTED)
    response = client.get(reverse("review_admin:grid_pdf", args=[candidacy.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("review_admin:panel", args=[candidacy.pk])
    [message] = [unescape(str(m)) for m in get_messages(response.wsgi_request)]
    assert "La grille d'évaluation s'édite une fois l'évaluation lancée" in message
    assert "Dossier de validation déposé" in message


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_no_one_but_staff_gets_the_grid(client, reviewed, role):
    # The candidate of this dossier and the certifier's representative of its panel included.
    if role == Role.CANDIDATE:
        user = reviewed.candidate
    elif role == Role.EVALUATOR:
        user = reviewed.assignments.get(category="certifier").evaluator
    else:
        user = UserFactory(role=role)
    log_in(client, user)
    response = client.get(reverse("review_admin:grid_pdf", args=[reviewed.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(
        resolve_url(getattr(settings, "WAGTAILADMIN_LOGIN_URL", "wagtailadmin_login"))
    )
    assert response.get("Content-Type") != "application/pdf"


# -- a generated document ----------------------------------------------------------------


def grid_document(candidacy):
    return GeneratedDocument.objects.get(candidacy=candidacy, kind=DocumentKind.EVALUATION_GRID)


def test_the_grid_is_prepared_in_a_task_then_served_from_storage(client, reviewed):
    url = reverse("review_admin:grid_pdf", args=[reviewed.pk])

    waiting = client.get(url)

    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    html = waiting.content.decode()
    assert "En préparation…" in html and 'aria-live="polite"' in html
    assert "no-store" in waiting["Cache-Control"]
    run_document_tasks()
    document = grid_document(reviewed)
    assert document.status == DocumentStatus.READY
    response = client.get(url)
    data = pdf_bytes(response)
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert response["Content-Disposition"].startswith("inline;")
    # The same grid asked again: served, not rendered again.
    assert pdf_bytes(client.get(url)) == data
    assert run_document_tasks() == 0


def test_a_changed_rating_renders_the_grid_again(client, reviewed):
    url = reverse("review_admin:grid_pdf", args=[reviewed.pk])
    pdf_bytes(get_pdf(client, url))
    first = grid_document(reviewed).sha256

    rating = CompetenceRating.objects.filter(assignment__candidacy=reviewed).first()
    rating.justification = "Justification revue."
    rating.save()

    assert not is_pdf(client.get(url))  # « en préparation » again
    assert run_document_tasks() == 1
    assert grid_document(reviewed).sha256 != first


def test_the_stored_grid_is_for_staff_only(client, reviewed, certifier):
    pdf_bytes(get_pdf(client, reverse("review_admin:grid_pdf", args=[reviewed.pk])))
    document = grid_document(reviewed)
    url = reverse("documents:download", args=[document.pk])
    assert pdf_bytes(client.get(url)).startswith(b"%PDF-")
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for user in [
        reviewed.candidate,
        reviewed.assignments.get(category="certifier").evaluator,
        UserFactory(role=Role.JURY_MEMBER),
    ]:
        log_in(client, user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("documents:status", args=[document.pk])).status_code == 404
