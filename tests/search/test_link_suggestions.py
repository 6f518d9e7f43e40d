"""The suggestions of the candidate's link form follow the piece chosen: the fragment
endpoint (search:link_suggestions) that static/js/competence-suggestions.js fetches when
another piece, narrative or page range is chosen — only the candidate's own candidacy,
while their link form is open, and only their own current pieces and narratives."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from livret.models import CompetenceLink, Narrative
from tests.accounts import log_in
from tests.factories import CandidacyFactory, make_panel
from tests.search.support import add_evidence
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(referentiel):
    """A candidate writing their livret 2: two pieces speaking of two compétences' criteria
    (the second one on its second page only) and a narrative."""
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    first, last = candidacy.targeted_competences()[0], candidacy.targeted_competences()[-1]
    one = add_evidence(candidacy, "Pièce une", first.criteria.first().text)
    two = add_evidence(candidacy, "Pièce deux", "Page de garde.", last.criteria.first().text)
    activity = last.activity
    narrative = Narrative.objects.create(
        dossier=candidacy.dossier,
        activity=activity,
        text=last.criteria.first().text,
        version=1,
        updated_by=candidacy.candidate,
    )
    return {
        "candidacy": candidacy,
        "first": first,
        "last": last,
        "one": one,
        "two": two,
        "narrative": narrative,
    }


def url(candidacy):
    return reverse("search:link_suggestions", args=[candidacy.pk])


def fragment(client, candidacy, **params):
    response = client.get(url(candidacy), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_fragment_follows_the_piece_chosen(client, dossier):
    candidacy = dossier["candidacy"]
    client.force_login(candidacy.candidate)
    html = fragment(client, candidacy, source=f"piece-{dossier['one'].pk}")
    assert "Compétences suggérées pour « Pièce une »" in html
    assert f'data-suggest-competence="{dossier["first"].pk}"' in html
    assert "<html" not in html and "<script" not in html  # a fragment, nothing to run

    html = fragment(client, candidacy, source=f"piece-{dossier['two'].pk}")
    assert "Compétences suggérées pour « Pièce deux »" in html
    assert f'data-suggest-competence="{dossier["last"].pk}"' in html


def test_the_page_range_chosen_is_what_is_read(client, dossier):
    candidacy, two = dossier["candidacy"], dossier["two"]
    client.force_login(candidacy.candidate)
    assert fragment(client, candidacy, source=f"piece-{two.pk}", page_from=1, page_to=1) == ""
    html = fragment(client, candidacy, source=f"piece-{two.pk}", page_from=2)
    assert f'data-suggest-competence="{dossier["last"].pk}"' in html
    # Page numbers that are not numbers are ignored, as in the form: the whole piece.
    html = fragment(client, candidacy, source=f"piece-{two.pk}", page_from="deux", page_to="-1")
    assert f'data-suggest-competence="{dossier["last"].pk}"' in html


def test_a_narrative_is_read_too_and_no_choice_gives_an_empty_fragment(client, dossier):
    candidacy = dossier["candidacy"]
    client.force_login(candidacy.candidate)
    html = fragment(client, candidacy, source=f"recit-{dossier['narrative'].pk}")
    assert f"récit de l'activité {dossier['last'].activity.code}" in unescape(html)
    assert f'data-suggest-competence="{dossier["last"].pk}"' in html
    assert fragment(client, candidacy) == ""
    assert fragment(client, candidacy, source="") == ""


def test_suggesting_saves_nothing(client, dossier):
    candidacy = dossier["candidacy"]
    client.force_login(candidacy.candidate)
    fragment(client, candidacy, source=f"piece-{dossier['one'].pk}")
    assert not CompetenceLink.objects.filter(dossier=candidacy.dossier).exists()


def test_anonymous_is_sent_to_log_in(client, dossier):
    response = client.get(url(dossier["candidacy"]), {"source": f"piece-{dossier['one'].pk}"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_candidate_gets_404_for_the_candidacy_and_for_its_pieces(client, dossier):
    candidacy, one = dossier["candidacy"], dossier["one"]
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    client.force_login(other.candidate)
    assert client.get(url(candidacy), {"source": f"piece-{one.pk}"}).status_code == 404
    # Their own candidacy, the other's piece or narrative: not in their lists.
    assert client.get(url(other), {"source": f"piece-{one.pk}"}).status_code == 404
    narrative = dossier["narrative"]
    assert client.get(url(other), {"source": f"recit-{narrative.pk}"}).status_code == 404


def test_a_withdrawn_piece_or_a_made_up_choice_is_not_found(client, dossier):
    candidacy, one = dossier["candidacy"], dossier["one"]
    one.withdrawn_at = timezone.now()
    one.save(update_fields=["withdrawn_at"])
    client.force_login(candidacy.candidate)
    for source in (f"piece-{one.pk}", "piece-999999", "piece-x", "../admin/", "recit-0"):
        assert client.get(url(candidacy), {"source": source}).status_code == 404, source


def test_an_evaluator_of_the_dossier_gets_404(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    evidence = candidacy.dossier.evidence.get()
    assignment = make_panel(candidacy)[0]
    log_in(client, assignment.evaluator)
    response = client.get(url(candidacy), {"source": f"piece-{evidence.pk}"})
    assert response.status_code == 404


def test_once_the_dossier_is_submitted_the_candidate_is_refused(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    evidence = candidacy.dossier.evidence.get()
    client.force_login(candidacy.candidate)
    response = client.get(url(candidacy), {"source": f"piece-{evidence.pk}"})
    assert response.status_code == 403
    assert "Votre dossier est déposé" in response.content.decode()


def test_only_safe_methods(client, dossier):
    candidacy = dossier["candidacy"]
    client.force_login(candidacy.candidate)
    assert client.post(url(candidacy)).status_code == 405


def test_the_link_form_holds_the_panel_the_script_refreshes(client, dossier):
    candidacy = dossier["candidacy"]
    client.force_login(candidacy.candidate)
    page = client.get(reverse("livret:link_add", args=[candidacy.pk])).content.decode()
    assert f'data-url="{url(candidacy)}"' in page
    assert "data-suggestions-body" in page
    assert "js/competence-suggestions.js" in page
    assert "Compétences suggérées" not in page  # nothing chosen yet
