"""The livret 2 overview: coverage figures, progress, matrix, sworn statement, submission
(refused with its reasons and links, or accepted with its snapshot) and history."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from livret.dossier.coverage import coverage, dossier_problems
from livret.dossier.services import unsign
from livret.enums import RevisionReason
from livret.models import (
    CompetenceLink,
    DossierSubmission,
    Evidence,
    Narrative,
    NarrativeRevision,
    NoEvidenceReason,
)
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.livret.dossier.support import (
    CONFIRM,
    competence,
    make_evidence,
    page,
    sign,
    snapshot,
    url,
    withdraw,
)
from vae import services
from vae.enums import CandidacyState, Role, Transition

pytestmark = pytest.mark.django_db


def narrative_of(candidacy, activity_code):
    return Narrative.objects.get(dossier=candidacy.dossier, activity__code=activity_code)


def row(result, code):
    return next(r for r in result.rows if r.competence.code == code)


def row_html(text, competence_pk) -> str:
    """The overview's row of one compétence: from its id to the next row or bloc end."""
    start = text.index(f'id="competence-{competence_pk}"')
    ends = [
        index
        for index in (text.find('<li id="competence-', start), text.find("</details>", start))
        if index != -1
    ]
    return text[start : min(ends)]


# -- coverage figures ----------------------------------------------------------------------


def test_complete_dossier_is_fully_covered(eligible):
    result = coverage(eligible)
    assert (result.done, result.total, result.percent) == (26, 26, 100)
    assert [(b.bloc.code, b.done, b.total) for b in result.blocs] == [
        ("BC1", 10, 10),
        ("BC2", 10, 10),
        ("BC3", 6, 6),
    ]
    assert result.complete and result.signed
    assert dossier_problems(eligible) == []


def test_removing_a_link_uncovers_its_competence_only(eligible):
    c11 = competence("C1.1", eligible)
    CompetenceLink.objects.filter(dossier=eligible.dossier, competence=c11).delete()
    result = coverage(eligible)
    assert (result.done, result.total, result.percent) == (25, 26, 96)
    assert result.blocs[0].done == 9
    assert row(result, "C1.1").has_narrative and not row(result, "C1.1").has_evidence
    assert [r.competence.code for r in result.incomplete] == ["C1.1"]
    assert dossier_problems(eligible) == [
        "C1.1 : il manque pièce justificative ou explication de son absence."
    ]


def test_a_narrative_below_the_minimum_uncovers_its_activity(eligible):
    minimum = settings.VAE_NARRATIVE_MIN_CHARS
    narrative = narrative_of(eligible, "1.1")  # C1.1 and C1.2
    narrative.text = "x" * (minimum - 1) + "   "
    narrative.save()
    result = coverage(eligible)
    assert result.done == 24
    assert not row(result, "C1.1").has_narrative and row(result, "C1.1").has_evidence
    assert row(result, "C1.1").missing == ["récit"]
    narrative.text = "x" * minimum
    narrative.save()
    assert coverage(eligible).done == 26


def test_no_evidence_reason_covers_the_evidence_side(eligible):
    c11 = competence("C1.1", eligible)
    CompetenceLink.objects.filter(dossier=eligible.dossier, competence=c11).delete()
    NoEvidenceReason.objects.create(
        dossier=eligible.dossier, competence=c11, reason="Documents confidentiels du producteur."
    )
    result = coverage(eligible)
    assert result.done == 26
    assert row(result, "C1.1").no_evidence_reason.startswith("Documents")
    # A blank reason does not count.
    NoEvidenceReason.objects.filter(competence=c11).update(reason="   ")
    assert coverage(eligible).done == 25


def test_a_linked_narrative_covers_only_when_long_enough(eligible):
    minimum = settings.VAE_NARRATIVE_MIN_CHARS
    own = narrative_of(eligible, "1.1")
    own.text = ""
    own.save()
    other = narrative_of(eligible, "1.2")
    CompetenceLink.objects.create(
        dossier=eligible.dossier,
        competence=competence("C1.1", eligible),
        narrative=other,
        justification="Le récit 1.2 décrit aussi la collecte des informations.",
    )
    result = coverage(eligible)
    assert row(result, "C1.1").has_narrative and not row(result, "C1.2").has_narrative
    assert result.done == 25
    other.text = "y" * (minimum - 1)
    other.save()
    # Too short for its own activité: too short for another one as well.
    assert not row(coverage(eligible), "C1.1").has_narrative


