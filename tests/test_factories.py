"""The test data is the application's: the factories' traits leave what the real workflow
leaves, ``state=`` only a state, and the référentiel fixture the loader's rows."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from livret.models import DossierSubmission, Evidence, Narrative
from referentiel.enums import Rating
from referentiel.management.commands.load_referentiel import DEFAULT_FILE
from referentiel.models import Certification
from referentiel.selectors import export_certification
from referentiel.services import load_referentiel_text
from review import services as review_services
from review.enums import AssignmentStatus, ReviewEventKind
from review.models import Assignment, CompetenceRating, ConsolidatedRating, ReviewEvent
from review.rules import seats
from tests.database import REFERENTIEL_ROWS, ReferentielRows
from tests.factories import CandidacyFactory, UserFactory
from vae.enums import TRANSITIONS, CandidacyState, Role, Transition

S, T = CandidacyState, Transition

# Each trait's history, written out from ARCHITECTURE.md §2: the transitions, in order.
PATHS = {
    "eligibility_submitted": [T.SUBMIT_ELIGIBILITY],
    "ineligible": [T.SUBMIT_ELIGIBILITY, T.REJECT_ELIGIBILITY],
    "eligible": [T.SUBMIT_ELIGIBILITY, T.ACCEPT_ELIGIBILITY],
    "dossier_submitted": [T.SUBMIT_ELIGIBILITY, T.ACCEPT_ELIGIBILITY, T.SUBMIT_DOSSIER],
    "panel_ready": [T.SUBMIT_ELIGIBILITY, T.ACCEPT_ELIGIBILITY, T.SUBMIT_DOSSIER],
    "under_review": [T.SUBMIT_ELIGIBILITY, T.ACCEPT_ELIGIBILITY, T.SUBMIT_DOSSIER, T.START_REVIEW],
}
PATHS["grids_submitted"] = PATHS["review_consolidated"] = PATHS["under_review"]
PATHS["reviewed"] = [*PATHS["under_review"], T.COMPLETE_REVIEW]
STATES = {
    "eligibility_submitted": S.ELIGIBILITY_SUBMITTED,
    "ineligible": S.INELIGIBLE,
    "eligible": S.ELIGIBLE,
    "dossier_submitted": S.DOSSIER_SUBMITTED,
    "panel_ready": S.DOSSIER_SUBMITTED,
    "under_review": S.UNDER_REVIEW,
    "grids_submitted": S.UNDER_REVIEW,
    "review_consolidated": S.UNDER_REVIEW,
    "reviewed": S.REVIEWED,
}


@pytest.mark.parametrize("trait", list(PATHS))
def test_a_trait_walks_the_real_transitions(referentiel, trait):
    certifier = UserFactory(role=Role.CERTIFIER)
    candidacy = CandidacyFactory(**{trait: True}, certifier=certifier)
    candidacy.refresh_from_db()
    assert candidacy.state == STATES[trait]
    rows = list(candidacy.transitions.order_by("created_at", "pk"))
    assert [row.transition for row in rows] == PATHS[trait]
    state = S.DRAFT
    for row in rows:
        rule = TRANSITIONS[Transition(row.transition)]
        assert (row.source_state, row.target_state) == (state, rule.target)
        assert row.actor_role in rule.actors
        expected = candidacy.candidate if row.actor_role == Role.CANDIDATE else certifier
        assert row.actor == expected
        state = rule.target
    assert candidacy.state_changed_at == rows[-1].created_at


def test_eligible_has_its_validity_and_a_complete_dossier_not_yet_submitted(referentiel):
    candidacy = CandidacyFactory(eligible=True)
    assert candidacy.eligible_until is not None
    assert candidacy.dossier.sworn_at is not None
    assert not DossierSubmission.objects.filter(dossier=candidacy.dossier).exists()
    assert CandidacyFactory(eligible=True, dossier="empty").dossier.narratives.count() == 0


def test_dossier_submitted_froze_the_submission(referentiel):
    candidacy = CandidacyFactory(dossier_submitted=True)
    submission = DossierSubmission.objects.get(dossier=candidacy.dossier)
    assert submission.number == 1
    assert submission.submitted_by == candidacy.candidate
    narratives = Narrative.objects.filter(dossier=candidacy.dossier)
    assert submission.revisions.count() == narratives.count() > 0
    assert set(
        Evidence.objects.filter(dossier=candidacy.dossier).values_list(
            "first_submission", flat=True
        )
    ) == {submission.pk}


def test_under_review_has_the_referentiels_panel_declared(referentiel):
    candidacy = CandidacyFactory(under_review=True)
    assignments = Assignment.objects.filter(candidacy=candidacy)
    wanted = Counter({role: count for role, (_label, count) in seats(candidacy).items()})
    assert Counter(a.category for a in assignments) == wanted
    assert sum(wanted.values()) == 4
    assert {a.status for a in assignments} == {AssignmentStatus.ACTIVE}
    kinds = Counter(ReviewEvent.objects.filter(candidacy=candidacy).values_list("kind", flat=True))
    assert kinds == {ReviewEventKind.ASSIGNED: 4, ReviewEventKind.DECLARED_NO_CONFLICT: 4}


def review_rows(candidacy):
    """The review's rows, without ids and times: what two reviews can share."""
    return {
        "ratings": Counter(
            CompetenceRating.objects.filter(assignment__candidacy=candidacy).values_list(
                "assignment__category", "competence__code", "rating", "justification"
            )
        ),
        "consolidated": Counter(
            ConsolidatedRating.objects.filter(candidacy=candidacy).values_list(
                "competence__code",
                "rating",
                "justification",
                "decided_by__evaluator_profile__category",
            )
        ),
        "events": Counter(
            ReviewEvent.objects.filter(candidacy=candidacy).values_list(
                "kind", "assignment__category", "details"
            )
        ),
        "actors": {
            (event.kind, event.actor_id == event.assignment.evaluator_id)
            for event in ReviewEvent.objects.filter(candidacy=candidacy).select_related(
                "assignment"
            )
            if event.kind != ReviewEventKind.ASSIGNED
        },
        "submitted": sorted(
            a.grid_submitted_at is not None for a in Assignment.objects.filter(candidacy=candidacy)
        ),
    }


