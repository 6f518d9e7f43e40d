"""Every narrative view and endpoint as anonymous, wrong role, another candidate, and a
dossier that can no longer be changed: refused, nothing shown, nothing written."""

import json

import pytest
from django.urls import reverse

from livret.enums import RevisionReason
from livret.models import Dossier, Narrative, NarrativeRevision
from tests.accounts import log_in
from tests.factories import CandidacyFactory
from tests.livret.helpers import make_user, page
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db

SECRET = "Récit confidentiel de la candidate : budget du film « Zébulon »."

# (url name, needs an activité, needs a revision, method, payload, is JSON)
REQUESTS = [
    ("livret:narratives", False, False, "get", None, False),
    ("livret:narrative", True, False, "get", None, False),
    ("livret:narrative", True, False, "post", {"text": "Intrus", "base_version": "1"}, False),
    (
        "livret:narrative_autosave",
        True,
        False,
        "post",
        json.dumps({"text": "Intrus", "base_version": 1}),
        True,
    ),
    ("livret:narrative_history", True, False, "get", None, False),
    ("livret:narrative_restore", True, True, "post", {}, False),
]
WRITES = [request for request in REQUESTS if request[3] == "post"]


def make_target(state=CandidacyState.ELIGIBLE):
    """A candidacy whose first narrative holds SECRET and has one kept revision."""
    candidacy = CandidacyFactory(state=state)
    activity = candidacy.referentiel_tree()[0].activities.all()[0]
    narrative = Narrative.objects.get(dossier__candidacy=candidacy, activity=activity)
    Narrative.objects.filter(pk=narrative.pk).update(text=SECRET)
    revision = NarrativeRevision.objects.create(
        narrative=narrative, version=0, text="Ancienne version", reason=RevisionReason.EDIT
    )
    return candidacy, activity, revision


def send(
    client, candidacy, activity, revision, name, with_activity, with_revision, method, data, is_json
):
    kwargs = {"candidacy_pk": candidacy.pk}
    if with_activity:
        kwargs["activity_pk"] = activity.pk
    if with_revision:
        kwargs["revision_pk"] = revision.pk
    target = reverse(name, kwargs=kwargs)
    if method == "get":
        return client.get(target)
    if is_json:
        return client.post(target, data, content_type="application/json")
    return client.post(target, data)


def snapshot(candidacy):
    dossier = Dossier.objects.get(candidacy=candidacy)
    return {
        "narratives": list(Narrative.objects.filter(dossier=dossier).order_by("pk").values()),
        "revisions": list(
            NarrativeRevision.objects.filter(narrative__dossier=dossier).order_by("pk").values()
        ),
        "sworn_at": dossier.sworn_at,
    }


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r[0]}-{r[3]}")
def test_anonymous_is_sent_to_login(referentiel, client, request_):
    candidacy, activity, revision = make_target()
    before = snapshot(candidacy)

    response = send(client, candidacy, activity, revision, *request_)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("kind", ["candidate", "evaluator", "jury", "certifier"])
@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r[0]}-{r[3]}")
def test_anyone_but_the_owner_gets_404(referentiel, client, kind, request_):
    candidacy, activity, revision = make_target()
    before = snapshot(candidacy)
    log_in(client, make_user(kind))

    response = send(client, candidacy, activity, revision, *request_)

    assert response.status_code == 404
    assert SECRET not in page(response)
    assert snapshot(candidacy) == before


def test_another_candidate_with_their_own_candidacy_gets_404(referentiel, client):
    candidacy, activity, revision = make_target()
    other, _other_activity, _other_revision = make_target()
    before = snapshot(candidacy)
    log_in(client, other.candidate)

    for request_ in REQUESTS:
        response = send(client, candidacy, activity, revision, *request_)
        assert response.status_code == 404, request_
    assert snapshot(candidacy) == before


STATES = [CandidacyState.DOSSIER_SUBMITTED, CandidacyState.UNDER_REVIEW, CandidacyState.WITHDRAWN]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("request_", WRITES, ids=lambda r: f"{r[0]}-{r[3]}")
def test_writes_are_refused_once_not_editable(referentiel, client, state, request_):
    candidacy, activity, revision = make_target(state)
    before = snapshot(candidacy)
    log_in(client, candidacy.candidate)

    response = send(client, candidacy, activity, revision, *request_)

    assert response.status_code == 403
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("state", STATES)
def test_autosave_refusal_is_json(referentiel, client, state):
    candidacy, activity, revision = make_target(state)
    log_in(client, candidacy.candidate)

    response = send(client, candidacy, activity, revision, *WRITES[1])

    assert response.status_code == 403
    data = response.json()
    assert data["status"] == "forbidden"
    assert data["message"]


def test_submitted_dossier_is_readable_read_only(referentiel, client):
    candidacy, activity, revision = make_target(CandidacyState.DOSSIER_SUBMITTED)
    log_in(client, candidacy.candidate)

    editor = page(send(client, candidacy, activity, revision, *REQUESTS[1]))
    assert SECRET in editor
    assert "<textarea" not in editor
    assert "js/autosave.js" not in editor
    assert "lecture seule" in editor

    listing = page(send(client, candidacy, activity, revision, *REQUESTS[0]))
    assert "Lire le récit" in listing
    assert "Reprendre le récit" not in listing

    history = send(client, candidacy, activity, revision, *REQUESTS[4])
    assert history.status_code == 200
    assert "Ancienne version" in page(history)
    assert "Restaurer cette version" not in page(history)


def test_restore_by_get_is_not_a_restore(referentiel, client):
    candidacy, activity, revision = make_target()
    before = snapshot(candidacy)
    log_in(client, candidacy.candidate)
    response = client.get(
        reverse(
            "livret:narrative_restore",
            kwargs={
                "candidacy_pk": candidacy.pk,
                "activity_pk": activity.pk,
                "revision_pk": revision.pk,
            },
        )
    )
    assert response.status_code == 405
    assert snapshot(candidacy) == before


def test_before_recevabilite_there_is_no_dossier(referentiel, client):
    candidacy = CandidacyFactory(state=CandidacyState.DRAFT)
    log_in(client, candidacy.candidate)
    response = client.get(reverse("livret:narratives", kwargs={"candidacy_pk": candidacy.pk}))
    assert response.status_code == 404
    assert not Dossier.objects.filter(candidacy=candidacy).exists()