def test_withdrawn_evidence_no_longer_covers(eligible):
    withdraw(Evidence.objects.get(dossier=eligible.dossier))
    result = coverage(eligible)
    assert result.done == 0
    assert all(r.has_narrative and not r.has_evidence for r in result.rows)


# -- the page ------------------------------------------------------------------------------


def test_overview_shows_progress_in_words_and_as_progress(owner, eligible):
    text = page(owner.get(url("livret:dossier", eligible)))
    assert "26 compétences sur 26 couvertes (100\u202f%)" in text
    assert (
        '<label class="coverage-progress__label" for="progress-all">Tout le dossier</label>' in text
    )
    assert re.search(r'<progress id="progress-all" max="26" value="26"', text)
    assert "10 compétences sur 10 couvertes" in text
    assert "6 compétences sur 6 couvertes" in text
    assert "signée le" in text and "Déposer mon dossier" in text


def test_overview_figures_move_with_the_dossier(owner, eligible):
    c11 = competence("C1.1", eligible)
    CompetenceLink.objects.filter(dossier=eligible.dossier, competence=c11).delete()
    text = page(owner.get(url("livret:dossier", eligible)))
    assert "25 compétences sur 26 couvertes (96\u202f%)" in text
    assert "9 compétences sur 10 couvertes" in text
    matrix_row = row_html(text, c11.pk)
    assert 'class="coverage-item coverage-item--missing"' in matrix_row
    # What is missing, said once, in words (the cross is decoration for sighted readers).
    assert '<span aria-hidden="true">✗ </span>Manque : une pièce</span>' in matrix_row
    assert matrix_row.count("Manque") == 1 and "le récit" not in matrix_row
    assert f"?competence={c11.pk}&retour=overview" in matrix_row
    assert url("livret:no_evidence", eligible, competence_pk=c11.pk) in matrix_row
    assert "Expliquer l'absence" in matrix_row
    # The narrative side is still covered: its activité says so, in words.
    activity = text[text.index("Activité 1.1 — ") : text.index(f'id="competence-{c11.pk}"')]
    assert "Récit rédigé" in activity and "Modifier le récit" in activity


