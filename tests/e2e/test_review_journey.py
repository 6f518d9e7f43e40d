"""The review in a browser: the certifier assigns the four evaluators and starts the review;
an evaluator declares no conflict, selects a passage of an extracted page and links it to
a criterion, accepts one of the candidate's links, rates and submits; the three others are
set up by the test; the certifier's representative consolidates; the review completes."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from livret.dossier.evidence.tasks import extract
from referentiel.models import Bloc
from review import services as review_services
from review.enums import LinkVerdict
from review.models import Assignment, CandidateLinkReview, ConsolidatedRating, CriterionLink
from tests.accounts import enrolled_device, pass_second_factor
from tests.factories import PANEL, CandidacyFactory, EvaluatorFactory, UserFactory, make_grids
from vae.accounts.permissions import requires_second_factor
from vae.enums import CandidacyState, Role
from vae.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Grille-Evaluation-2026"


def log_in(browser, live_server, email, next_path):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/compte/connexion/?next={next_path}")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/compte/connexion/" not in url)
    user = User.objects.get(email=email)
    if requires_second_factor(user):
        # Certifiers give their application's code after the password.
        pass_second_factor(page, user)
        page.wait_for_url(lambda url: "/double-authentification/" not in url)
    if not page.url.endswith(next_path):
        page.goto(live_server.url + next_path)
    return page


def test_review_from_panel_to_completion(live_server, browser, referentiel):
    certifier = UserFactory(email="certif@exemple.fr", password=PASSWORD, role=Role.CERTIFIER)
    enrolled_device(certifier)
    candidacy = CandidacyFactory(dossier_submitted=True, blocs=["BC3"], certifier=certifier)
    evidence = candidacy.dossier.evidence.get()
    extract(evidence.pk)  # the extracted text per page the evaluator reads
    evaluators = [
        EvaluatorFactory(category=category, email=f"eval{i}@exemple.fr", password=PASSWORD)
        for i, category in enumerate(PANEL)
    ]
    me, rep = evaluators[0], evaluators[3]

    # The certifier assigns the panel in the back office.
    panel_path = reverse("review_admin:panel", args=[candidacy.pk])
    staff = log_in(browser, live_server, certifier.email, panel_path)
    for select, evaluator in zip(
        staff.locator("select[name^='seat_']").all(), evaluators, strict=True
    ):
        select.select_option(value=str(evaluator.pk))
    staff.get_by_role("button", name="Affecter les évaluateurs").click()
    expect(staff.get_by_text("Déclaration d'absence de conflit attendue").first).to_be_visible()
    assignments = {a.evaluator_id: a for a in Assignment.objects.filter(candidacy=candidacy)}
    assert sorted(a.category for a in assignments.values()) == sorted(PANEL)

    # The evaluator declares not knowing the candidate; the three others do too.
    mine = assignments[me.pk]
    page = log_in(browser, live_server, me.email, reverse("review:declare", args=[mine.pk]))
    page.get_by_label(re.compile("Je ne connais pas le candidat")).check()
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    page.wait_for_url(f"**{reverse('review:dossier', args=[mine.pk])}")
    for evaluator in evaluators[1:]:
        review_services.declare(
            assignment=assignments[evaluator.pk], by=evaluator, knows_candidate=False
        )

    # The certifier starts the review, through its confirmation step.
    staff.reload()
    staff.get_by_role("link", name="Lancer l'évaluation").click()
    staff.get_by_role("button", name="Vérifier avant de confirmer").click()
    expect(staff.get_by_role("main")).to_contain_text("« Votre dossier est en cours d'évaluation »")
    staff.get_by_role("button", name="Confirmer : Lancer l'évaluation").click()
    # Back on the candidacy's page, whose action panel now offers the end of the review.
    expect(staff.get_by_role("link", name="Clore l'évaluation")).to_be_visible()
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.UNDER_REVIEW

    # A passage of the extracted page 1, linked to the first criterion of C3.1.
    page.goto(live_server.url + reverse("review:evidence_page", args=[mine.pk, evidence.pk, 1]))
    page_text = evidence.pages.get(number=1).text
    page.evaluate(
        """() => {
            const text = document.querySelector('[data-source^="page:"]');
            const range = document.createRange();
            range.setStart(text.firstChild, 0);
            range.setEnd(text.firstChild, 16);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    expect(page.locator("[data-passage-preview]")).to_contain_text(page_text[:16])
    criterion = Bloc.objects.get(code="BC3", certification=candidacy.certification)
    criterion = (
        criterion.activities.order_by("sort_order")[0]
        .competences.order_by("sort_order")[0]
        .criteria.order_by("sort_order")[0]
    )
    page.locator(f"#link-criterion-{criterion.pk}").check()
    page.get_by_role("button", name="Relier ce passage").click()
    link = CriterionLink.objects.get(assignment=mine)
    assert (link.start, link.end, link.quote) == (0, 16, page_text[:16])
    assert list(link.criteria.all()) == [criterion]

    # One of the candidate's links, accepted.
    page.goto(live_server.url + reverse("review:dossier", args=[mine.pk]))
    page.get_by_role("button", name=re.compile("^Accepter")).first.click()
    expect(page.locator(".review-verdict--accepted").first).to_be_visible()
    assert CandidateLinkReview.objects.filter(
        assignment=mine, verdict=LinkVerdict.ACCEPTED
    ).exists()

    # The grid: every compétence of BC3 rated and justified, then submitted.
    page.goto(live_server.url + reverse("review:grid", args=[mine.pk]))
    competences = [
        c
        for a in Bloc.objects.get(
            code="BC3", certification=candidacy.certification
        ).activities.order_by("sort_order")
        for c in a.competences.order_by("sort_order")
    ]
    for competence in competences:
        section = page.locator(f"#competence-{competence.pk}")
        section.get_by_label("acquis", exact=True).check()
        section.get_by_label(re.compile("Justification")).fill(
            "Le plan de trésorerie et le récit montrent la compétence."
        )
    page.get_by_role("button", name="Remettre ma grille").click()
    expect(page.get_by_role("main")).to_contain_text("remise")
    mine.refresh_from_db()
    assert mine.grid_submitted_at is not None

    # The three other grids, then the certifier's representative consolidates.
    make_grids(candidacy, [assignments[e.pk] for e in evaluators[1:]])
    rep_page = log_in(
        browser,
        live_server,
        rep.email,
        reverse("review:consolidation", args=[assignments[rep.pk].pk]),
    )
    for competence in competences:
        section = rep_page.locator(f"#competence-{competence.pk}")
        section.get_by_label("acquis", exact=True).check()
        section.get_by_label(re.compile("Justification")).fill("Les quatre grilles concordent.")
    rep_page.get_by_role("button", name="Enregistrer la consolidation").click()
    expect(rep_page.get_by_role("main")).to_contain_text("provisoire")
    assert ConsolidatedRating.objects.filter(candidacy=candidacy).count() == len(competences)

    # The certifier closes the review from the panel, through its confirmation step.
    staff.goto(live_server.url + panel_path)
    staff.get_by_role("link", name="Clore l'évaluation").click()
    staff.get_by_role("button", name="Vérifier avant de confirmer").click()
    staff.get_by_role("button", name="Confirmer : Clore l'évaluation").click()
    expect(staff.get_by_text("Fin de l'évaluation du dossier").first).to_be_visible()
    staff.goto(live_server.url + panel_path)
    expect(staff.get_by_text("L'évaluation est terminée")).to_be_visible()
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.REVIEWED
    rows = list(candidacy.transitions.values_list("transition", "actor", "actor_role"))
    assert rows[-2:] == [
        ("start_review", certifier.pk, "certificateur"),
        ("complete_review", certifier.pk, "certificateur"),
    ]
