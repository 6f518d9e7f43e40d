"""Livret 2's way to the submission: the next action at the top of the overview, the send
area that says what is missing, and the confirmation step (GET restates what will happen,
only a confirmed POST submits), as the owner, anonymous, another role, another candidate
and in a wrong state."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from livret.dossier.services import unsign
from livret.models import CompetenceLink, DossierSubmission, Evidence, Narrative
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.livret.dossier.support import (
    CONFIRM,
    competence,
    page,
    snapshot,
    url,
    withdraw,
)
from vae.enums import CandidacyState, Role, Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty(referentiel):
    """All three blocs targeted, nothing written, nothing linked, not signed."""
    return CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")


def overview(client, candidacy, query="") -> str:
    log_in(client, candidacy.candidate)
    response = client.get(url("livret:dossier", candidacy) + query)
    assert response.status_code == 200
    return page(response)


def section(text, heading_id) -> str:
    """The HTML of the section labelled by the heading ``heading_id``."""
    start = text.index(f'aria-labelledby="{heading_id}"')
    return text[start : text.index("</section>", start)]


def next_action_button(text) -> tuple[str, str]:
    card = section(text, "a-faire")
    href, label = re.search(r'<a class="button" href="([^"]+)">([^<]+)</a>', card).groups()
    return href, label


# -- the next action -----------------------------------------------------------------------


def test_an_empty_dossier_starts_with_the_first_narrative(client, empty):
    text = overview(client, empty)
    # First thing on the page after the title and tabs: before the figures and the blocs.
    assert text.index('<h2 id="a-faire">À faire maintenant</h2>') < text.index('id="avancement"')
    activity = competence("C1.1", empty).activity
    narrative = reverse(
        "livret:narrative", kwargs={"candidacy_pk": empty.pk, "activity_pk": activity.pk}
    )
    assert next_action_button(text) == (narrative, "Écrire le récit de l'activité 1.1")
    assert "est à écrire : il faut au moins" in section(text, "a-faire")
    assert "Il reste 26 compétences à compléter sur 26, puis la déclaration à signer." in text


def test_a_short_narrative_is_to_complete(client, empty):
    activity = competence("C1.1", empty).activity
    Narrative.objects.create(
        dossier=empty.dossier,
        activity=activity,
        text="Début du récit.",
        version=1,
        updated_by=empty.candidate,
    )
    text = overview(client, empty)
    assert next_action_button(text)[1] == "Compléter le récit de l'activité 1.1"
    assert "est trop court" in section(text, "a-faire")
    assert "Récit trop court" in text and "Compléter le récit" in text


def test_with_every_narrative_but_no_piece_the_next_action_is_an_upload(client, eligible):
    withdraw(Evidence.objects.get(dossier=eligible.dossier))
    text = overview(client, eligible)
    assert next_action_button(text) == (
        url("livret:evidence_upload", eligible),
        "Joindre une pièce justificative pour C1.1",
    )


def test_a_competence_without_piece_is_the_next_action(client, eligible):
    c23 = competence("C2.3", eligible)
    CompetenceLink.objects.filter(dossier=eligible.dossier, competence=c23).delete()
    text = overview(client, eligible)
    assert next_action_button(text) == (
        f"{url('livret:link_add', eligible)}?competence={c23.pk}&retour=overview",
        "Lier une pièce à C2.3",
    )
    assert "La compétence C2.3 « " in section(text, "a-faire")


def test_complete_but_unsigned_the_next_action_is_to_sign(client, eligible):
    unsign(eligible.dossier)
    text = overview(client, eligible)
    assert next_action_button(text) == (
        url("livret:dossier_sign", eligible),
        "Signer de nouveau la déclaration",
    )


def test_complete_and_signed_the_next_action_is_to_submit(client, eligible):
    text = overview(client, eligible)
    assert next_action_button(text) == (
        url("livret:dossier_submit", eligible),
        "Déposer mon dossier",
    )
    assert "Il reste" not in section(text, "a-faire")


# -- the send area -------------------------------------------------------------------------


def test_the_send_area_names_the_first_missing_and_counts_the_others(client, empty):
    area = section(overview(client, empty), "deposer")
    assert "Votre dossier ne peut pas encore être déposé." in area
    base = url("livret:dossier", empty)
    for code in ("C1.1", "C1.2", "C1.3"):
        target = f"{base}#competence-{competence(code, empty).pk}"
        assert f'<a href="{target}">{code} : il manque récit et pièce justificative' in area
    assert "C1.4 :" not in area
    assert f'<a href="{base}?reste=1#matrice">et 23 autres compétences à compléter</a>' in area
    assert (
        f'<a href="{url("livret:dossier_sign", empty)}">Signez la déclaration sur l\'honneur '
        "du livret 2.</a>"
    ) in area
    # No button that would only lead to an error.
    assert url("livret:dossier_submit", empty) not in area
    assert "<button" not in area and 'class="button"' not in area


def test_the_send_area_lists_every_missing_item_when_few(client, eligible):
    for code in ("C1.1", "C3.6"):
        CompetenceLink.objects.filter(
            dossier=eligible.dossier, competence=competence(code, eligible)
        ).delete()
    area = section(overview(client, eligible), "deposer")
    assert re.findall(r"(C\d\.\d) : il manque", area) == ["C1.1", "C3.6"]
    assert "autres compétences" not in area
    # Still signed: the signature is not listed.
    assert "Signez la déclaration" not in area


def test_the_send_area_of_a_ready_dossier_leads_to_the_confirmation(client, eligible):
    area = section(overview(client, eligible), "deposer")
    confirm = url("livret:dossier_submit", eligible)
    assert f'<a class="button" href="{confirm}">Déposer mon dossier</a>' in area
    # The overview itself never submits: its only way is the confirmation page.
    assert "<form" not in area


# -- the confirmation step -----------------------------------------------------------------


def test_the_confirmation_restates_what_will_happen_and_writes_nothing(client, eligible):
    log_in(client, eligible.candidate)
    before = snapshot(eligible)
    response = client.get(url("livret:dossier_submit", eligible))
    assert response.status_code == 200
    text = page(response)
    assert "<title>Confirmer le dépôt — Livret 2" in text
    assert "<h2>Déposer mon dossier de validation ?</h2>" in text
    assert "26 compétences couvertes, blocs BC1, BC2 et BC3 ;" in text
    assert "12 récits et 1 pièce justificative ;" in text
    assert f"par {eligible.dossier.sworn_name}, à Paris." in text
    steps = text[text.index('<ol class="coverage-confirm__steps">') : text.index("</ol>")]
    assert "Votre dossier est figé." in steps
    assert "elles ne pourront plus être supprimées" in steps
    assert "Le certificateur l'examine." in steps
    assert "Quatre évaluateurs" in steps
    assert f"Vous recevez un e-mail</strong> à {eligible.candidate.email}" in steps
    opening = f'<form method="post" action="{url("livret:dossier_submit", eligible)}"'
    form = text[text.index(opening) : text.index("</form>", text.index(opening))]
    assert '<input type="hidden" name="confirmation" value="oui">' in form
    assert '<button type="submit" class="button">Confirmer le dépôt de mon dossier</button>' in form
    assert f'<a href="{url("livret:dossier", eligible)}">Revenir à mon dossier sans le déposer' in (
        form
    )
    assert snapshot(eligible) == before


def test_the_confirmation_of_an_incomplete_dossier_says_what_is_missing(client, empty):
    log_in(client, empty.candidate)
    text = page(client.get(url("livret:dossier_submit", empty)))
    assert "<title>Dossier pas encore prêt — Livret 2" in text
    assert "Votre dossier ne peut pas encore être déposé" in text
    assert "et 23 autres compétences à compléter" in text
    assert "Signez la déclaration sur l'honneur du livret 2." in text
    assert 'name="confirmation"' not in text
    assert "Confirmer le dépôt" not in text


def test_the_confirmation_says_when_the_recevabilite_expired(client, eligible):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(eligible).objects.filter(pk=eligible.pk).update(eligible_until=yesterday)
    log_in(client, eligible.candidate)
    text = page(client.get(url("livret:dossier_submit", eligible)))
    # The transition's own guard: what the service would refuse is not offered.
    assert "<li>La recevabilité de votre demande a expiré le" in text
    assert 'name="confirmation"' not in text


def test_a_confirmed_submission_logs_one_transition_and_emails_the_candidate(
    client, eligible, django_capture_on_commit_callbacks
):
    log_in(client, eligible.candidate)
    before = eligible.transitions.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("livret:dossier_submit", eligible), CONFIRM)
    assert (response.status_code, response.url) == (302, url("livret:dossier", eligible))
    eligible.refresh_from_db()
    assert eligible.state == CandidacyState.DOSSIER_SUBMITTED
    assert eligible.transitions.count() == before + 1
    entry = eligible.transitions.order_by("-pk").first()
    assert (entry.transition, entry.actor, entry.source_state) == (
        Transition.SUBMIT_DOSSIER,
        eligible.candidate,
        CandidacyState.ELIGIBLE,
    )
    assert DossierSubmission.objects.filter(dossier=eligible.dossier).count() == 1
    to_candidate = [m for m in mail.outbox if m.to == [eligible.candidate.email]]
    assert len(to_candidate) == 1
    assert "Votre dossier de validation a bien été déposé" in to_candidate[0].subject


def test_a_confirmed_post_on_an_incomplete_dossier_is_refused_and_writes_nothing(client, empty):
    log_in(client, empty.candidate)
    before = snapshot(empty)
    response = client.post(url("livret:dossier_submit", empty), CONFIRM)
    assert response.status_code == 200
    text = page(response)
    assert "Votre dossier n'a pas été déposé : rien n'a été modifié." in text
    assert "C3.6 : il manque récit et pièce justificative" in text  # the full list, here
    assert snapshot(empty) == before


# -- who may reach it ----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, eligible):
    before = snapshot(eligible)
    login = reverse("accounts:login")
    for response in (
        client.get(url("livret:dossier_submit", eligible)),
        client.post(url("livret:dossier_submit", eligible), CONFIRM),
    ):
        assert response.status_code == 302 and response.url.startswith(login)
    assert snapshot(eligible) == before


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.CERTIFIER, Role.JURY_MEMBER])
def test_another_role_gets_404(client, eligible, role):
    log_in(client, UserFactory(role=role))
    before = snapshot(eligible)
    assert client.get(url("livret:dossier_submit", eligible)).status_code == 404
    assert client.post(url("livret:dossier_submit", eligible), CONFIRM).status_code == 404
    assert snapshot(eligible) == before


def test_another_candidate_gets_404(client, eligible, referentiel):
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    log_in(client, other.candidate)
    before = snapshot(eligible)
    assert client.get(url("livret:dossier_submit", eligible)).status_code == 404
    assert client.post(url("livret:dossier_submit", eligible), CONFIRM).status_code == 404
    assert snapshot(eligible) == before
    other.refresh_from_db()
    assert other.state == CandidacyState.ELIGIBLE


@pytest.mark.parametrize("state", [CandidacyState.DOSSIER_SUBMITTED, CandidacyState.UNDER_REVIEW])
def test_in_a_wrong_state_the_confirmation_is_not_offered(client, referentiel, state):
    candidacy = CandidacyFactory(state=state)
    log_in(client, candidacy.candidate)
    before = snapshot(candidacy)
    response = client.get(url("livret:dossier_submit", candidacy), follow=True)
    assert response.redirect_chain == [(url("livret:dossier", candidacy), 302)]
    assert "il est en lecture seule" in page(response) or "ne peut pas être modifié" in page(
        response
    )
    response = client.post(url("livret:dossier_submit", candidacy), CONFIRM)
    assert response.status_code == 200
    assert "Cette action n'est pas possible" in page(response)
    assert snapshot(candidacy) == before
