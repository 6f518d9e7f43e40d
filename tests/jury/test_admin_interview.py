"""The certifier's read-only interview record (``jury_admin:interview``): who may open
it, what it shows while the interview is under way and once it is closed, and when there
is nothing to show."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jury import interview, services
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.jury.deliberation_support import heard, members
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(referentiel):
    """A candidate being heard today: the président wrote a bloc's notes and revised a
    rating; the interview is not recorded yet."""
    slot = heard(interview=False)
    president = members(slot)[0].user
    bloc = slot.candidacy.targeted_blocs.order_by("pk").first()
    note = interview.save_bloc_note(
        slot=slot,
        bloc=bloc,
        by=president,
        base_version=0,
        questions="Comment suivez-vous la trésorerie du film ?",
        answers="Un plan de trésorerie hebdomadaire.",
        observations="Maîtrise le rapprochement bancaire.",
    )
    competence = slot.candidacy.targeted_competences()[0]
    revision = interview.revise_rating(
        slot=slot,
        competence=competence,
        by=president,
        rating="partiel",
        reason="Réponses hésitantes sur la DPAE.",
    )
    return {"slot": slot, "note": note.row, "revision": revision, "president": president}


def url(slot):
    return reverse("jury_admin:interview", args=[slot.candidacy_id])


def test_the_certifier_reads_the_notes_and_revisions_once_the_interview_is_closed(
    client, certifier, recorded
):
    slot = recorded["slot"]
    services.record_interview(candidacy=slot.candidacy, by=recorded["president"])
    log_in(client, certifier)
    response = client.get(url(slot))
    assert response.status_code == 200
    html = response.content.decode()
    note = html.split(f'id="note-{recorded["note"].pk}"', 1)[1].split("</dl>", 1)[0]
    assert "trésorerie du film" in note and "rapprochement bancaire" in note
    anchor = f'id="jury-revision-{recorded["revision"].pk}"'
    revision = html.split(anchor, 1)[1].split("</li>", 1)[0]
    assert "acquis → partiellement acquis" in revision
    assert "hésitantes sur la DPAE" in revision
    assert "n'est pas clos" not in html.replace("&#x27;", "'")
    # Read only: nothing to submit.
    assert "<form" not in html.split('id="presence"', 1)[1]


def test_the_record_reads_none_of_the_dossier_the_jury_read(client, certifier, recorded):
    # The page shows what the members wrote: the récits, the pieces and the points à
    # approfondir of the candidate file are not read for it.
    log_in(client, certifier)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(recorded["slot"])).status_code == 200
    tables = ("livret_narrative", "livret_evidence", "livret_dossier")
    assert not [q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in tables)]
    assert any('"jury_interviewblocnote"' in q["sql"] for q in queries)


def test_an_interview_under_way_is_shown_as_it_stands_and_said_open(client, certifier, recorded):
    log_in(client, certifier)
    html = client.get(url(recorded["slot"])).content.decode().replace("&#x27;", "'")
    assert "L'entretien n'est pas clos" in html
    assert "trésorerie du film" in html


def test_the_session_agenda_links_a_heard_candidate_to_the_record(client, certifier, recorded):
    slot = recorded["slot"]
    log_in(client, certifier)
    agenda = reverse("jury_admin:session", args=[slot.session_id])
    assert url(slot) not in client.get(agenda).content.decode()  # not heard yet
    services.record_interview(candidacy=slot.candidacy, by=recorded["president"])
    assert url(slot) in client.get(agenda).content.decode()


def test_only_certifiers_open_it_and_never_on_their_own_candidacy(client, recorded):
    slot = recorded["slot"]
    # Anonymous, an evaluator, a member of this jury, the candidate: to the back office's
    # login (the Wagtail admin refuses them before the view).
    for user in (
        None,
        UserFactory(role=Role.EVALUATOR),
        recorded["president"],
        slot.candidacy.candidate,
    ):
        client.logout()
        if user is not None:
            log_in(client, user)
        response = client.get(url(slot))
        assert response.status_code == 302 and "connexion" in response["Location"]
    # Staff of the back office who are not certifiers, and a certifier who is the
    # candidate: refused (Wagtail sends a refused admin user to the admin's home).
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    owner = slot.candidacy.candidate
    owner.groups.add(*UserFactory(role=Role.CERTIFIER).groups.all())
    for user in (staff, type(owner).objects.get(pk=owner.pk)):
        client.logout()
        log_in(client, user)
        response = client.get(url(slot))
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


def test_nothing_written_or_no_such_candidacy_is_not_found(client, certifier, referentiel):
    log_in(client, certifier)
    convoked = heard(interview=False)  # convoked, the jury has written nothing
    assert client.get(url(convoked)).status_code == 404
    reviewed = CandidacyFactory(state=CandidacyState.REVIEWED)
    assert client.get(reverse("jury_admin:interview", args=[reviewed.pk])).status_code == 404
    assert client.get(reverse("jury_admin:interview", args=[999999])).status_code == 404
