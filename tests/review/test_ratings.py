"""The evaluator's grid: access, saving, submission, read-only after, and blind review."""

import html

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from livret.models import Narrative
from review import services
from review.enums import AssignmentStatus, PassageKind
from review.models import CompetenceRating, ConsolidatedRating
from tests.accounts import log_in
from tests.factories import (
    CandidacyFactory,
    EvaluatorFactory,
    UserFactory,
    make_consolidation,
    make_grids,
    make_panel,
)
from vae.enums import CandidacyState as S
from vae.enums import Role

SECRET_B = "Justification-secrète-de-B : le tableau de trésorerie est incomplet."
SECRET_C = "Brouillon-secret-de-C : à revoir."


@pytest.fixture
def candidacy(referentiel):
    return CandidacyFactory(state=S.UNDER_REVIEW)


@pytest.fixture
def panel(candidacy):
    return make_panel(candidacy)


@pytest.fixture
def competences(candidacy):
    return candidacy.targeted_competences()


def grid_url(assignment):
    return reverse("review:grid", args=[assignment.pk])


def submit_url(assignment):
    return reverse("review:grid_submit", args=[assignment.pk])


def grid_data(competences, values=None):
    """The whole grid as the page posts it: every compétence, empty unless given."""
    values = values or {}
    data = {"grid": "1"}
    for competence in competences:
        rating, justification = values.get(competence.code, ("", ""))
        if rating:
            data[f"c{competence.pk}-rating"] = rating
        data[f"c{competence.pk}-justification"] = justification
    return data


def text(response) -> str:
    return html.unescape(response.content.decode())


# -- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["grid", "grid_submit"])
def test_anonymous_is_sent_to_login(client, panel, name):
    url = reverse(f"review:{name}", args=[panel[0].pk])
    response = client.post(url) if name == "grid_submit" else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.CERTIFIER, Role.JURY_MEMBER])
def test_other_roles_do_not_find_the_grid(client, panel, role):
    log_in(client, UserFactory(role=role))
    assert client.get(grid_url(panel[0])).status_code == 404
    assert client.post(submit_url(panel[0])).status_code == 404


def test_the_candidate_does_not_find_a_grid_of_their_own_dossier(client, candidacy, panel):
    log_in(client, candidacy.candidate)
    assert client.get(grid_url(panel[0])).status_code == 404


def test_another_evaluators_grid_is_not_found(client, panel, competences):
    log_in(client, panel[1].evaluator)
    assert client.get(grid_url(panel[0])).status_code == 404
    data = grid_data(competences, {competences[0].code: ("acquis", "Vu.")})
    assert client.post(grid_url(panel[0]), data).status_code == 404
    assert client.post(submit_url(panel[0])).status_code == 404
    assert not CompetenceRating.objects.exists()


def test_an_evaluator_of_another_panel_does_not_find_the_grid(client, panel, referentiel):
    other = make_panel(CandidacyFactory(state=S.UNDER_REVIEW))
    log_in(client, other[0].evaluator)
    assert client.get(grid_url(panel[0])).status_code == 404


def test_before_the_declaration_the_grid_sends_to_the_declaration(client, candidacy):
    assignment = make_panel(candidacy, declared=False)[0]
    log_in(client, assignment.evaluator)
    response = client.get(grid_url(assignment))
    assert response.status_code == 302
    assert response["Location"] == reverse("review:declare", args=[assignment.pk])
    competences = candidacy.targeted_competences()
    data = grid_data(competences, {competences[0].code: ("acquis", "Vu.")})
    assert client.post(grid_url(assignment), data).status_code == 403
    assert not CompetenceRating.objects.exists()


@pytest.mark.parametrize("status", [AssignmentStatus.CONFLICT, AssignmentStatus.REMOVED])
def test_an_ended_assignment_has_no_grid(client, panel, status):
    assignment = panel[0]
    assignment.status = status
    assignment.save()
    log_in(client, assignment.evaluator)
    assert client.get(grid_url(assignment)).status_code == 403


