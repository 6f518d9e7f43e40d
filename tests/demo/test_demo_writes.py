"""The demo writes through the services, each step taken by the person who would take it:
what the services leave behind (log rows with their actor, revisions, frozen copies,
hashes and pages, declarations before ratings) is there for every demo row."""

import ast
import hashlib
from pathlib import Path

from livret.enums import ExtractionStatus, RevisionReason
from livret.models import (
    CompetenceLink,
    Dossier,
    EligibilityRequest,
    Evidence,
    Narrative,
    NarrativeRevision,
)
from review.enums import AssignmentStatus, EvaluatorCategory, ReviewEventKind
from review.models import (
    Assignment,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
    ReviewEvent,
)
from vae.enums import TRANSITIONS, Role, Transition
from vae.models import CandidacyTransition, User

DEMO = Path(__file__).resolve().parents[2] / "demo"
# Methods that write a model, on a manager, a related manager, a queryset or an instance;
# ``update`` counts on a manager or a queryset only (a dict has one too).
WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "create_user",
    "save",
    "delete",
    "set_password",
}
# The writes no service of the platform makes, each in one helper that says why
# (``demo.people``, ``demo.jury``); ``evaluator_seat`` and ``jury_profile`` save the
# certifier's back-office form. Nothing is dated back by hand: the demo moves the clock
# (``demo.timeline``).
WRITES_AROUND_SERVICES = {
    ("jury.py", "jury_profile"),
    ("people.py", "_create_staff_account"),
    ("people.py", "_restore_password"),
    ("people.py", "record_earlier_validations"),
    ("people.py", "evaluator_seat"),
    ("people.py", "demo_second_factor"),
    # The registration with France compétences is the certifier's back-office form (a
    # Wagtail snippet): no service writes it.
    ("registration.py", "ensure_demo_registration"),
}


