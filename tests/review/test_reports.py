"""The agreement report: Fleiss' kappa per dossier, overall and per compétence.

The numbers are checked against a small example computed by hand. Two dossiers target
BC3 only (six compétences C3.1 … C3.6), four evaluators each. Rows are the counts
(acquis, partiel, non acquis) per compétence.

Dossier A:  C3.1 (4,0,0)  C3.2 (4,0,0)  C3.3 (3,1,0)  C3.4 (2,2,0)  C3.5 (0,4,0)  C3.6 (0,1,3)
    P_i = (Σ n_ij² − 4) / (4 × 3):  1, 1, 6/12, 4/12, 1, 6/12  →  P̄ = 4.3333 / 6 = 0.72222
    p_j = 13/24, 8/24, 3/24  →  P_e = (169 + 64 + 9) / 576 = 0.42014
    κ = (0.72222 − 0.42014) / (1 − 0.42014) = 0.5210  →  « 0,52 », accord modéré
Dossier B: every compétence (4,0,0)  →  P_e = 1, κ undefined  →  « non calculable »
Overall (12 subjects): P̄ = (4.3333 + 6) / 12 = 0.86111; p_j = 37/48, 8/48, 3/48
    P_e = (1369 + 64 + 9) / 2304 = 0.62587  →  κ = 0.23524 / 0.37413 = 0.6288  →  « 0,63 »
Per compétence (2 subjects each, A then B):
    C3.1 (4,0,0)(4,0,0): undefined.   C3.2 idem.
    C3.3 (3,1,0)(4,0,0): P̄ = 0.75, P_e = (7/8)² + (1/8)² = 0.78125  →  κ = −0.14, désaccord
    C3.4 (2,2,0)(4,0,0): P̄ = 0.66667, P_e = (6/8)² + (2/8)² = 0.625  →  κ = 0.11, très faible
    C3.5 (0,4,0)(4,0,0): P̄ = 1, P_e = 0.5  →  κ = 1.00, presque parfait
    C3.6 (0,1,3)(4,0,0): P̄ = 0.75, P_e = 0.25 + 1/64 + 9/64 = 0.40625  →  κ = 0.58, modéré
Lowest agreement: C3.3, C3.4, C3.6.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from review.enums import AssignmentStatus
from review.models import Assignment, CompetenceRating
from review.reports import Kappa, agreement_report, compute, reading
from tests.accounts import log_in
from tests.factories import CandidacyFactory, EvaluatorFactory, UserFactory, make_panel
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db

A, P, N = "acquis", "partiel", "non_acquis"

DOSSIER_A = {
    "C3.1": [A, A, A, A],
    "C3.2": [A, A, A, A],
    "C3.3": [A, P, A, A],
    "C3.4": [P, A, P, A],
    "C3.5": [P, P, P, P],
    "C3.6": [N, P, N, N],
}
DOSSIER_B = {code: [A, A, A, A] for code in DOSSIER_A}


def dossier(referentiel, table, *, submit=4, state=CandidacyState.REVIEWED):
    """A BC3-only dossier rated as ``table`` (code → the four evaluators' ratings)."""
    candidacy = CandidacyFactory(state=state)
    candidacy.targeted_blocs.set(referentiel.blocs.filter(code="BC3"))
    assignments = make_panel(candidacy)
    competences = {c.code: c for c in candidacy.targeted_competences()}
    for index, assignment in enumerate(assignments):
        CompetenceRating.objects.bulk_create(
            CompetenceRating(
                assignment=assignment,
                competence=competences[code],
                rating=ratings[index],
                justification="Vu les pièces.",
            )
            for code, ratings in table.items()
        )
        if index < submit:
            assignment.grid_submitted_at = timezone.now()
            assignment.save()
    return candidacy


def by_code(report):
    return {row.competence.code: row for row in report.competences}


def test_kappa_numbers_on_the_hand_computed_example(referentiel):
    first = dossier(referentiel, DOSSIER_A)
    second = dossier(referentiel, DOSSIER_B)
    report = agreement_report()

    assert [row.candidacy for row in report.dossiers] == [first, second]
    kappa_a, kappa_b = (row.kappa for row in report.dossiers)
    assert kappa_a.value == pytest.approx(0.52096, abs=1e-4)
    assert (kappa_a.display, kappa_a.reading, kappa_a.subjects, kappa_a.raters) == (
        "0,52",
        "accord modéré",
        6,
        4,
    )
    assert kappa_a.totals == [13, 8, 3]
    assert kappa_b.value is None
    assert kappa_b.display == "non calculable"
    assert kappa_b.why_undefined == "toutes les appréciations sont identiques"

    overall = report.overall
    assert overall.value == pytest.approx(0.62877, abs=1e-4)
    assert (overall.display, overall.reading, overall.subjects) == (
        "0,63",
        "accord substantiel",
        12,
    )
    assert overall.totals == [37, 8, 3]

    rows = by_code(report)
    assert list(rows) == ["C3.1", "C3.2", "C3.3", "C3.4", "C3.5", "C3.6"]
    assert rows["C3.1"].kappa.value is None
    assert rows["C3.2"].kappa.display == "non calculable"
    assert (rows["C3.3"].kappa.display, rows["C3.3"].kappa.reading) == ("-0,14", "désaccord")
    assert (rows["C3.4"].kappa.display, rows["C3.4"].kappa.reading) == (
        "0,11",
        "accord très faible",
    )
    assert (rows["C3.5"].kappa.display, rows["C3.5"].kappa.reading) == (
        "1,00",
        "accord presque parfait",
    )
    assert (rows["C3.6"].kappa.display, rows["C3.6"].kappa.reading) == ("0,58", "accord modéré")
    assert {row.competence.code for row in report.lowest} == {"C3.3", "C3.4", "C3.6"}
    assert [row.competence.code for row in report.lowest] == ["C3.3", "C3.4", "C3.6"]
    assert all(row.kappa.subjects == 2 for row in report.competences)


def test_only_dossiers_with_all_four_grids_count(referentiel, django_capture_on_commit_callbacks):
    from review import services

    counted = dossier(referentiel, DOSSIER_A)
    dossier(referentiel, DOSSIER_A, submit=3, state=CandidacyState.UNDER_REVIEW)
    # A panel whose seat was freed and refilled by someone still to declare: not ready.
    replacing = dossier(referentiel, DOSSIER_A, state=CandidacyState.UNDER_REVIEW)
    certifier = UserFactory(role=Role.CERTIFIER)
    leaving = replacing.assignments.get(category="training_body")
    services.remove_assignment(assignment=leaving, by=certifier, reason="Parti.")
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_panel(
            candidacy=replacing,
            evaluators=[EvaluatorFactory(category="training_body")],
            by=certifier,
        )
    report = agreement_report()
    assert [row.candidacy for row in report.dossiers] == [counted]
    assert report.overall.subjects == 6


def test_no_dossier_yet(referentiel):
    report = agreement_report()
    assert report.dossiers == []
    assert report.competences == []
    assert report.overall.value is None
    assert report.overall.why_undefined == "aucun dossier"


@pytest.mark.parametrize(
    ("kappa", "expected"),
    [
        (None, "non calculable"),
        (-0.3, "désaccord"),
        (-0.004, "accord très faible"),  # shown as 0,00
        (0.0, "accord très faible"),
        (0.2, "accord très faible"),
        (0.204, "accord très faible"),  # shown as 0,20
        (0.21, "accord faible"),
        (0.4, "accord faible"),
        (0.41, "accord modéré"),
        (0.6, "accord modéré"),
        (0.61, "accord substantiel"),
        (0.8, "accord substantiel"),
        (0.81, "accord presque parfait"),
        (1.0, "accord presque parfait"),
    ],
)
def test_landis_and_koch_reading(kappa, expected):
    assert reading(kappa) == expected


def test_a_kappa_rounding_to_zero_is_shown_without_a_sign():
    # « -0,00 » would read as a disagreement that is not there.
    assert Kappa(subjects=3, raters=4, value=-0.001, totals=[6, 6, 0]).display == "0,00"
    assert Kappa(subjects=3, raters=4, value=-0.006, totals=[6, 6, 0]).display == "-0,01"


def test_compute_never_raises_on_uneven_panels():
    kappa = compute([[4, 0, 0], [2, 1, 0]])
    assert kappa.value is None
    assert kappa.why_undefined == "nombre d'évaluateurs différent selon les dossiers"


def test_the_report_costs_a_fixed_number_of_queries(client, referentiel):
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    dossier(referentiel, DOSSIER_A)
    client.get(reverse("review_admin:agreement"))  # first visit: one-time rows
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("review_admin:agreement"))
    assert len(response.context["report"].dossiers) == 1
    for _ in range(3):
        dossier(referentiel, DOSSIER_B)
    # The first reading after a change computes the aggregates again (two more queries);
    # the next ones read them from the cache.
    with CaptureQueriesContext(connection) as four_fresh:
        client.get(reverse("review_admin:agreement"))
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("review_admin:agreement"))
    assert len(response.context["report"].dossiers) == 4
    assert len(four) == len(one)
    assert len(four_fresh) == len(one) + 2
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        agreement_report()
    with CaptureQueriesContext(connection) as kept:
        agreement_report()
    # The version (4), the page's candidacies, their sums, the compétences; + the ready
    # dossiers and the compétences' sums when computed.
    assert (len(computed), len(kept)) == (9, 7)


