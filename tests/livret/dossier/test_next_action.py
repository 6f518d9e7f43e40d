"""The livret 2 overview's compact view, as pure functions over a coverage: the next
action (every case) and the collapsible blocs with the « reste à faire » filter."""

from types import SimpleNamespace

import pytest

from livret.dossier.coverage import (
    ActionKind,
    BlocCoverage,
    CompetenceCoverage,
    Coverage,
    next_action,
    overview_blocs,
)


def activity(code):
    return SimpleNamespace(pk=f"a{code}", code=code)


def competence(code):
    return SimpleNamespace(pk=f"c{code}", code=code)


A11, A12, A21 = activity("1.1"), activity("1.2"), activity("2.1")


def make_row(code, act, *, written=True, started=False, linked=False, evidence=True, reason=""):
    return CompetenceCoverage(
        competence=competence(code),
        activity=act,
        narrative_written=written,
        narrative_started=started,
        narrative_links=["récit lié"] if linked else [],
        evidence_links=["pièce"] if evidence else [],
        no_evidence_reason=reason,
    )


def dossier(*rows_by_bloc, signed=False, evidence_count=1):
    blocs = [
        BlocCoverage(bloc=SimpleNamespace(code=f"BC{number}"), rows=list(rows))
        for number, rows in enumerate(rows_by_bloc, start=1)
    ]
    return Coverage(blocs=blocs, signed=signed, evidence_count=evidence_count)


def complete_bloc():
    return [make_row("C1.1", A11), make_row("C1.2", A11), make_row("C1.3", A12)]


# -- next_action ---------------------------------------------------------------------------


def test_no_targeted_bloc_has_no_next_action():
    assert next_action(dossier()) is None
    assert next_action(dossier([])) is None


def test_a_missing_narrative_comes_first():
    result = dossier([make_row("C1.1", A11, written=False, evidence=False)], evidence_count=0)
    action = next_action(result)
    assert (action.kind, action.label) == (
        ActionKind.NARRATIVE,
        "Écrire le récit de l'activité 1.1",
    )
    assert (action.activity, action.competence.code, action.started) == (A11, "C1.1", False)


def test_a_narrative_too_short_is_to_complete():
    result = dossier([make_row("C1.1", A11, written=False, started=True)])
    action = next_action(result)
    assert (action.kind, action.label) == (
        ActionKind.NARRATIVE,
        "Compléter le récit de l'activité 1.1",
    )
    assert action.started


def test_without_any_piece_the_step_is_to_upload_one():
    result = dossier([make_row("C1.1", A11, evidence=False)], evidence_count=0)
    action = next_action(result)
    assert (action.kind, action.label) == (
        ActionKind.UPLOAD,
        "Joindre une pièce justificative pour C1.1",
    )
    assert action.competence.code == "C1.1"


def test_with_pieces_the_step_is_to_link_one():
    result = dossier([make_row("C1.1", A11), make_row("C1.2", A11, evidence=False)])
    action = next_action(result)
    assert (action.kind, action.label) == (ActionKind.EVIDENCE, "Lier une pièce à C1.2")
    assert (action.competence.code, action.activity) == ("C1.2", A11)


def test_the_first_incomplete_competence_in_referentiel_order_wins():
    # C1.1 lacks a piece, C2.1 (a later bloc) lacks its récit: C1.1 is first.
    result = dossier(
        [make_row("C1.1", A11, evidence=False)],
        [make_row("C2.1", A21, written=False, evidence=False)],
    )
    assert next_action(result).label == "Lier une pièce à C1.1"


def test_a_linked_narrative_or_an_explanation_covers():
    result = dossier(
        [
            make_row("C1.1", A11, written=False, linked=True),
            make_row("C1.2", A11, evidence=False, reason="Pièce confidentielle."),
        ]
    )
    assert next_action(result).kind == ActionKind.SIGN


@pytest.mark.parametrize(
    ("resign", "label"),
    [(False, "Signer la déclaration"), (True, "Signer de nouveau la déclaration")],
)
def test_all_covered_but_unsigned_asks_to_sign(resign, label):
    action = next_action(dossier(complete_bloc()), resign=resign)
    assert (action.kind, action.label) == (ActionKind.SIGN, label)
    assert action.activity is None and action.competence is None


def test_all_covered_and_signed_asks_to_submit():
    action = next_action(dossier(complete_bloc(), signed=True))
    assert (action.kind, action.label) == (ActionKind.SUBMIT, "Déposer mon dossier")


def test_a_signature_does_not_skip_what_is_missing():
    result = dossier([make_row("C1.1", A11, evidence=False)], signed=True)
    assert next_action(result).kind == ActionKind.EVIDENCE


# -- overview_blocs ------------------------------------------------------------------------


def test_rows_are_grouped_by_activity_in_order():
    # One récit per activité: its state is read from the activité's rows.
    rows = [
        make_row("C1.1", A11, written=False, started=True),
        make_row("C1.2", A11, written=False, started=True, evidence=False),
        make_row("C1.3", A12, written=False),
    ]
    (view,) = overview_blocs(dossier(rows))
    assert [
        (group.activity, [r.competence.code for r in group.rows]) for group in view.activities
    ] == [
        (A11, ["C1.1", "C1.2"]),
        (A12, ["C1.3"]),
    ]
    assert [(g.narrative_written, g.narrative_started) for g in view.activities] == [
        (False, True),
        (False, False),
    ]
    assert view.remaining == 3


def test_blocs_with_something_left_are_open_the_others_closed():
    result = dossier(
        complete_bloc(),
        [make_row("C2.1", A21, evidence=False)],
        complete_bloc(),
    )
    assert [view.open for view in overview_blocs(result)] == [False, True, False]
    assert [view.remaining for view in overview_blocs(result)] == [0, 1, 0]


def test_when_all_is_complete_the_first_bloc_is_open():
    result = dossier(complete_bloc(), complete_bloc(), signed=True)
    assert [view.open for view in overview_blocs(result)] == [True, False]
    assert overview_blocs(dossier()) == []


def test_the_remaining_filter_keeps_only_incomplete_competences():
    result = dossier(
        [make_row("C1.1", A11), make_row("C1.2", A11, evidence=False), make_row("C1.3", A12)],
        complete_bloc(),
    )
    first, second = overview_blocs(result, remaining_only=True)
    assert [(g.activity, [r.competence.code for r in g.rows]) for g in first.activities] == [
        (A11, ["C1.2"])
    ]
    # A complete bloc keeps its figures but shows no row.
    assert second.activities == [] and second.coverage.done == 3
    assert (first.open, second.open) == (True, False)
    # Without the filter, every row is there.
    assert sum(len(g.rows) for g in overview_blocs(result)[0].activities) == 3