def test_before_the_review_starts_the_grid_is_read_only(client, referentiel):
    candidacy = CandidacyFactory(state=S.DOSSIER_SUBMITTED)
    assignment = make_panel(candidacy)[0]
    log_in(client, assignment.evaluator)
    response = client.get(grid_url(assignment))
    assert response.status_code == 200
    assert "n'a pas encore commencé" in text(response)
    assert 'type="radio"' not in text(response)
    competences = candidacy.targeted_competences()
    data = grid_data(competences, {competences[0].code: ("acquis", "Vu.")})
    assert client.post(grid_url(assignment), data).status_code == 403
    assert client.post(submit_url(assignment), data).status_code == 403
    assert not CompetenceRating.objects.exists()
    assignment.refresh_from_db()
    assert not assignment.grid_submitted


def test_after_the_review_the_grid_is_read_only(client, referentiel):
    candidacy = CandidacyFactory(state=S.REVIEWED)
    panel = make_panel(candidacy)
    make_grids(candidacy, panel, rating="acquis")
    make_consolidation(candidacy)
    competences = candidacy.targeted_competences()
    assignment = panel[0]
    log_in(client, assignment.evaluator)
    response = client.get(grid_url(assignment))
    assert response.status_code == 200
    assert 'type="radio"' not in text(response)
    data = grid_data(competences, {competences[0].code: ("non_acquis", "Changé.")})
    client.post(grid_url(assignment), data)
    assert not CompetenceRating.objects.filter(rating="non_acquis").exists()


def test_get_only_and_post_methods(client, panel):
    log_in(client, panel[0].evaluator)
    assert client.put(grid_url(panel[0])).status_code == 405
    assert client.get(submit_url(panel[0])).status_code == 405


# -- the page -------------------------------------------------------------------------------


def test_grid_lists_every_competence_with_criteria_and_rating_fieldsets(client, panel, competences):
    log_in(client, panel[0].evaluator)
    response = client.get(grid_url(panel[0]))
    page = text(response)
    assert response.status_code == 200
    assert len(competences) == 26
    for competence in competences:
        assert competence.statement in page
        assert f'name="c{competence.pk}-rating"' in page
        assert f'name="c{competence.pk}-justification"' in page
        assert f"Votre appréciation de la compétence {competence.code}" in page
    first = competences[0]
    assert first.criteria.first().text in page
    assert page.count("<fieldset") >= 26
    assert page.count("<legend") >= 26
    assert "Activité 1.1" in page
    assert "0 compétence appréciée sur 26" in page


def test_grid_shows_how_many_passages_the_evaluator_linked_per_criterion(
    client, candidacy, panel, competences
):
    assignment = panel[0]
    narrative = Narrative.objects.filter(dossier__candidacy=candidacy).first()
    criterion = competences[0].criteria.order_by("sort_order").first()
    for start in (0, 10):
        services.add_criterion_link(
            assignment=assignment,
            by=assignment.evaluator,
            kind=PassageKind.NARRATIVE,
            criteria=[criterion],
            narrative=narrative,
            start=start,
            end=start + 5,
        )
    # Another evaluator's links are not counted in this evaluator's grid.
    services.add_criterion_link(
        assignment=panel[1],
        by=panel[1].evaluator,
        kind=PassageKind.NARRATIVE,
        criteria=[criterion],
        narrative=narrative,
        start=0,
        end=5,
    )
    log_in(client, assignment.evaluator)
    page = text(client.get(grid_url(assignment)))
    assert f"{criterion.text} <span" in page
    assert "— 2 passages reliés" in page
    assert "2 passages reliés par vous" in page
    assert "3 passages" not in page


# -- saving ---------------------------------------------------------------------------------


def test_saving_part_of_the_grid(client, panel, competences):
    assignment = panel[0]
    log_in(client, assignment.evaluator)
    c1, c2 = competences[0], competences[1]
    data = grid_data(
        competences,
        {c1.code: ("acquis", "Le devis est établi seul."), c2.code: ("partiel", "En équipe.")},
    )
    response = client.post(grid_url(assignment), data, follow=True)
    assert response.redirect_chain[-1][0] == grid_url(assignment)
    assert "2 appréciations enregistrées." in text(response)
    ratings = dict(
        CompetenceRating.objects.filter(assignment=assignment).values_list(
            "competence__code", "rating"
        )
    )
    assert ratings == {c1.code: "acquis", c2.code: "partiel"}
    assert "2 compétences appréciées sur 26" in text(response)
    # Posting the same values again changes nothing.
    data[f"c{c1.pk}-justification"] = "Le devis est établi seul."
    response = client.post(grid_url(assignment), data, follow=True)
    assert "Aucune modification à enregistrer." in text(response)


