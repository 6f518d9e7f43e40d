"""Search seams: every write of a text search indexes goes through ``review.services``,
which announces it once committed (``review.signals``), with the ids to (re)index, and
never when the write is rolled back or refused."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from livret.models import CompetenceLink
from review import services, signals
from review.enums import EvaluatorCategory, LinkVerdict, PassageKind, ReviewNoteKind
from review.models import (
    CandidateLinkReview,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
)
from tests.factories import make_grids
from tests.review.support import login
from vae.workflow import TransitionRefused


@pytest.fixture
def sent():
    """Every review signal received, as (signal name, sender, kind, object id, candidacy id)."""
    received = []

    def receiver(name):
        def receive(sender, *, kind, object_id, candidacy_id, **kwargs):
            received.append((name, sender, kind, object_id, candidacy_id))

        return receive

    saved, deleted = receiver("saved"), receiver("deleted")
    signals.review_note_saved.connect(saved)
    signals.review_note_deleted.connect(deleted)
    yield received
    signals.review_note_saved.disconnect(saved)
    signals.review_note_deleted.disconnect(deleted)


@pytest.fixture
def competence(candidacy):
    return candidacy.targeted_competences()[0]


def add_passage(assignment, narrative, competence):
    return services.add_criterion_link(
        assignment=assignment,
        by=assignment.evaluator,
        kind=PassageKind.NARRATIVE,
        narrative=narrative,
        start=0,
        end=5,
        criteria=[competence.criteria.first()],
        comment="Le passage montre la paie établie.",
    )


def test_a_passage_is_announced_once_after_commit(
    assignment, narrative, competence, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        link = add_passage(assignment, narrative, competence)
        assert sent == []  # not before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [
        ("saved", CriterionLink, ReviewNoteKind.PASSAGE, link.pk, assignment.candidacy_id)
    ]


def test_a_deleted_passage_is_announced_with_the_id_it_had(
    assignment, narrative, competence, sent, django_capture_on_commit_callbacks
):
    link = add_passage(assignment, narrative, competence)
    pk = link.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_criterion_link(link=link, by=assignment.evaluator)
    assert not CriterionLink.objects.filter(pk=pk).exists()
    assert sent == [("deleted", CriterionLink, ReviewNoteKind.PASSAGE, pk, assignment.candidacy_id)]


def test_a_rating_is_announced(assignment, competence, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = services.rate(
            assignment=assignment,
            competence=competence,
            rating="acquis",
            justification="Les bulletins sont justes.",
            by=assignment.evaluator,
        )
    assert sent == [
        ("saved", CompetenceRating, ReviewNoteKind.RATING, row.pk, assignment.candidacy_id)
    ]


def test_a_verdict_is_announced(candidacy, assignment, sent, django_capture_on_commit_callbacks):
    link = CompetenceLink.objects.filter(dossier__candidacy=candidacy).first()
    with django_capture_on_commit_callbacks(execute=True):
        row = services.set_link_verdict(
            assignment=assignment,
            link=link,
            verdict=LinkVerdict.REJECTED,
            reason="La pièce ne montre pas cette compétence.",
            by=assignment.evaluator,
        )
    assert sent == [
        ("saved", CandidateLinkReview, ReviewNoteKind.LINK_VERDICT, row.pk, candidacy.pk)
    ]


def test_a_consolidated_rating_is_announced(
    candidacy, panel, competence, sent, django_capture_on_commit_callbacks
):
    make_grids(candidacy, panel)
    seat = next(a for a in panel if a.category == EvaluatorCategory.CERTIFIER)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.consolidate(
            assignment=seat,
            competence=competence,
            rating="acquis",
            justification="Les quatre grilles s'accordent.",
            by=seat.evaluator,
        )
    assert sent == [
        (
            "saved",
            ConsolidatedRating,
            ReviewNoteKind.CONSOLIDATED_RATING,
            row.pk,
            candidacy.pk,
        )
    ]


class Rollback(Exception):
    pass


def test_nothing_is_announced_when_the_write_is_rolled_back(
    assignment, narrative, competence, sent, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        add_passage(assignment, narrative, competence)
        raise Rollback
    assert callbacks == []
    assert sent == []
    assert not CriterionLink.objects.exists()


def test_nothing_is_announced_when_the_service_refuses(
    assignment, competence, sent, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionRefused),
    ):
        services.rate(
            assignment=assignment,
            competence=competence,
            rating="acquis",
            justification="  ",
            by=assignment.evaluator,
        )
    assert callbacks == []
    assert sent == []


def test_the_pages_write_through_the_services(
    client, assignment, narrative, competence, sent, django_capture_on_commit_callbacks
):
    """A passage added and a grid saved from the evaluator's pages: one signal each."""
    login(client, assignment.evaluator)
    criterion = competence.criteria.first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("review:link_add", args=[assignment.pk]),
            {
                "link-origin": "dossier",
                "link-kind": PassageKind.NARRATIVE,
                "link-narrative": narrative.pk,
                "link-start": 0,
                "link-end": 5,
                "link-criteria": [criterion.pk],
            },
        )
        client.post(
            reverse("review:grid", args=[assignment.pk]),
            {
                "grid": "1",
                f"c{competence.pk}-rating": "acquis",
                f"c{competence.pk}-justification": "Les bulletins sont justes.",
            },
        )
    link = CriterionLink.objects.get()
    rating = CompetenceRating.objects.get()
    assert [(name, kind, pk) for name, _sender, kind, pk, _c in sent] == [
        ("saved", ReviewNoteKind.PASSAGE, link.pk),
        ("saved", ReviewNoteKind.RATING, rating.pk),
    ]


# -- no write of these texts outside the services --------------------------------------

INDEXED = {"CriterionLink", "CompetenceRating", "ConsolidatedRating", "CandidateLinkReview"}
WRITES = {
    "create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_create",
    "bulk_update",
    "delete",
}
FIRST_PARTY = ("config", "demo", "livret", "portal", "referentiel", "review", "search", "vae")


def _root_name(node) -> str | None:
    """The name a chain such as ``Model.objects.filter(…).update`` starts from."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _bypasses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and _root_name(node.func) in INDEXED
        ):
            found.append(f"{path}:{node.lineno} {_root_name(node.func)}….{node.func.attr}()")
    return found


def test_the_indexed_texts_are_written_by_the_services_only():
    base = Path(settings.BASE_DIR)
    allowed = base / "review" / "services.py"
    files = [
        path
        for package in FIRST_PARTY
        for path in sorted((base / package).rglob("*.py"))
        if path != allowed and "migrations" not in path.parts
    ]
    assert files, "no first-party module found"
    assert [hit for path in files for hit in _bypasses(path)] == []


def test_the_scan_sees_a_write_around_the_services(tmp_path):
    module = tmp_path / "bypass.py"
    module.write_text(
        "CompetenceRating.objects.filter(pk=1).update(justification='')\n"
        "CriterionLink.objects.bulk_create([])\n"
        "CompetenceRating.objects.filter(pk=1).count()\n"
    )
    assert [hit.split(" ", 1)[1] for hit in _bypasses(module)] == [
        "CompetenceRating….update()",
        "CriterionLink….bulk_create()",
    ]