def _writes(path):
    """(function, line, what) for each call in ``path`` that writes a model directly."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method, receiver = node.func.attr, ast.unparse(node.func.value)
            on_queryset = ".objects" in receiver
            if method in WRITES or (method == "update" and on_queryset):
                yield function.name, node.lineno, f"{receiver}.{method}"
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr":
                yield function.name, node.lineno, "setattr"


def test_the_demo_writes_only_through_the_services():
    found = [
        f"{path.relative_to(DEMO)}:{line} {function}: {what}"
        for path in sorted(DEMO.rglob("*.py"))
        for function, line, what in _writes(path)
        if (str(path.relative_to(DEMO)), function) not in WRITES_AROUND_SERVICES
    ]
    assert found == []
    # The guard sees what it guards against: the helpers that do write are found.
    assert {
        (module, function)
        for module in ("people.py", "jury.py", "registration.py", "cohorts.py")
        for function, _line, _what in _writes(DEMO / module)
    } == WRITES_AROUND_SERVICES


def test_every_transition_is_taken_by_someone_allowed_to(demo):
    entries = CandidacyTransition.objects.select_related("candidacy", "actor")
    assert entries.count() >= 15
    for entry in entries:
        rule = TRANSITIONS[Transition(entry.transition)]
        assert entry.source_state in rule.sources and entry.target_state == rule.target
        assert entry.actor_role in rule.actors, entry
        assert entry.actor.has_role(entry.actor_role), entry
        if entry.actor_role == Role.CANDIDATE:
            assert entry.actor == entry.candidacy.candidate, entry
        if rule.comment_required:
            assert entry.comment.strip(), entry


def test_the_livrets_are_written_by_their_candidates(demo):
    candidates = User.objects.filter(candidacies__isnull=False).distinct()
    # Each signed up (the privacy notice accepted) and confirmed their address.
    assert all(user.is_active and user.privacy_accepted_at for user in candidates)
    for request in EligibilityRequest.objects.select_related("candidacy"):
        assert request.identity_saved_at, request
        if request.candidacy.state != "draft":
            assert request.situation_saved_at and request.accommodation_saved_at, request
            assert request.sworn and request.sworn_at, request
    for narrative in Narrative.objects.select_related("dossier__candidacy"):
        assert narrative.updated_by == narrative.dossier.candidacy.candidate
        assert narrative.version >= 1
    for link in CompetenceLink.objects.select_related("dossier__candidacy", "competence"):
        assert link.dossier.candidacy.targets(link.competence), link


def test_every_evidence_is_an_upload_with_its_hash_and_pages(demo):
    evidence = Evidence.objects.select_related("dossier__candidacy")
    # Inès 6, Julien 3, Mathieu 3, Sarah 2, Thomas, Amina, Élise and Hugo 2 each, Leïla 6
    # (Inès's dossier), Romain 2; the promotions' history (demo.cohorts): 13 BC3 dossiers
    # of 2 pieces, 2 of Inès's dossier, and the BC3 dossier filed by one who then gave up.
    assert evidence.count() == 30 + 13 * 2 + 2 * 6 + 2
    for item in evidence:
        assert item.uploaded_by == item.dossier.candidacy.candidate
        with item.file.open("rb") as stream:
            data = stream.read()
        assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == len(data)
        assert item.extraction_status == ExtractionStatus.READY
        assert list(item.pages.values_list("number", flat=True)) == list(
            range(1, item.page_count + 1)
        )


def test_every_submitted_dossier_froze_what_was_sent(demo):
    submitted = Dossier.objects.filter(submissions__isnull=False).select_related("candidacy")
    # Inès, Mathieu, Sarah, Thomas, Amina, Élise, Hugo, Leïla and Romain, and the 15 of
    # the promotions' history and the one of them who filed before giving up.
    assert submitted.count() == 9 + 15 + 1
    for dossier in submitted:
        submission = dossier.submissions.get()
        candidate = dossier.candidacy.candidate
        assert submission.submitted_by == candidate
        assert submission.sworn_name == candidate.get_full_name() == dossier.sworn_name
        frozen = dict(
            NarrativeRevision.objects.filter(
                submission=submission, reason=RevisionReason.SUBMISSION
            ).values_list("narrative", "text")
        )
        assert frozen == dict(dossier.narratives.values_list("pk", "text"))
        assert not dossier.evidence.filter(first_submission__isnull=True).exists()


def test_the_review_is_written_by_its_panel(demo):
    # Only evaluators who declared not knowing the candidate select passages and rate.
    for model in (CompetenceRating, CriterionLink):
        for row in model.objects.select_related("assignment"):
            assert row.assignment.status == AssignmentStatus.ACTIVE, row
            assert row.assignment.declared_at, row
    conflict = Assignment.objects.get(status=AssignmentStatus.CONFLICT)
    assert not conflict.ratings.exists() and conflict.declaration_details
    # The certifier's representative on the panel consolidates.
    for rating in ConsolidatedRating.objects.select_related("candidacy"):
        seat = Assignment.objects.get(candidacy=rating.candidacy, evaluator=rating.decided_by)
        assert seat.category == EvaluatorCategory.CERTIFIER and seat.is_active
    # Each step is in the review's log, by the person who took it.
    certifier = User.objects.get(email="certificateur@demo.vae.local")
    for assignment in Assignment.objects.all():
        kinds = dict(assignment.events.values_list("kind", "actor"))
        assert kinds[ReviewEventKind.ASSIGNED] == certifier.pk
        declared = (
            ReviewEventKind.DECLARED_CONFLICT
            if assignment.status == AssignmentStatus.CONFLICT
            else ReviewEventKind.DECLARED_NO_CONFLICT
        )
        assert kinds[declared] == assignment.evaluator_id
        if assignment.grid_submitted:
            assert kinds[ReviewEventKind.GRID_SUBMITTED] == assignment.evaluator_id
    assert ReviewEvent.objects.filter(kind=ReviewEventKind.CONSOLIDATED).exists()