def test_a_missing_justification_keeps_everything_typed(client, panel, competences):
    assignment = panel[0]
    log_in(client, assignment.evaluator)
    c1, c2, c3 = competences[:3]
    data = grid_data(
        competences,
        {
            c1.code: ("non_acquis", "   "),
            c2.code: ("partiel", "Texte tapé à ne pas perdre."),
            c3.code: ("", "Justification sans appréciation."),
        },
    )
    response = client.post(grid_url(assignment), data)
    page = text(response)
    assert response.status_code == 200
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Erreur : " in page
    assert "2 compétences n'ont pas pu être enregistrées" in page
    assert f"{c1.code} — Justifiez votre appréciation." in page
    assert f"{c3.code} — Choisissez acquis, partiellement acquis ou non acquis." in page
    assert f'href="#id_c{c1.pk}-justification"' in page
    assert f'href="#id_c{c3.pk}-rating_0"' in page
    # What was typed is still there: the checked radio and the texts.
    assert f'value="non_acquis" id="id_c{c1.pk}-rating_2" checked' in page
    assert "Justification sans appréciation." in page
    assert "Texte tapé à ne pas perdre." in page
    # The valid compétence is saved, the others are not.
    assert list(
        CompetenceRating.objects.filter(assignment=assignment).values_list(
            "competence__code", "rating"
        )
    ) == [(c2.code, "partiel")]
    assert "Les autres modifications (1) sont enregistrées." in page


def test_clearing_a_saved_justification_is_refused(client, panel, competences):
    assignment = panel[0]
    c1 = competences[0]
    services.rate(
        assignment=assignment,
        competence=c1,
        rating="acquis",
        justification="Première lecture.",
        by=assignment.evaluator,
    )
    log_in(client, assignment.evaluator)
    response = client.post(grid_url(assignment), grid_data(competences, {c1.code: ("acquis", "")}))
    assert "Justifiez votre appréciation." in text(response)
    assert CompetenceRating.objects.get(assignment=assignment).justification == "Première lecture."


def test_the_saved_grid_is_shown_again(client, panel, competences):
    assignment = panel[0]
    c1 = competences[0]
    services.rate(
        assignment=assignment,
        competence=c1,
        rating="partiel",
        justification="Lecture du devis.",
        by=assignment.evaluator,
    )
    log_in(client, assignment.evaluator)
    page = text(client.get(grid_url(assignment)))
    assert f'value="partiel" id="id_c{c1.pk}-rating_1" checked' in page
    assert "Lecture du devis.</textarea>" in page


# -- submission -----------------------------------------------------------------------------


def test_submitting_an_incomplete_grid_is_refused_with_the_list(client, panel, competences):
    assignment = panel[0]
    for competence in competences[:-3]:
        services.rate(
            assignment=assignment,
            competence=competence,
            rating="acquis",
            justification="Vu dans les pièces.",
            by=assignment.evaluator,
        )
    log_in(client, assignment.evaluator)
    response = client.post(submit_url(assignment))
    page = text(response)
    assert response.status_code == 200
    assert "Votre grille n'est pas complète." in page
    assert "3 compétences restent à apprécier" in page
    for competence in competences[-3:]:
        assert f"Compétence {competence.code} à apprécier" in page
    assert f"Compétence {competences[0].code} à apprécier" not in page
    assignment.refresh_from_db()
    assert assignment.grid_submitted_at is None


def test_submitting_saves_what_the_page_posted_first(client, panel, competences):
    assignment = panel[0]
    log_in(client, assignment.evaluator)
    values = {c.code: ("acquis", f"Preuve pour {c.code}.") for c in competences}
    response = client.post(submit_url(assignment), grid_data(competences, values), follow=True)
    assert "Votre grille est remise." in text(response)
    assignment.refresh_from_db()
    assert assignment.grid_submitted
    assert CompetenceRating.objects.filter(assignment=assignment).count() == 26