def test_grids_and_consolidation_leave_the_rows_of_the_services(referentiel):
    """The traits write the ratings in bulk: they must equal the services' rows."""
    built = CandidacyFactory(review_consolidated=True, rating=Rating.PARTIAL)
    walked = CandidacyFactory(under_review=True)
    panel = list(Assignment.objects.active().filter(candidacy=walked))
    competences = walked.targeted_competences()
    for assignment in panel:
        for competence in competences:
            review_services.rate(
                assignment=assignment,
                competence=competence,
                rating=Rating.PARTIAL,
                justification="Les pièces montrent la compétence exercée en autonomie.",
                by=assignment.evaluator,
            )
        review_services.submit_grid(assignment=assignment, by=assignment.evaluator)
    seat = next(a for a in panel if a.category == "certifier")
    for competence in competences:
        review_services.consolidate(
            assignment=seat,
            competence=competence,
            rating=Rating.PARTIAL,
            justification="Consolidé après lecture des quatre grilles.",
            by=seat.evaluator,
        )
    assert review_rows(built) == review_rows(walked)


def test_blocs_are_the_candidates_choice_and_the_dossier_follows(referentiel):
    candidacy = CandidacyFactory(dossier_submitted=True, blocs=["BC3"])
    assert list(candidacy.targeted_blocs.values_list("code", flat=True)) == ["BC3"]
    assert len(candidacy.targeted_competences()) == 6
    activities = set(candidacy.dossier.narratives.values_list("activity__bloc__code", flat=True))
    assert activities == {"BC3"}


def test_state_sets_the_state_alone(referentiel):
    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    assert candidacy.state == S.UNDER_REVIEW
    assert not candidacy.transitions.exists()
    assert not Assignment.objects.filter(candidacy=candidacy).exists()
    assert candidacy.dossier.sworn_at is not None


def test_a_trait_and_a_state_do_not_mix(referentiel):
    with pytest.raises(TypeError):
        CandidacyFactory(eligible=True, state=S.ELIGIBLE)


def version_rows(certification):
    """Every row of the version, without ids, foreign keys and times (a fresh load numbers
    its rows anew)."""
    rows = {}
    for model, _captured in REFERENTIEL_ROWS.tables:
        if model is Certification:
            queryset = Certification.objects.filter(pk=certification.pk)
        else:
            lookup = "__".join(model.certification_path)
            queryset = model._base_manager.filter(**{lookup: certification}).order_by("pk")
        rows[model._meta.label] = [
            {name: value for name, value in row.items() if not name.endswith(("id", "_at"))}
            for row in queryset.values()
        ]
    return rows


def empty_referentiel():
    for model, _rows in reversed(REFERENTIEL_ROWS.tables):
        model._base_manager.all().delete()


def test_the_referentiel_fixture_gives_the_loaders_rows(referentiel):
    """The rows inserted in bulk are those the loader writes into an empty database."""
    sid = transaction.savepoint()
    empty_referentiel()
    loaded = load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8")).certification
    expected, export = version_rows(loaded), export_certification(loaded)
    transaction.savepoint_rollback(sid)
    empty_referentiel()
    restored = REFERENTIEL_ROWS.restore()
    assert restored.pk == REFERENTIEL_ROWS.certification_pk
    assert version_rows(restored) == expected
    assert export_certification(restored) == export
    assert Certification.objects.current() == restored


def test_the_restored_rows_follow_the_calendar_across_midnight(referentiel):
    """A worker captures the rows before midnight and restores them after it: the version's
    effective date, set to the day of publication, is then the day a fresh load would give
    (stop 29's PostgreSQL run crossed midnight and failed the test above)."""
    before_midnight = timezone.make_aware(datetime.datetime(2026, 12, 3, 23, 58))
    rows = ReferentielRows()
    sid = transaction.savepoint()
    empty_referentiel()
    with time_machine.travel(before_midnight, tick=False):
        rows.capture(load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8")).certification)
    transaction.savepoint_rollback(sid)
    with time_machine.travel(before_midnight + datetime.timedelta(minutes=4), tick=False):
        sid = transaction.savepoint()
        empty_referentiel()
        loaded = load_referentiel_text(DEFAULT_FILE.read_text(encoding="utf-8")).certification
        expected = version_rows(loaded)
        transaction.savepoint_rollback(sid)
        empty_referentiel()
        restored = rows.restore()
    assert restored.effective_date == datetime.date(2026, 12, 4)
    assert version_rows(restored) == expected