def test_agreement_page(client, referentiel):
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    first = dossier(referentiel, DOSSIER_A)
    dossier(referentiel, DOSSIER_B)
    response = client.get(reverse("review_admin:agreement"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accord entre évaluateurs" in page
    assert "<strong>0,63</strong> — accord substantiel" in page
    assert "0,52" in page
    assert "toutes les appréciations sont identiques" in page
    assert "Compétences au plus faible accord" in page
    assert 'class="review-lowest"' in page
    assert reverse("review_admin:ratings", args=[first.pk]) in page


def test_agreement_page_does_not_link_into_ones_own_candidacy(client, referentiel):
    certifier = UserFactory(role=Role.CERTIFIER)
    certifier.groups.add(*UserFactory(role=Role.CANDIDATE).groups.all())
    log_in(client, certifier)
    own = dossier(referentiel, DOSSIER_A)
    own.candidate = certifier
    own.save()
    page = client.get(reverse("review_admin:agreement")).content.decode()
    assert own.reference in page
    assert reverse("review_admin:ratings", args=[own.pk]) not in page


# -- aggregated in SQL, by pages (issue 11) -------------------------------------------------


def python_report(candidacies):
    """The report's numbers computed in Python from the rating rows (the computation the
    report made before it was aggregated in SQL): per dossier, overall, per compétence."""
    from collections import defaultdict

    from review.rules import rating_counts

    tables = defaultdict(dict)  # candidacy → competence → row
    for candidacy in candidacies:
        given = defaultdict(list)
        for competence_id, rating in CompetenceRating.objects.filter(
            assignment__candidacy=candidacy
        ).values_list("competence_id", "rating"):
            given[competence_id].append(rating)
        tables[candidacy.pk] = {pk: rating_counts(r) for pk, r in given.items() if len(r) == 4}
    per_competence = defaultdict(list)
    for table in tables.values():
        for pk, row in table.items():
            per_competence[pk].append(row)
    return (
        {pk: compute(list(table.values())) for pk, table in tables.items()},
        compute([row for table in tables.values() for row in table.values()]),
        {pk: compute(rows) for pk, rows in per_competence.items()},
    )


def same(kappa, expected):
    assert (kappa.subjects, kappa.raters, kappa.totals, kappa.why_undefined) == (
        expected.subjects,
        expected.raters,
        expected.totals,
        expected.why_undefined,
    )
    if expected.value is None:
        assert kappa.value is None
    else:
        assert kappa.value == pytest.approx(expected.value, abs=1e-12)


def test_sql_numbers_match_the_python_computation(referentiel):
    import random

    rng = random.Random(11)
    codes = list(DOSSIER_A)
    made = [
        dossier(
            referentiel,
            {code: rng.choices([A, P, N], [6, 3, 1], k=4) for code in codes},
        )
        for _ in range(6)
    ]
    # One compétence left unrated by one evaluator: out of every table.
    CompetenceRating.objects.filter(
        assignment__candidacy=made[0], competence__code="C3.2"
    ).first().delete()
    report = agreement_report()
    per_dossier, overall, per_competence = python_report(made)
    assert [row.candidacy for row in report.dossiers] == made
    for row in report.dossiers:
        same(row.kappa, per_dossier[row.candidacy.pk])
    same(report.overall, overall)
    assert {row.competence.pk for row in report.competences} == set(per_competence)
    for row in report.competences:
        same(row.kappa, per_competence[row.competence.pk])


def test_dossiers_by_pages_with_the_overall_on_every_page(client, referentiel):
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    made = [dossier(referentiel, DOSSIER_A) for _ in range(27)]
    first = client.get(reverse("review_admin:agreement")).context["report"]
    second_response = client.get(reverse("review_admin:agreement"), {"page": 2})
    second = second_response.context["report"]
    assert [row.candidacy for row in first.dossiers] == made[:25]
    assert [row.candidacy for row in second.dossiers] == made[25:]
    assert first.dossier_count == second.dossier_count == 27
    assert first.overall == second.overall
    assert first.overall.subjects == 27 * 6
    page = second_response.content.decode()
    assert "27 dossiers" in page
    assert 'aria-label="Pages des dossiers"' in page
    assert 'href="?page=2" aria-current="page"' in page
    out = client.get(reverse("review_admin:agreement"), {"page": 5})
    assert [row.candidacy for row in out.context["report"].dossiers] == made[25:]
    assert "voici la dernière page (2)" in out.content.decode()


def test_queries_do_not_grow_from_3_to_30_dossiers(client, referentiel):
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    for _ in range(3):
        dossier(referentiel, DOSSIER_A)
    client.get(reverse("review_admin:agreement"))  # first visit: one-time rows
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("review_admin:agreement"))
    for _ in range(27):
        dossier(referentiel, DOSSIER_B)
    client.get(reverse("review_admin:agreement"))  # computed again: 27 more dossiers
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("review_admin:agreement"))
    assert response.context["report"].dossier_count == 30
    assert len(many) == len(few)


def test_the_kept_aggregates_follow_every_change_they_read(referentiel):
    """A new grid, a removed evaluator, a changed rating: the next report shows it."""
    first = dossier(referentiel, DOSSIER_A, submit=3)
    assert agreement_report().dossier_count == 0
    last = Assignment.objects.filter(candidacy=first, grid_submitted_at__isnull=True).get()
    Assignment.objects.filter(pk=last.pk).update(grid_submitted_at=timezone.now())
    assert agreement_report().dossier_count == 1
    before = agreement_report().overall.totals
    rating = CompetenceRating.objects.filter(assignment=last).first()
    flipped = "non_acquis" if rating.rating != "non_acquis" else "acquis"
    CompetenceRating.objects.filter(pk=rating.pk).update(rating=flipped, updated_at=timezone.now())
    assert agreement_report().overall.totals != before
    Assignment.objects.filter(pk=last.pk).update(status=AssignmentStatus.REMOVED)
    assert agreement_report().dossier_count == 0
