"""Livret 2 in a browser, end to end: write a narrative, reload, a second tab and its
conflict, upload a PDF and see its text ready, link it to a compétence, watch coverage
rise, read what is missing before submitting, filter what is left, fold a bloc, complete,
sign, confirm the submission, download the PDF."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from livret.dossier.links import services as links
from livret.dossier.narratives import services as narratives
from livret.dossier.services import dossier_for
from livret.models import Evidence
from referentiel.models import Bloc, Competence
from tests.factories import NARRATIVE_TEXT, CandidacyFactory, UserFactory
from tests.pdf_samples import text_pdf
from vae.enums import CandidacyState, Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Plan-Tresorerie-2026"
SAVED = re.compile(r"Enregistré à \d{1,2}\sh\s\d{2}")


@pytest.fixture
def candidacy(referentiel):
    # The name signed on the sworn statement must be the candidate's own.
    candidate = UserFactory(
        email="yanis.petit@exemple.fr",
        first_name="Yanis",
        last_name="Petit",
        password=PASSWORD,
        role=Role.CANDIDATE,
    )
    candidacy = CandidacyFactory(candidate=candidate, state=CandidacyState.ELIGIBLE, dossier=None)
    # BC3 only (BC1 and BC2 acquired earlier, say): 2 activités, 6 compétences.
    candidacy.targeted_blocs.set(Bloc.objects.filter(code="BC3"))
    return candidacy


def test_livret2_from_first_words_to_pdf(live_server, browser, candidacy, tmp_path):
    base = live_server.url
    bc3 = candidacy.referentiel_tree()[0]
    first, second = list(bc3.activities.all())
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("yanis.petit@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Suivre ma candidature").click()
    page.get_by_role("link", name=re.compile("livret 2")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Livret 2 — dossier de validation")

    # A narrative, saved while typing, found again after a reload.
    editor_url = base + reverse(
        "livret:narrative", kwargs={"candidacy_pk": candidacy.pk, "activity_pk": first.pk}
    )
    page.goto(editor_url)
    editor = page.get_by_label(f"Récit de l'activité {first.code}")
    editor.fill(NARRATIVE_TEXT)
    editor.press("Control+End")
    editor.press_sequentially(" Clôture validée par l'expert-comptable.")
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    page.reload()
    expect(editor).to_have_value(re.compile("Clôture validée par l'expert-comptable\\.$"))

    # A second tab saves meanwhile; the first tab's next save shows both texts.
    other = context.new_page()
    other.goto(editor_url)
    other_editor = other.get_by_label(f"Récit de l'activité {first.code}")
    other_editor.press("Control+End")
    other_editor.press_sequentially(" Écrit depuis la tablette.")
    expect(other.locator("[data-save-status]")).to_have_text(SAVED)
    other.close()
    editor.press("Control+End")
    editor.press_sequentially(" Écrit depuis l'ordinateur.")
    conflict = page.locator("[data-conflict-panel]")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Écrit depuis la tablette.")
    with page.expect_response(lambda r: "/enregistrement-automatique/" in r.url) as answer:
        page.get_by_role("button", name="Garder ma version").click()
    assert answer.value.status == 200
    expect(conflict).to_be_hidden()
    narrative = dossier_for(candidacy).narratives.get(activity=first)
    assert narrative.text.endswith("Écrit depuis l'ordinateur.")
    assert narrative.revisions.filter(text__contains="tablette").exists()  # nothing lost

    # A PDF, checked and read; its status says it is ready.
    pdf = tmp_path / "plan-tresorerie.pdf"
    pdf.write_bytes(text_pdf(["Plan de trésorerie — tournage", "Échéancier des apports"]))
    page.goto(base + reverse("livret:evidence_upload", kwargs={"candidacy_pk": candidacy.pk}))
    page.get_by_label("Titre de la pièce").fill("Plan de trésorerie du film")
    page.get_by_label("Nature de la pièce").select_option(label="Plan de trésorerie")
    page.get_by_label("Fichier").set_input_files(str(pdf))
    page.get_by_role("button", name="Joindre la pièce").click()
    expect(page.locator(".evidence-status").first).to_contain_text("Prête")
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    assert evidence.pages.get(number=2).text.startswith("Échéancier")

    # Link it to the first compétence: coverage rises.
    overview_url = base + reverse("livret:dossier", kwargs={"candidacy_pk": candidacy.pk})
    page.goto(overview_url)
    progress = page.locator("#progress-all").locator("..")
    expect(progress).to_contain_text("0 compétence sur 6")
    competence = first.competences.all()[0]
    page.goto(
        base
        + reverse("livret:link_add", kwargs={"candidacy_pk": candidacy.pk})
        + f"?competence={competence.pk}&evidence={evidence.pk}"
    )
    page.get_by_label("En quoi cela prouve la compétence").fill(
        "Ce plan de trésorerie est celui que j'ai construit et suivi chaque semaine."
    )
    page.get_by_role("button", name="Enregistrer le lien").click()
    page.goto(overview_url)
    expect(progress).to_contain_text("1 compétence sur 6")

    # Too early: no button that leads to an error; the send area says what is missing.
    send_area = page.get_by_role("region", name="Déposer mon dossier")
    expect(send_area.get_by_role("button")).to_have_count(0)
    expect(send_area).to_contain_text(f"{first.competences.all()[1].code} : il manque")
    expect(send_area).to_contain_text("Signez la déclaration sur l'honneur du livret 2.")
    # « et 2 autres » opens the « reste à faire » view: the five compétences left, no more.
    send_area.get_by_role("link", name="et 2 autres compétences à compléter").click()
    page.wait_for_url("**/livret-2/?reste=1#matrice")
    expect(page.locator("li.coverage-item")).to_have_count(5)
    expect(page.get_by_role("link", name="Reste à faire (5)")).to_have_attribute(
        "aria-current", "true"
    )
    # A bloc folds and unfolds from the keyboard.
    bloc = page.locator("details.coverage-bloc").first
    expect(bloc).to_have_attribute("open", "")
    bloc.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(bloc).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(bloc).to_have_attribute("open", "")
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.ELIGIBLE

    # The rest is written the way the pages would (each step is tested on its own).
    dossier = dossier_for(candidacy)
    user = candidacy.candidate
    narratives.save_narrative((dossier, second), user, NARRATIVE_TEXT, 0)
    for activity in (first, second):
        for other_competence in activity.competences.all():
            if other_competence != competence:
                links.add_link(
                    dossier=dossier,
                    by=user,
                    competence=other_competence,
                    evidence=evidence,
                    justification="L'échéancier montre les apports que j'ai négociés.",
                )
    page.goto(overview_url)
    expect(progress).to_contain_text("6 compétences sur 6")

    # Sign, submit, and download the PDF export.
    page.goto(base + reverse("livret:dossier_sign", kwargs={"candidacy_pk": candidacy.pk}))
    page.get_by_label(re.compile("Je certifie sur l'honneur")).check()
    page.get_by_label("Nom et prénom du signataire").fill("Yanis Petit")
    page.get_by_label("Fait à").fill("Lyon")
    page.get_by_role("button", name="Signer la déclaration").click()
    page.goto(overview_url)
    next_action = page.get_by_role("region", name="À faire maintenant")
    next_action.get_by_role("link", name="Déposer mon dossier").click()
    # The confirmation restates what will happen; only its button submits.
    expect(page.get_by_role("heading", name="Déposer mon dossier de validation ?")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Votre dossier est figé.")
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.ELIGIBLE
    page.get_by_role("button", name="Confirmer le dépôt de mon dossier").click()
    expect(page.locator(".messages")).to_contain_text("Votre dossier de validation est déposé")
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.DOSSIER_SUBMITTED
    page.goto(base + reverse("livret:dossier_pdf", kwargs={"candidacy_pk": candidacy.pk}))
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF", exact=True).click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    # The submitted version: its PDF was rendered once, at the submission.
    assert download.value.suggested_filename == f"livret2-{candidacy.reference}-depot-1.pdf"
    context.close()


# The overview was 6,000 px tall on a laptop and 17,000 px on a phone. Measured since (all
# three blocs targeted): empty 4,240 and 7,212 px, complete 2,637 and 4,497 px. The bounds
# leave some margin for wording, not for a return of the wall of cells.
HEIGHT_BOUNDS = {
    ("empty", (1280, 800)): 4_700,
    ("empty", (375, 812)): 8_000,
    ("complete", (1280, 800)): 3_000,
    ("complete", (375, 812)): 5_000,
}


def competence_of(candidacy, code):
    return Competence.objects.get(code=code, activity__bloc__certification=candidacy.certification)


@pytest.mark.parametrize("kind", ["empty", "complete"])
def test_the_overview_stays_compact(live_server, browser, referentiel, kind):
    """All three blocs targeted: nothing covered (every bloc open, 26 rows to do), or all
    covered and signed (one bloc open)."""
    candidate = UserFactory(email=f"{kind}@exemple.fr", password=PASSWORD, role=Role.CANDIDATE)
    candidacy = CandidacyFactory(candidate=candidate, state=CandidacyState.ELIGIBLE, dossier=kind)
    overview = live_server.url + reverse("livret:dossier", kwargs={"candidacy_pk": candidacy.pk})
    for viewport in ((1280, 800), (375, 812)):
        width, height = viewport
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        page = context.new_page()
        page.goto(live_server.url + "/compte/connexion/")
        page.get_by_label("Adresse e-mail").fill(candidate.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
        page.goto(overview)
        expect(page.locator("details.coverage-bloc[open]")).to_have_count(
            3 if kind == "empty" else 1
        )
        measured = page.evaluate("document.documentElement.scrollHeight")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, viewport
        assert measured <= HEIGHT_BOUNDS[(kind, viewport)], (kind, viewport, measured)
        if kind == "complete":
            # A link to a compétence of a folded bloc unfolds it and lands on the row.
            row = page.locator(f"#competence-{competence_of(candidacy, 'C2.1').pk}")
            bc2 = page.locator("details#bloc-BC2")
            expect(bc2).not_to_have_attribute("open", "")
            page.goto(overview + f"#competence-{competence_of(candidacy, 'C2.1').pk}")
            expect(bc2).to_have_attribute("open", "")
            expect(row).to_be_in_viewport()
        context.close()