def test_submitting_with_an_error_neither_saves_it_nor_submits(client, panel, competences):
    assignment = panel[0]
    log_in(client, assignment.evaluator)
    values = {c.code: ("acquis", f"Preuve pour {c.code}.") for c in competences}
    values[competences[4].code] = ("acquis", "")
    response = client.post(submit_url(assignment), grid_data(competences, values))
    page = text(response)
    assert "Votre grille n'est pas remise : corrigez d'abord les erreurs." in page
    assert f"{competences[4].code} — Justifiez votre appréciation." in page
    assignment.refresh_from_db()
    assert not assignment.grid_submitted
    assert CompetenceRating.objects.filter(assignment=assignment).count() == 25


def test_after_submission_the_grid_is_read_only(client, candidacy, panel, competences):
    assignment = panel[0]
    make_grids(candidacy, [assignment], rating="partiel", submit=False)
    log_in(client, assignment.evaluator)
    client.post(submit_url(assignment))
    assignment.refresh_from_db()
    assert assignment.grid_submitted
    response = client.get(grid_url(assignment))
    page = text(response)
    assert "Votre grille est remise depuis le" in page
    assert 'type="radio"' not in page
    assert "<textarea" not in page
    assert "Remettre ma grille</button>" not in page
    assert page.count("<strong>partiellement acquis</strong>") == 26
    data = grid_data(competences, {c.code: ("acquis", "Changé.") for c in competences})
    response = client.post(grid_url(assignment), data, follow=True)
    assert "Votre grille est remise : elle ne se modifie plus." in text(response)
    response = client.post(submit_url(assignment), data, follow=True)
    assert "Votre grille est remise : elle ne se modifie plus." in text(response)
    assert not CompetenceRating.objects.filter(rating="acquis").exists()


def test_the_certifier_seat_is_pointed_to_the_consolidation(client, candidacy, panel):
    certifier_seat = panel[3]
    assert certifier_seat.category == "certifier"
    make_grids(candidacy, [certifier_seat])
    log_in(client, certifier_seat.evaluator)
    page = text(client.get(grid_url(certifier_seat)))
    assert reverse("review:consolidation", args=[certifier_seat.pk]) in page


# -- blind review ---------------------------------------------------------------------------


@pytest.fixture
def others_rated(candidacy, panel, competences):
    """B (panel[1]) rated everything « non acquis » and submitted; C (panel[2]) rated one
    compétence as a draft. A (panel[0]) has not submitted."""
    b, c = panel[1], panel[2]
    for competence in competences:
        services.rate(
            assignment=b,
            competence=competence,
            rating="non_acquis",
            justification=SECRET_B,
            by=b.evaluator,
        )
    services.submit_grid(assignment=b, by=b.evaluator)
    services.rate(
        assignment=c,
        competence=competences[0],
        rating="partiel",
        justification=SECRET_C,
        by=c.evaluator,
    )
    return panel


def _review_urls_with_pk():
    """Every URL of the review namespace that takes only an assignment pk."""
    names = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "review":
            stack = list(entry.url_patterns)
            while stack:
                item = stack.pop()
                if isinstance(item, URLResolver):
                    stack.extend(item.url_patterns)
                elif isinstance(item, URLPattern) and item.name:
                    names.append(item.name)
    return sorted(set(names))


def test_before_submitting_no_other_rating_appears_anywhere(
    client, candidacy, others_rated, competences
):
    a, b, c = others_rated[0], others_rated[1], others_rated[2]
    log_in(client, a.evaluator)
    checked = []
    for name in _review_urls_with_pk():
        try:
            url = reverse(f"review:{name}", args=[a.pk])
        except NoReverseMatch:
            continue
        for response in (client.get(url), client.get(url, HTTP_ACCEPT="application/json")):
            page = text(response)
            assert SECRET_B not in page, name
            assert SECRET_C not in page, name
        checked.append(name)
    assert {"grid", "consolidation"} <= set(checked)
    page = text(client.get(grid_url(a)))
    assert "non acquis</strong>" not in page
    assert "Appréciations des autres évaluateurs" not in page
    assert b.evaluator.last_name not in page
    assert c.evaluator.last_name not in page
    # Not even counts: the only « non acquis » on the page is the radio label of A's form.
    assert page.count("non acquis") == page.count('value="non_acquis"')


