"""The narrative editor's script in a browser: autosave while typing, reload, a second tab
that saves meanwhile, the conflict and its resolution, offline retry, the local copy."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from livret.enums import RevisionReason
from livret.models import Dossier, Narrative, NarrativeRevision
from tests.factories import CandidacyFactory, UserFactory
from vae.enums import CandidacyState, Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Budget-Tournage-2026"
SAVED = re.compile(r"^Enregistré à \d{1,2}\sh\s\d{2}$")
AUTOSAVE = "/enregistrement-automatique/"


@pytest.fixture
def candidacy(referentiel):
    candidate = UserFactory(email="lea.martin@exemple.fr", password=PASSWORD, role=Role.CANDIDATE)
    return CandidacyFactory(candidate=candidate, state=CandidacyState.ELIGIBLE, dossier="empty")


@pytest.fixture
def activity(candidacy):
    return candidacy.referentiel_tree()[0].activities.all()[0]


@pytest.fixture
def editor_path(candidacy, activity):
    return reverse(
        "livret:narrative", kwargs={"candidacy_pk": candidacy.pk, "activity_pk": activity.pk}
    )


def log_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/compte/connexion/?next={next_path}")
    page.get_by_label("Adresse e-mail").fill("lea.martin@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_path}")


def editor(page, activity):
    return page.get_by_label(f"Récit de l'activité {activity.code}")


def type_at_end(page, activity, text):
    """Key by key, after what is there (a reloaded textarea puts the caret first)."""
    field = editor(page, activity)
    field.focus()
    page.keyboard.press("Control+End")
    field.press_sequentially(text)


def status(page):
    return page.locator("[data-save-status]")


def autosave_response(page):
    return page.expect_response(lambda response: AUTOSAVE in response.url)


def narrative(activity):
    return Narrative.objects.get(activity=activity)


def test_autosave_reload_and_conflict_between_two_tabs(live_server, page, activity, editor_path):
    log_in(page, live_server, editor_path)
    first = "Sur « Les Heures claires », j'ai établi le devis dans Movie Magic Budgeting."

    # Typing saves by itself, a few seconds after the last keystroke.
    editor(page, activity).fill(first[:-10])
    type_at_end(page, activity, first[-10:])
    expect(status(page)).to_have_text(SAVED, timeout=15_000)
    assert (narrative(activity).text, narrative(activity).version) == (first, 1)

    # The reloaded page finds the text, and offers nothing to restore.
    page.reload()
    expect(editor(page, activity)).to_have_value(first)
    expect(page.locator("[data-restore-offer]")).to_be_hidden()

    # A second tab, opened on version 1 like the first, edits and saves.
    second_tab = page.context.new_page()
    second_tab.goto(live_server.url + editor_path)
    second = first + " Suivi des coûts dans Péplum."
    with autosave_response(second_tab) as answer:
        type_at_end(second_tab, activity, " Suivi des coûts dans Péplum.")
    assert answer.value.status == 200
    expect(status(second_tab)).to_have_text(SAVED)
    assert narrative(activity).text == second

    # The first tab, still on version 1, types: its save is refused and both texts shown.
    with autosave_response(page) as answer:
        type_at_end(page, activity, " Fin.")
    assert answer.value.status == 409
    panel = page.locator("[data-conflict-panel]")
    expect(panel).to_be_visible()
    expect(page.get_by_role("heading", name="Votre version")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Version enregistrée depuis un autre onglet ou appareil")
    ).to_be_visible()
    page.check_a11y()  # the conflict panel was added in place
    expect(panel.locator("[data-conflict-mine]")).to_have_text(first + " Fin.")
    expect(panel.locator("[data-conflict-theirs]")).to_have_text(second)
    # Where they part ways is marked, in whole words.
    expect(panel.locator("[data-conflict-mine] mark")).to_have_text("Fin")
    expect(panel.locator("[data-conflict-theirs] mark")).to_have_text("Suivi des coûts dans Péplum")
    expect(status(page)).to_have_text(re.compile("modifié ailleurs"))
    assert narrative(activity).text == second
    assert NarrativeRevision.objects.filter(
        reason=RevisionReason.CONFLICT, text=first + " Fin."
    ).exists()

    # Keeping mine saves it on the current version; the other text stays in history.
    with autosave_response(page) as answer:
        page.get_by_role("button", name="Garder ma version").click()
    assert answer.value.status == 200
    expect(panel).to_be_hidden()
    expect(status(page)).to_have_text(SAVED)
    assert (narrative(activity).text, narrative(activity).version) == (first + " Fin.", 3)
    assert NarrativeRevision.objects.filter(reason=RevisionReason.CONFLICT, text=second).exists()

    # The second tab is now the stale one; it chooses the other version.
    with autosave_response(second_tab) as answer:
        type_at_end(second_tab, activity, " Encore.")
    assert answer.value.status == 409
    second_tab.get_by_role("link", name="Garder cette version").click()
    expect(second_tab.locator("[data-conflict-panel]")).to_be_hidden()
    expect(editor(second_tab, activity)).to_have_value(first + " Fin.")
    expect(status(second_tab)).to_have_text("La version enregistrée a été reprise dans l'éditeur.")
    # Its next edit saves normally, on the version it took.
    with autosave_response(second_tab) as answer:
        type_at_end(second_tab, activity, " Relu.")
    assert answer.value.status == 200
    assert narrative(activity).text == first + " Fin. Relu."
    second_tab.close()


def test_offline_edits_are_sent_when_back_online(live_server, page, activity, editor_path):
    log_in(page, live_server, editor_path)
    page.context.set_offline(True)
    editor(page, activity).fill("Écrit dans le train, sans réseau.")
    expect(status(page)).to_have_text("Hors ligne — vos modifications seront envoyées")
    # Kept in this browser until the server confirms.
    stored = page.evaluate("() => Object.values(localStorage)")
    assert [json.loads(value)["text"] for value in stored] == ["Écrit dans le train, sans réseau."]
    assert not Narrative.objects.exists()

    with autosave_response(page) as answer:
        page.context.set_offline(False)
    assert answer.value.status == 200
    expect(status(page)).to_have_text(SAVED)
    assert narrative(activity).text == "Écrit dans le train, sans réseau."
    assert page.evaluate("() => localStorage.length") == 0


def test_a_local_copy_newer_than_the_server_is_offered_on_reload(
    live_server, page, activity, editor_path
):
    log_in(page, live_server, editor_path)
    with autosave_response(page):
        editor(page, activity).fill("Version enregistrée.")
    expect(status(page)).to_have_text(SAVED)
    # As if the tab had been closed before the last save reached the server.
    key = page.locator("form[data-narrative-editor]").get_attribute("data-storage-key")
    entry = {"text": "Version enregistrée. Suite jamais envoyée.", "base": 1}
    page.evaluate(
        "([key, entry]) => localStorage.setItem(key, JSON.stringify({...entry, at: Date.now()}))",
        [key, entry],
    )

    page.reload()
    offer = page.locator("[data-restore-offer]")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("version plus récente")
    page.check_a11y()  # the offer was shown in place
    with autosave_response(page) as answer:
        page.get_by_role("button", name="Reprendre ce texte").click()
    assert answer.value.status == 200
    expect(editor(page, activity)).to_have_value(entry["text"])
    expect(status(page)).to_have_text(SAVED)
    assert narrative(activity).text == entry["text"]


def test_leaving_with_unsaved_text_warns_and_unsigning_is_shown_once(
    live_server, page, candidacy, activity, editor_path
):
    Dossier.objects.filter(candidacy=candidacy).update(
        sworn_name="Léa Martin", sworn_place="Paris", sworn_at=timezone.now()
    )
    log_in(page, live_server, editor_path)
    expect(page.locator("[data-signed-notice]")).to_be_visible()

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    editor(page, activity).fill("Modifié après la signature.")
    with autosave_response(page):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]

    notice = page.locator("[data-unsigned-notice]")
    expect(notice).to_have_text(re.compile("devra être signée de nouveau"))
    expect(page.locator("[data-signed-notice]")).to_be_hidden()
    assert not Dossier.objects.get(candidacy=candidacy).is_signed
    # Saved: leaving no longer asks, the page just closes.
    expect(status(page)).to_have_text(SAVED)
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]
