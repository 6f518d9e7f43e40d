"""The candidate's journey in a browser: sign up, confirm, livret 1, a return for
correction, resubmission and recevabilité, with a certifier deciding in the back office."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts import enrolled_device, pass_second_factor
from tests.factories import UserFactory
from vae.enums import CandidacyState, Role
from vae.models import Candidacy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Montage-Financier-2026"


def save(page):
    page.get_by_role("main").get_by_role("button", name="Enregistrer", exact=True).click()


def open_section(page, name):
    page.get_by_role("link", name=re.compile(f"la section « {re.escape(name)} »")).click()


def fill_livret1(page):
    open_section(page, "Identité")
    page.get_by_label("Civilité").select_option(label="Madame")
    page.get_by_label("Date de naissance").fill("1987-05-04")
    page.get_by_label("Commune de naissance").fill("Rennes")
    page.get_by_label("Pays de naissance").fill("France")
    page.get_by_label("Nationalité").fill("Française")
    page.get_by_label("Adresse", exact=True).fill("5 rue des Carmes")
    page.get_by_label("Code postal").fill("35000")
    page.get_by_label("Commune", exact=True).fill("Rennes")
    page.get_by_label("Téléphone").fill("0612345678")
    save(page)
    page.get_by_text("Section enregistrée").wait_for()

    open_section(page, "Situation actuelle")
    page.get_by_label("Intermittent(e) du spectacle").check()
    save(page)

    open_section(page, "Expériences professionnelles")
    page.get_by_role("link", name="Ajouter une expérience").click()
    page.get_by_label("Employeur ou structure").fill("Les Films du Grand Ouest")
    page.get_by_label("Audiovisuel, cinéma, spectacle").check()
    page.get_by_label("Fonction occupée").fill("Administratrice de production")
    page.get_by_label("Administration de production").check()
    page.get_by_label("Paie et déclarations sociales").check()
    page.get_by_label("Date de début").fill("2017-01-09")
    page.get_by_label("emploi actuel").check()
    page.get_by_label("Temps plein", exact=True).check()
    page.get_by_label("Activités exercées").fill(
        "Budgets de documentaires, paie des intermittents, DSN mensuelles et clôture des "
        "comptes de production pour le CNC."
    )
    save(page)
    page.get_by_text("Expérience ajoutée").wait_for()
    page.get_by_role("link", name="Livret 1", exact=True).first.click()

    open_section(page, "Formations et diplômes")
    page.get_by_label("Je n'ai ni formation ni diplôme à déclarer").check()
    save(page)

    open_section(page, "Aménagements (situation de handicap)")
    page.get_by_label("Non", exact=True).check()
    save(page)

    sign(page)


def sign(page):
    open_section(page, "Déclaration sur l'honneur")
    page.get_by_label("Je certifie sur l'honneur").check()
    page.get_by_label("Nom et prénom du signataire").fill("Inès Lambert")
    page.get_by_label("Fait à").fill("Rennes")
    page.get_by_role("button", name="Signer la déclaration").click()


def test_sign_up_livret1_return_and_recevabilite(live_server, browser, site, mailoutbox):
    certifier = UserFactory(
        email="certif@exemple.fr", password="bon-mot-de-passe", role=Role.CERTIFIER
    )
    enrolled_device(certifier)
    candidate_context = browser.new_context(locale="fr-FR")
    page = candidate_context.new_page()
    page.set_default_timeout(15_000)

    # Sign up, then confirm the address with the link from the e-mail.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Lambert")
    page.get_by_label("Adresse e-mail").fill("ines.lambert@exemple.fr")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_label("J'ai lu la notice").check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.get_by_role("heading", level=1).wait_for()
    (message,) = mailoutbox
    assert message.to == ["ines.lambert@exemple.fr"]
    link = re.search(r"https?://\S+/compte/inscription/confirmer/\S+", message.body).group(0)
    # The link names the configured site; the test server listens elsewhere.
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.wait_for_url("**/candidature/")
    assert "Votre adresse e-mail est confirmée" in page.content()

    # Start a candidacy and fill in livret 1, section by section.
    page.get_by_role("button", name="Commencer ma candidature").click()
    page.get_by_role("link", name="Remplir mon livret 1").click()
    fill_livret1(page)
    page.get_by_role("link", name="Envoyer ma demande de recevabilité").click()
    # A confirmation first, that says what sending does; nothing is sent yet.
    page.get_by_role("heading", name="Envoyer ma demande de recevabilité ?").wait_for()
    assert "Votre livret 1 ne sera plus modifiable" in page.content()
    assert Candidacy.objects.get(candidate__email="ines.lambert@exemple.fr").state == "draft"
    page.get_by_role("button", name="Confirmer l'envoi de ma demande").click()
    page.get_by_text("Votre livret 1 n'est plus modifiable").wait_for()
    candidacy = Candidacy.objects.get(candidate__email="ines.lambert@exemple.fr")
    assert candidacy.state == CandidacyState.ELIGIBILITY_SUBMITTED

    # The certifier returns it with a comment.
    staff_context = browser.new_context(locale="fr-FR")
    staff = staff_context.new_page()
    staff.set_default_timeout(15_000)
    staff.goto(live_server.url + f"/admin/candidatures/{candidacy.pk}/")
    staff.get_by_label("Adresse e-mail").fill(certifier.email)
    staff.get_by_label("Mot de passe").fill("bon-mot-de-passe")
    staff.get_by_role("main").get_by_role("button", name="Se connecter").click()
    pass_second_factor(staff, certifier)
    staff.wait_for_url(f"**/admin/candidatures/{candidacy.pk}/")
    assert "Les Films du Grand Ouest" in staff.content()
    # The decision: its page, the comment, « Vérifier », then « Confirmer ».
    staff.get_by_role("link", name="Renvoyer au candidat pour correction").click()
    staff.get_by_label("Ce que le candidat doit corriger ou compléter").fill(
        "Indiquez votre numéro de téléphone fixe professionnel."
    )
    staff.get_by_role("button", name="Vérifier avant de confirmer").click()
    expect(staff.get_by_role("main")).to_contain_text("« Votre livret 1 est à compléter »")
    expect(staff.get_by_role("main")).to_contain_text(
        "Indiquez votre numéro de téléphone fixe professionnel."
    )
    assert not candidacy.transitions.filter(transition="return_eligibility").exists()
    staff.get_by_role("button", name="Confirmer : Renvoyer au candidat pour correction").click()
    staff.get_by_text("Livret 1 renvoyé pour correction").first.wait_for()

    # The candidate reads the comment, corrects, signs again and resubmits.
    page.goto(live_server.url + f"/candidature/{candidacy.pk}/")
    assert "Indiquez votre numéro de téléphone fixe professionnel." in page.content()
    page.get_by_role("link", name="Remplir mon livret 1").click()
    open_section(page, "Identité")
    page.get_by_label("Téléphone").fill("02 99 12 34 56")
    save(page)
    sign(page)
    page.get_by_role("link", name="Envoyer ma demande de recevabilité").click()
    page.get_by_role("button", name="Confirmer l'envoi de ma demande").click()
    page.get_by_text("Votre livret 1 n'est plus modifiable").wait_for()

    # The certifier accepts, having read the validity date it grants.
    staff.reload()
    staff.get_by_role("link", name="Déclarer recevable").click()
    staff.get_by_role("button", name="Vérifier avant de confirmer").click()
    expect(staff.get_by_role("main")).to_contain_text("La recevabilité sera valable jusqu'au")
    staff.get_by_role("button", name="Confirmer : Déclarer recevable").click()
    staff.get_by_text("Demande déclarée recevable").first.wait_for()

    # The candidate's dashboard says « Recevable ».
    page.goto(live_server.url + "/candidature/")
    state = page.locator(".state").first
    assert state.inner_text() == "Recevable"
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.ELIGIBLE
    assert list(candidacy.transitions.values_list("transition", flat=True)) == [
        "submit_eligibility",
        "return_eligibility",
        "submit_eligibility",
        "accept_eligibility",
    ]
    assert candidacy.eligibility_request.phone == "02 99 12 34 56"
    subjects = [m.subject for m in mailoutbox]
    assert any("Votre demande est recevable" in s for s in subjects)
    assert any("Votre livret 1 est à compléter" in s for s in subjects)
    candidate_context.close()
    staff_context.close()