def test_a_refused_save_does_not_reveal_other_ratings_either(client, others_rated, competences):
    a = others_rated[0]
    log_in(client, a.evaluator)
    data = grid_data(competences, {competences[0].code: ("acquis", "")})
    page = text(client.post(grid_url(a), data))
    assert "Justifiez votre appréciation." in page
    assert SECRET_B not in page
    page = text(client.post(submit_url(a)))
    assert "Votre grille n'est pas complète." in page
    assert SECRET_B not in page


def test_after_submitting_the_other_submitted_grids_are_shown(
    client, candidacy, others_rated, competences
):
    a, b, c = others_rated[0], others_rated[1], others_rated[2]
    make_grids(candidacy, [a], rating="acquis", submit=False)
    log_in(client, a.evaluator)
    client.post(submit_url(a))
    page = text(client.get(grid_url(a)))
    assert page.count(SECRET_B) == 26
    assert b.evaluator.get_full_name() in page
    assert "Appréciations des autres évaluateurs pour " + competences[0].code in page
    assert '<th scope="col">Justification</th>' in page
    # C has not submitted: their draft stays hidden, they are listed as awaited.
    assert SECRET_C not in page
    assert "pas encore remise" in page
    assert c.evaluator.get_full_name() in page


def test_b_who_submitted_first_sees_a_only_once_a_submits(
    client, candidacy, others_rated, competences
):
    a, b = others_rated[0], others_rated[1]
    services.rate(
        assignment=a,
        competence=competences[0],
        rating="acquis",
        justification="Justification de A en cours.",
        by=a.evaluator,
    )
    log_in(client, b.evaluator)
    page = text(client.get(grid_url(b)))
    assert "Justification de A en cours." not in page
    for competence in competences[1:]:
        services.rate(
            assignment=a,
            competence=competence,
            rating="acquis",
            justification="Vu.",
            by=a.evaluator,
        )
    services.submit_grid(assignment=a, by=a.evaluator)
    page = text(client.get(grid_url(b)))
    assert "Justification de A en cours." in page


# -- candidates never see individual ratings -----------------------------------------------

CANDIDATE_PAGES = [
    ("candidacy:dashboard", False),
    ("candidacy:detail", "pk"),
    ("livret:livret1", "candidacy_pk"),
    ("livret:dossier", "candidacy_pk"),
    ("livret:links", "candidacy_pk"),
    ("livret:narratives", "candidacy_pk"),
    ("livret:evidence_list", "candidacy_pk"),
    ("livret:dossier_pdf", "candidacy_pk"),
]


def test_candidate_pages_never_show_individual_ratings(client, candidacy, others_rated):
    a, b = others_rated[0], others_rated[1]
    make_grids(candidacy, [a, others_rated[3]], submit=True)
    ConsolidatedRating.objects.bulk_create(
        ConsolidatedRating(
            candidacy=candidacy,
            competence=competence,
            rating="acquis",
            justification="Consolidation-secrète : les quatre grilles convergent.",
            decided_by=others_rated[3].evaluator,
        )
        for competence in candidacy.targeted_competences()
    )
    log_in(client, candidacy.candidate)
    fetched = []
    for name, kwarg in CANDIDATE_PAGES:
        try:
            url = reverse(name, kwargs={kwarg: candidacy.pk} if kwarg else {})
        except NoReverseMatch:
            continue  # a page another part of the project has not built yet
        response = client.get(url)
        assert response.status_code in (200, 302), name
        page = text(response)
        assert SECRET_B not in page, name
        assert SECRET_C not in page, name
        assert "Les pièces montrent la compétence exercée" not in page, name
        assert "Consolidation-secrète" not in page, name
        assert b.evaluator.last_name not in page, name
        fetched.append(name)
    assert {"candidacy:detail", "livret:dossier", "livret:livret1"} <= set(fetched)
    # And the evaluators' own pages are not theirs to open.
    assert client.get(grid_url(a)).status_code == 404


def test_a_jury_member_or_another_evaluator_is_not_shown_ratings(client, others_rated):
    outsider = EvaluatorFactory()
    log_in(client, outsider)
    for assignment in others_rated:
        assert client.get(grid_url(assignment)).status_code == 404