def test_empty_dossier_overview(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    log_in(client, candidacy.candidate)
    text = page(client.get(url("livret:dossier", candidacy)))
    assert "0 compétence sur 26 couverte (0\u202f%)" in text
    # Once per row, not once per cell: 26 rows, each missing its récit and its piece.
    assert text.count("Manque : le récit et une pièce") == 26
    assert text.count("Manque") == 26
    assert text.count("Récit à écrire") == 12
    assert "à signer" in text


def test_blocs_are_collapsible_with_headings_and_one_row_per_competence(owner, eligible):
    text = page(owner.get(url("livret:dossier", eligible)))
    assert text.count('<details class="coverage-bloc"') == 3
    assert text.count('<h3 class="coverage-bloc__title"') == 3
    assert text.count('<h4 class="coverage-activity__title"') == 12
    assert len(re.findall(r'<li id="competence-\d+"', text)) == 26
    summary = re.search(r'<details class="coverage-bloc" id="bloc-BC1".*?</summary>', text, re.S)
    assert "Bloc BC1 — " in summary.group(0)
    assert "10 compétences sur 10 couvertes" in summary.group(0)
    # Everything is covered: only the first bloc is open, the others fold.
    assert re.findall(r'<details class="coverage-bloc" id="bloc-(BC\d)"( open)?>', text) == [
        ("BC1", " open"),
        ("BC2", ""),
        ("BC3", ""),
    ]
    assert text.count('<span aria-hidden="true">✓ </span>Couverte</span>') == 26


def test_the_blocs_with_something_left_to_do_are_open(owner, eligible):
    for code in ("C2.1", "C3.2"):
        CompetenceLink.objects.filter(
            dossier=eligible.dossier, competence=competence(code, eligible)
        ).delete()
    text = page(owner.get(url("livret:dossier", eligible)))
    assert re.findall(r'<details class="coverage-bloc" id="bloc-(BC\d)"( open)?>', text) == [
        ("BC1", ""),
        ("BC2", " open"),
        ("BC3", " open"),
    ]
    assert "9 compétences sur 10 couvertes, 1 à compléter" in text


def test_the_remaining_filter_shows_only_what_is_left(owner, eligible):
    c21 = competence("C2.1", eligible)
    CompetenceLink.objects.filter(dossier=eligible.dossier, competence=c21).delete()
    overview = url("livret:dossier", eligible)
    text = page(owner.get(overview))
    assert f'<a href="{overview}#matrice" aria-current="true">Toutes les compétences (26)</a>' in (
        text
    )
    assert f'<a href="{overview}?reste=1#matrice">Reste à faire (1)</a>' in text
    assert len(re.findall(r'<li id="competence-\d+"', text)) == 26

    text = page(owner.get(overview + "?reste=1"))
    assert f'<a href="{overview}?reste=1#matrice" aria-current="true">Reste à faire (1)</a>' in text
    assert re.findall(r'<li id="competence-(\d+)"', text) == [str(c21.pk)]
    assert "Seules les compétences qui ne sont pas encore couvertes sont affichées." in text
    # Complete blocs still say so, rather than vanishing.
    assert text.count("Toutes les compétences de ce bloc sont couvertes.") == 2
    assert text.count('<h4 class="coverage-activity__title"') == 1
    # The figures are the dossier's, not the filter's.
    assert "25 compétences sur 26 couvertes (96\u202f%)" in text
    # Any other value is no filter.
    text = page(owner.get(overview + "?reste=oui"))
    assert len(re.findall(r'<li id="competence-\d+"', text)) == 26


def test_rows_are_read_only_outside_eligible(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    log_in(client, candidacy.candidate)
    text = page(client.get(url("livret:dossier", candidacy)))
    assert text.count("Lire le récit") == 12
    assert "Ajouter un lien" not in text and "Expliquer l'absence" not in text
    assert "À faire maintenant" not in text
    assert url("livret:dossier_submit", candidacy) not in text


def test_matrix_links_to_the_narrative_of_the_activity(owner, eligible):
    activity = narrative_of(eligible, "1.1").activity
    try:
        target = reverse(
            "livret:narrative", kwargs={"candidacy_pk": eligible.pk, "activity_pk": activity.pk}
        )
    except NoReverseMatch:
        pytest.skip("livret:narrative is not defined yet")
    text = page(owner.get(url("livret:dossier", eligible)))
    assert f'href="{target}"' in text


def test_overview_query_count_does_not_grow_with_links(owner, eligible):
    target = url("livret:dossier", eligible)
    owner.get(target)  # warm caches (site menu, content types)
    with CaptureQueriesContext(connection) as before:
        assert owner.get(target).status_code == 200
    dossier = eligible.dossier
    extra = make_evidence(dossier, "Plan de trésorerie", pages=9)
    for number, code in enumerate(
        ["C1.1", "C1.2", "C1.3", "C2.1", "C2.2", "C2.3", "C3.1", "C3.2", "C3.3"], start=1
    ):
        for page_number in range(1, 4):
            CompetenceLink.objects.create(
                dossier=dossier,
                competence=competence(code, eligible),
                evidence=extra,
                page_from=page_number,
                page_to=page_number,
                justification=f"Passage {number}.{page_number} du plan.",
            )
        CompetenceLink.objects.create(
            dossier=dossier,
            competence=competence(code, eligible),
            narrative=narrative_of(eligible, "3.2"),
            justification="Le récit de la clôture en parle aussi.",
        )
        NoEvidenceReason.objects.create(
            dossier=dossier, competence=competence(code, eligible), reason="Pièce confidentielle."
        )
    with CaptureQueriesContext(connection) as after:
        response = owner.get(target)
    assert response.status_code == 200
    assert "« Plan de trésorerie », page 3" in page(response)
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_overview_query_count_is_bounded(owner, eligible, django_assert_max_num_queries):
    owner.get(url("livret:dossier", eligible))
    # 16 for the page, 1 for the site header's entries (the user's roles).
    with django_assert_max_num_queries(17):
        owner.get(url("livret:dossier", eligible))


# -- submission ----------------------------------------------------------------------------


def test_submit_refused_while_incomplete_lists_what_is_missing(owner, eligible):
    c11 = competence("C1.1", eligible)
    CompetenceLink.objects.filter(dossier=eligible.dossier, competence=c11).delete()
    unsign(eligible.dossier)
    before = snapshot(eligible)
    response = owner.post(url("livret:dossier_submit", eligible), CONFIRM)
    assert response.status_code == 200
    text = page(response)
    assert "Erreur : " in text.split("<title>")[1].split("</title>")[0]
    assert "Cette action n'est pas encore possible." in text
    assert "Votre dossier n'a pas été déposé : rien n'a été modifié." in text
    overview = url("livret:dossier", eligible)
    assert (
        f'<a href="{overview}#competence-{c11.pk}">C1.1 : il manque pièce justificative ou '
        "explication de son absence.</a>"
    ) in text
    assert (
        f'<a href="{url("livret:dossier_sign", eligible)}">Signez la déclaration sur '
        "l'honneur du livret 2.</a>"
    ) in text
    assert f'id="competence-{c11.pk}"' in text  # the anchor exists on the same page
    assert snapshot(eligible) == before
    assert not DossierSubmission.objects.exists()
    assert not NarrativeRevision.objects.exists()


def test_submit_succeeds_when_complete(owner, eligible):
    transitions = eligible.transitions.count()
    response = owner.post(url("livret:dossier_submit", eligible), CONFIRM)
    assert response.status_code == 302
    assert response.url == url("livret:dossier", eligible)
    eligible.refresh_from_db()
    assert eligible.state == CandidacyState.DOSSIER_SUBMITTED
    assert eligible.transitions.count() == transitions + 1
    entry = eligible.transitions.order_by("-pk").first()
    assert (entry.transition, entry.actor) == (Transition.SUBMIT_DOSSIER, eligible.candidate)
    submission = DossierSubmission.objects.get(dossier=eligible.dossier)
    assert (submission.number, submission.submitted_by) == (1, eligible.candidate)
    assert submission.sworn_name == eligible.dossier.sworn_name
    revisions = NarrativeRevision.objects.filter(narrative__dossier=eligible.dossier)
    assert revisions.count() == 12
    assert set(revisions.values_list("reason", "submission")) == {
        (RevisionReason.SUBMISSION, submission.pk)
    }
    assert list(
        Evidence.objects.filter(dossier=eligible.dossier).values_list("first_submission", flat=True)
    ) == [submission.pk]

    text = page(owner.get(response.url))
    assert "Votre dossier de validation est déposé (dépôt n°1" in text
    assert "lecture seule" in text
    assert "Historique des dépôts" in text and "n°1" in text
    assert url("livret:dossier_submit", eligible) not in text
    assert "Lier une pièce ou un récit" not in text
    assert "Expliquer l'absence de pièce" not in text


def test_submit_twice_is_refused_and_changes_nothing(owner, eligible):
    owner.post(url("livret:dossier_submit", eligible), CONFIRM)
    before = snapshot(eligible)
    response = owner.post(url("livret:dossier_submit", eligible), CONFIRM)
    assert response.status_code == 200
    assert "Cette action n'est pas possible : la candidature est à l'état" in page(response)
    assert snapshot(eligible) == before
    assert DossierSubmission.objects.count() == 1


def test_submit_only_by_a_confirmed_post(owner, eligible):
    before = snapshot(eligible)
    assert owner.get(url("livret:dossier_submit", eligible)).status_code == 200
    for data in ({}, {"confirmation": "non"}):
        response = owner.post(url("livret:dossier_submit", eligible), data)
        # Not confirmed: back to the confirmation step, nothing written.
        assert (response.status_code, response.url) == (302, url("livret:dossier_submit", eligible))
    assert owner.put(url("livret:dossier_submit", eligible)).status_code == 405
    assert snapshot(eligible) == before
    assert not DossierSubmission.objects.exists()


# -- sworn statement -----------------------------------------------------------------------


def test_sign_page_shows_the_statement_and_signs(owner, eligible):
    unsign(eligible.dossier)
    text = page(owner.get(url("livret:dossier_sign", eligible)))
    assert (
        "Je certifie sur l'honneur être l'auteur des récits de ce dossier et que les pièces" in text
    )
    assert "jointes sont authentiques" in text
    name = "Alex Durand"  # the candidate's livret 1 identity (tests.factories)
    response = owner.post(
        url("livret:dossier_sign", eligible),
        {"certify": "on", "sworn_name": name, "sworn_place": "Montreuil"},
    )
    assert response.status_code == 302
    eligible.dossier.refresh_from_db()
    dossier = eligible.dossier
    assert dossier.is_signed
    assert (dossier.sworn_name, dossier.sworn_place) == (name, "Montreuil")
    text = page(owner.get(url("livret:dossier", eligible)))
    assert "signée le" in text and f"par {name}, à Montreuil" in text


def test_sign_refused_without_the_box_keeps_what_was_typed(owner, eligible):
    unsign(eligible.dossier)
    response = owner.post(
        url("livret:dossier_sign", eligible),
        {"sworn_name": "Léa Martin", "sworn_place": "Montreuil"},
    )
    assert response.status_code == 200
    text = page(response)
    assert "Cochez la case pour certifier sur l'honneur" in text
    assert 'value="Léa Martin"' in text and 'value="Montreuil"' in text
    eligible.dossier.refresh_from_db()
    assert not eligible.dossier.is_signed


def test_sign_refused_without_name_or_place(owner, eligible):
    unsign(eligible.dossier)
    response = owner.post(
        url("livret:dossier_sign", eligible),
        {"certify": "on", "sworn_name": "", "sworn_place": " "},
    )
    text = page(response)
    assert "Indiquez votre nom et votre prénom." in text
    assert "Indiquez la commune où vous signez" in text
    eligible.dossier.refresh_from_db()
    assert not eligible.dossier.is_signed


def test_sign_page_lists_what_is_incomplete(owner, eligible):
    c11 = competence("C1.1", eligible)
    CompetenceLink.objects.filter(dossier=eligible.dossier, competence=c11).delete()
    text = page(owner.get(url("livret:dossier_sign", eligible)))
    assert "Votre dossier n'est pas encore complet." in text
    assert f"#competence-{c11.pk}" in text


def test_overview_says_sign_again_after_a_change(owner, eligible):
    unsign(eligible.dossier)
    text = page(owner.get(url("livret:dossier", eligible)))
    assert "à signer de nouveau" in text
    assert "signée le" not in text


# -- returned dossier ----------------------------------------------------------------------


def test_returned_dossier_shows_the_comment_and_history(owner, eligible):
    owner.post(url("livret:dossier_submit", eligible), CONFIRM)
    certifier = UserFactory(role=Role.CERTIFIER)
    eligible.refresh_from_db()
    services.return_dossier(
        candidacy=eligible, by=certifier, comment="Merci de joindre le devis signé pour C2.2."
    )
    text = page(owner.get(url("livret:dossier", eligible)))
    assert "Votre dossier vous a été renvoyé le" in text
    assert "Merci de joindre le devis signé pour C2.2." in text
    assert "Renvoyé pour correction le" in text and "n°1" in text
    assert "à signer de nouveau" in text
    assert "Déposer mon dossier" in text
    assert "Ajouter un lien" in text
    # Signing again is what is left, and the page says so first.
    assert '<h2 id="a-faire">À faire maintenant</h2>' in text
    assert f'<a class="button" href="{url("livret:dossier_sign", eligible)}">Signer de nouveau' in (
        text
    )


def test_a_comment_from_an_older_return_is_not_shown_once_resubmitted(owner, eligible):
    owner.post(url("livret:dossier_submit", eligible), CONFIRM)
    eligible.refresh_from_db()
    services.return_dossier(
        candidacy=eligible, by=UserFactory(role=Role.CERTIFIER), comment="Ancien message."
    )
    sign(eligible.dossier)
    owner.post(url("livret:dossier_submit", eligible), CONFIRM)
    text = page(owner.get(url("livret:dossier", eligible)))
    assert "Votre dossier vous a été renvoyé" not in text
    assert "n°1" in text and "n°2" in text


# -- the candidacy page --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (CandidacyState.ELIGIBLE, "Rédiger mon livret 2"),
        (CandidacyState.DOSSIER_SUBMITTED, "Consulter mon livret 2"),
        (CandidacyState.UNDER_REVIEW, "Consulter mon livret 2"),
        (CandidacyState.DRAFT, None),
        (CandidacyState.ELIGIBILITY_SUBMITTED, None),
    ],
)
def test_candidacy_page_links_to_livret_2(client, referentiel, state, label):
    candidacy = CandidacyFactory(state=state)
    log_in(client, candidacy.candidate)
    text = page(client.get(reverse("candidacy:detail", kwargs={"pk": candidacy.pk})))
    target = url("livret:dossier", candidacy)
    if label is None:
        assert target not in text and "mon livret 2" not in text
    else:
        assert f'<a class="button" href="{target}">{label}</a>' in text
