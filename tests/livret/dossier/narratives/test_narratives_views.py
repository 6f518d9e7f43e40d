"""The narrative pages: list, editor (form and autosave JSON), conflicts, history, restore,
escaping."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livret.dossier.narratives.services import save_narrative
from livret.dossier.services import dossier_for
from livret.enums import RevisionReason
from livret.models import Dossier, Narrative, NarrativeRevision
from tests.accounts import log_in
from tests.factories import NARRATIVE_TEXT, CandidacyFactory
from tests.livret.helpers import page
from vae.enums import CandidacyState
from vae.services import submit_dossier

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script><style>body{display:none}</style> Mon récit"


@pytest.fixture
def candidacy(referentiel):
    return CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")


@pytest.fixture
def activity(candidacy):
    return candidacy.referentiel_tree()[0].activities.all()[0]


@pytest.fixture
def owner(client, candidacy):
    log_in(client, candidacy.candidate)
    return client


def url(name, candidacy, activity=None, **kwargs):
    if activity is not None:
        kwargs["activity_pk"] = activity.pk
    return reverse(name, kwargs={"candidacy_pk": candidacy.pk, **kwargs})


def autosave(client, candidacy, activity, **payload):
    return client.post(
        url("livret:narrative_autosave", candidacy, activity),
        json.dumps(payload),
        content_type="application/json",
    )


def save(candidacy, activity, text, base):
    return save_narrative((dossier_for(candidacy), activity), candidacy.candidate, text, base)


def sign(candidacy):
    dossier = dossier_for(candidacy)
    dossier.sworn_name, dossier.sworn_place = "Léa Martin", "Paris"
    dossier.sworn_at = timezone.now()
    dossier.save()


def assert_inert(html):
    assert "<script>alert(1)</script>" not in html
    assert "<style>body" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;style&gt;" in html


# -- list --------------------------------------------------------------------------------------


def test_list_shows_every_targeted_activity_with_its_status(owner, candidacy, settings):
    settings.VAE_NARRATIVE_MIN_CHARS = 20
    activities = [a for bloc in candidacy.referentiel_tree() for a in bloc.activities.all()]
    save(candidacy, activities[0], "Quinze lettres.", 0)
    save(candidacy, activities[1], "Un récit qui dépasse vingt caractères.", 0)

    response = owner.get(url("livret:narratives", candidacy))

    assert response.status_code == 200
    html = page(response)
    assert "1 récit suffisant sur 12" in html
    assert "En cours — 15 caractères, encore 5 pour atteindre 20" in html
    assert "Suffisant — 38 caractères" in html
    assert html.count("Vide</span>") == 10
    for activity in activities:
        assert url("livret:narrative", candidacy, activity) in html
    assert "Écrire le récit" in html and "Reprendre le récit" in html


def test_list_only_shows_targeted_blocs(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    first, second, _third = referentiel.blocs.order_by("sort_order")
    candidacy.targeted_blocs.set([second])
    log_in(client, candidacy.candidate)

    response = client.get(url("livret:narratives", candidacy))

    html = page(response)
    assert second.title in html
    assert first.title not in html
    outside = first.activities.first()
    for name in ["livret:narrative", "livret:narrative_history"]:
        assert client.get(url(name, candidacy, outside)).status_code == 404
    response = client.post(
        url("livret:narrative", candidacy, outside), {"text": "Hors bloc", "base_version": 0}
    )
    assert response.status_code == 404
    assert autosave(client, candidacy, outside, text="x", base_version=0).status_code == 404
    assert not Narrative.objects.exists()


# -- editor ------------------------------------------------------------------------------------


def test_editor_shows_text_version_and_guidance(owner, candidacy, activity):
    save(candidacy, activity, "Mon récit\n\nDeuxième paragraphe", 0)

    response = owner.get(url("livret:narrative", candidacy, activity))

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = page(response)
    assert '<textarea name="text"' in html
    assert "Mon récit\n\nDeuxième paragraphe</textarea>" in html
    assert 'name="base_version" value="1"' in html
    assert "Péplum" in html and "Movie Magic Budgeting" in html
    # Beside the editor: the activité's compétences, their preamble and criteria.
    for competence in activity.competences.all():
        assert competence.statement in html
        if competence.preamble:
            assert competence.preamble in html
        for criterion in competence.criteria.all():
            assert criterion.text in html
    assert 'aria-live="polite"' in html
    assert "js/autosave.js" in html
    assert "(facultatif)" not in html


def test_post_saves_and_redirects_with_a_message(owner, candidacy, activity):
    response = owner.post(
        url("livret:narrative", candidacy, activity),
        {"text": "Premier récit", "base_version": "0"},
        follow=True,
    )

    assert response.redirect_chain == [(url("livret:narrative", candidacy, activity), 302)]
    assert "Récit enregistré" in page(response)
    narrative = Narrative.objects.get()
    assert (narrative.text, narrative.version) == ("Premier récit", 1)


def test_post_that_changes_a_signed_dossier_says_it_must_be_signed_again(
    owner, candidacy, activity
):
    save(candidacy, activity, "Avant", 0)
    sign(candidacy)

    response = owner.post(
        url("livret:narrative", candidacy, activity),
        {"text": "Après", "base_version": "1"},
        follow=True,
    )

    assert "Votre déclaration sur l'honneur devra être signée de nouveau" in page(response)
    assert not Dossier.objects.get(candidacy=candidacy).is_signed


def test_signed_dossier_is_warned_before_a_change(owner, candidacy, activity):
    sign(candidacy)
    html = page(owner.get(url("livret:narrative", candidacy, activity)))
    assert "si vous modifiez ce récit, elle sera annulée" in html


def test_stale_post_shows_both_versions_and_the_choices(owner, candidacy, activity):
    save(candidacy, activity, "Départ", 0)
    save(candidacy, activity, "Version de l'autre onglet", 1)

    response = owner.post(
        url("livret:narrative", candidacy, activity),
        {"text": "Ma version à moi", "base_version": "1"},
    )

    assert response.status_code == 409
    html = page(response)
    assert "Votre version" in html
    assert "Version enregistrée depuis un autre onglet ou appareil" in html
    assert "Ma version à moi" in html and "Version de l'autre onglet" in html
    assert "Garder ma version" in html and "Garder cette version" in html
    # Where they differ is marked, in whole words.
    assert "<mark>Ma version à moi</mark>" in html
    assert "<mark>Version de l'autre onglet</mark>" in html
    assert "Fusionner" in html
    # The editor keeps my text, now based on the current version, to merge by hand.
    assert 'name="base_version" value="2"' in html
    assert "Ma version à moi</textarea>" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Conflit : " in html
    narrative = Narrative.objects.get()
    assert (narrative.text, narrative.version) == ("Version de l'autre onglet", 2)
    assert narrative.revisions.get(reason=RevisionReason.CONFLICT).text == "Ma version à moi"


def test_keeping_mine_without_javascript(owner, candidacy, activity):
    save(candidacy, activity, "Départ", 0)
    save(candidacy, activity, "Autre onglet", 1)

    response = owner.post(
        url("livret:narrative", candidacy, activity),
        {"text": "Ma version", "base_version": "2", "resolution": "mine"},
    )

    assert response.status_code == 302
    narrative = Narrative.objects.get()
    assert (narrative.text, narrative.version) == ("Ma version", 3)
    assert narrative.revisions.get(reason=RevisionReason.CONFLICT).text == "Autre onglet"


def test_too_long_text_is_refused_and_kept_in_the_editor(owner, candidacy, activity):
    text = "Trésorerie. " * 4200  # 50 400 characters

    response = owner.post(
        url("livret:narrative", candidacy, activity), {"text": text, "base_version": "0"}
    )

    assert response.status_code == 200
    html = page(response)
    assert "<title>Erreur : " in html
    assert "Votre récit n'a pas été enregistré" in html
    assert "ne peut pas dépasser 50\u202f000 caractères" in html
    assert text + "</textarea>" in html
    assert not Narrative.objects.exists()


def test_control_characters_are_stripped_on_save(owner, candidacy, activity):
    owner.post(
        url("livret:narrative", candidacy, activity),
        {"text": "Budget\x00 du\r\nfilm\x0b\tfin", "base_version": "0"},
    )
    assert Narrative.objects.get().text == "Budget du\nfilm\tfin"


def test_missing_base_version_is_an_error_and_keeps_the_text(owner, candidacy, activity):
    response = owner.post(url("livret:narrative", candidacy, activity), {"text": "Mon texte"})
    html = page(response)
    assert "La version de départ de votre texte manque" in html
    assert "Mon texte</textarea>" in html
    assert not Narrative.objects.exists()


def test_post_without_text_does_not_clear_the_narrative(owner, candidacy, activity):
    save(candidacy, activity, "Précieux", 0)
    response = owner.post(url("livret:narrative", candidacy, activity), {"base_version": "1"})
    assert response.status_code == 200
    assert "Le texte du récit manque" in page(response)
    assert Narrative.objects.get().text == "Précieux"


# -- autosave endpoint -------------------------------------------------------------------------


def test_autosave_saved_json(owner, candidacy, activity):
    sign(candidacy)

    response = autosave(owner, candidacy, activity, text="Je saisis", base_version=0)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    narrative = Narrative.objects.get()
    assert data == {
        "status": "saved",
        "version": 1,
        "changed": True,
        "unsigned": True,
        "length": 9,
        "saved_at": narrative.updated_at.isoformat(),
        "saved_label": "Enregistré à "
        + f"{timezone.localtime(narrative.updated_at).hour}\u00a0h\u00a0"
        + f"{timezone.localtime(narrative.updated_at).minute:02d}",
    }
    # Once unsigned, the next save does not report it again.
    again = autosave(owner, candidacy, activity, text="Je saisis encore", base_version=1)
    assert again.json()["unsigned"] is False
    assert again.json()["version"] == 2


def test_autosave_accepts_form_data_too(owner, candidacy, activity):
    response = owner.post(
        url("livret:narrative_autosave", candidacy, activity),
        {"text": "Formulaire", "base_version": "0"},
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_autosave_conflict_json(owner, candidacy, activity):
    save(candidacy, activity, "Départ", 0)
    save(candidacy, activity, "Autre appareil", 1)

    response = autosave(owner, candidacy, activity, text="Cet onglet", base_version=1)

    assert response.status_code == 409
    data = response.json()
    narrative = Narrative.objects.get()
    assert data["status"] == "conflict"
    assert "autre onglet" in data["message"]
    assert data["mine"] == {"text": "Cet onglet", "base_version": 1}
    assert data["theirs"]["text"] == "Autre appareil"
    assert data["theirs"]["version"] == 2
    assert data["theirs"]["saved_at"] == narrative.updated_at.isoformat()
    assert data["theirs"]["saved_label"].startswith("Enregistrée à ")
    assert narrative.text == "Autre appareil"
    assert narrative.revisions.get(reason=RevisionReason.CONFLICT).text == "Cet onglet"

    # Keeping mine: resubmitted on the current version, the other text is kept.
    resolved = autosave(
        owner, candidacy, activity, text="Cet onglet", base_version=2, resolution="mine"
    )
    assert resolved.status_code == 200
    assert resolved.json()["version"] == 3
    assert Narrative.objects.get().text == "Cet onglet"
    assert NarrativeRevision.objects.filter(
        reason=RevisionReason.CONFLICT, text="Autre appareil"
    ).exists()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ("{pas du json", "application/json", "illisible"),
        (json.dumps(["liste"]), "application/json", "illisible"),
        (json.dumps({"text": 12, "base_version": 0}), "application/json", "illisible"),
        (json.dumps({"text": "x"}), "application/json", "version de départ"),
        (json.dumps({"text": "x", "base_version": "deux"}), "application/json", "invalide"),
        (json.dumps({"text": "x", "base_version": "²"}), "application/json", "invalide"),
        (json.dumps({"text": "x", "base_version": "١٢"}), "application/json", "invalide"),
        (json.dumps({"text": "x", "base_version": 2**70}), "application/json", "invalide"),
        (json.dumps({"text": "x", "base_version": "-1"}), "application/json", "invalide"),
        (json.dumps({"base_version": 0}), "application/json", "Le texte du récit manque"),
        (json.dumps({"text": "x" * 50_001, "base_version": 0}), "application/json", "50\u202f000"),
    ],
)
def test_autosave_invalid_json(owner, candidacy, activity, body, content_type, message):
    response = owner.post(
        url("livret:narrative_autosave", candidacy, activity), body, content_type=content_type
    )
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == "invalid"
    assert message in data["message"]
    assert not Narrative.objects.exists()


def test_autosave_refuses_get(owner, candidacy, activity):
    assert owner.get(url("livret:narrative_autosave", candidacy, activity)).status_code == 405


# -- history and restore -----------------------------------------------------------------------


def test_history_lists_kept_versions_and_restore_works(owner, candidacy, activity):
    save(candidacy, activity, "Première version du récit sur la paie", 0)
    save(candidacy, activity, "Deuxième version", 1)  # keeps the first
    first = NarrativeRevision.objects.get()

    response = owner.get(url("livret:narrative_history", candidacy, activity))

    html = page(response)
    assert response.status_code == 200
    assert "Enregistrement" in html  # the reason
    assert "« Première version du récit sur la paie »" in html
    assert "37 caractères" in html
    restore_url = url("livret:narrative_restore", candidacy, activity, revision_pk=first.pk)
    assert restore_url in html

    response = owner.post(restore_url, follow=True)

    assert response.redirect_chain == [(url("livret:narrative", candidacy, activity), 302)]
    assert "a été restaurée" in page(response)
    narrative = Narrative.objects.get()
    assert (narrative.text, narrative.version) == ("Première version du récit sur la paie", 3)
    kept = narrative.revisions.get(reason=RevisionReason.RESTORE)
    assert kept.text == "Deuxième version"


def test_restore_of_a_signed_dossier_unsigns_and_says_so(owner, candidacy, activity):
    save(candidacy, activity, "Un", 0)
    save(candidacy, activity, "Deux", 1)
    sign(candidacy)
    revision = NarrativeRevision.objects.get()
    response = owner.post(
        url("livret:narrative_restore", candidacy, activity, revision_pk=revision.pk),
        follow=True,
    )
    assert "Votre déclaration sur l'honneur devra être signée de nouveau" in page(response)
    assert not Dossier.objects.get(candidacy=candidacy).is_signed


def test_restore_of_another_narratives_revision_is_404(owner, candidacy, activity):
    other_activity = candidacy.referentiel_tree()[0].activities.all()[1]
    save(candidacy, other_activity, "Un", 0)
    save(candidacy, other_activity, "Deux", 1)
    save(candidacy, activity, "Mien", 0)
    revision = NarrativeRevision.objects.get()

    response = owner.post(
        url("livret:narrative_restore", candidacy, activity, revision_pk=revision.pk)
    )

    assert response.status_code == 404
    assert Narrative.objects.get(activity=activity).text == "Mien"


def test_history_shows_submissions(referentiel, client):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    log_in(client, candidacy.candidate)
    submit_dossier(candidacy=candidacy, by=candidacy.candidate)
    activity = candidacy.referentiel_tree()[0].activities.all()[0]

    html = page(client.get(url("livret:narrative_history", candidacy, activity)))

    assert "Version déposée (dépôt n°1)" in html
    assert "identique au texte actuel" in html
    assert "Restaurer cette version" not in html


# -- escaping ----------------------------------------------------------------------------------


def test_markup_in_a_narrative_is_inert_on_every_page(owner, candidacy, activity):
    save(candidacy, activity, HOSTILE, 0)
    save(candidacy, activity, HOSTILE + " encore", 1)  # keeps HOSTILE as a revision

    for name in ["livret:narrative", "livret:narrative_history"]:
        response = owner.get(url(name, candidacy, activity))
        assert response.status_code == 200
        assert_inert(response.content.decode())
    assert "<script>" not in owner.get(url("livret:narratives", candidacy)).content.decode()

    # Conflict page (both texts hostile) and the error page.
    response = owner.post(
        url("livret:narrative", candidacy, activity), {"text": HOSTILE + " 2", "base_version": 1}
    )
    assert response.status_code == 409
    assert_inert(response.content.decode())
    response = owner.post(
        url("livret:narrative", candidacy, activity),
        {"text": HOSTILE + "x" * 50_000, "base_version": 2},
    )
    assert response.status_code == 200
    assert_inert(response.content.decode())
    # JSON is not HTML, but is served as JSON so that it is never rendered as a page.
    response = autosave(owner, candidacy, activity, text=HOSTILE, base_version=1)
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_markup_is_inert_on_read_only_pages(referentiel, client):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    activity = candidacy.referentiel_tree()[0].activities.all()[0]
    save(candidacy, activity, HOSTILE + "\n\n" + NARRATIVE_TEXT, 1)
    sign(candidacy)
    submit_dossier(candidacy=candidacy, by=candidacy.candidate)
    log_in(client, candidacy.candidate)

    for name in ["livret:narrative", "livret:narrative_history"]:
        html = client.get(url(name, candidacy, activity)).content.decode()
        assert_inert(html)
    assert (
        "<textarea" not in client.get(url("livret:narrative", candidacy, activity)).content.decode()
    )


def test_pages_run_a_fixed_number_of_queries(owner, candidacy, activity):
    """As many queries with one narrative as with twelve, for the list and the editor."""

    def count(target):
        with CaptureQueriesContext(connection) as queries:
            assert owner.get(target).status_code == 200
        return len(queries)

    list_url = url("livret:narratives", candidacy)
    editor_url = url("livret:narrative", candidacy, activity)
    save(candidacy, activity, "Un", 0)
    # Once the version's tree is in the cache, as on every visit but the first.
    owner.get(list_url)
    few = (count(list_url), count(editor_url))
    for bloc in candidacy.referentiel_tree():
        for other in bloc.activities.all():
            if other != activity:
                save(candidacy, other, "Autre récit", 0)
    assert (count(list_url), count(editor_url)) == few


def test_autosave_checks_the_activity_in_one_query(owner, candidacy, activity):
    """The endpoint runs every few seconds: it does not load the référentiel tree."""
    with CaptureQueriesContext(connection) as queries:
        response = autosave(owner, candidacy, activity, text="Rapide", base_version=0)
    assert response.status_code == 200
    assert not any("referentiel_criterion" in query["sql"] for query in queries)
