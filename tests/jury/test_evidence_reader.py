"""The jury's page-by-page reader of the evidence: the evaluators' reading (the page, its
text, the PDF at that page), read-only, through the jury's policy; tested as anonymous,
evaluator, member of another session, member with a conflict, member before declaring,
wrong state, a withdrawn piece, and for its queries whatever the piece's length."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from jury import services
from livret.models import Evidence, EvidencePage
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory, make_session, make_slot
from tests.jury.session_support import count_queries
from tests.review.support import extracted_piece
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.models import AccessedFile, FileAccess


def text(response) -> str:
    return unescape(response.content.decode())


def piece(candidacy, pages: int, *, title="Budget du film") -> Evidence:
    """A PDF of ``pages`` pages in the candidacy's dossier, its text extracted."""
    evidence = extracted_piece(candidacy, title=title, pages=pages, index=pages)
    evidence.save()
    EvidencePage.objects.bulk_create(
        EvidencePage(evidence=evidence, number=n, text=f"{title}, page {n} : trésorerie.")
        for n in range(1, pages + 1)
    )
    return evidence


def convoked():
    """A candidate convoked today, and their slot; nobody declared yet."""
    candidacy = CandidacyFactory(state=S.JURY_SCHEDULED)
    session = make_session(days_ahead=0, start=dt.time(0, 0), end=dt.time(23, 59))
    return make_slot(candidacy, session, start=dt.time(0, 0))


@pytest.fixture
def slot(referentiel):
    """A convoked candidate whose file both members may read (no conflict declared)."""
    slot = convoked()
    for seat in slot.session.seats.select_related("member__user"):
        services.declare(slot=slot, by=seat.member.user, no_conflict=True)
    return slot


@pytest.fixture
def budget(slot):
    return piece(slot.candidacy, 3)


def member(slot):
    return slot.session.president.user


def url(slot, evidence, number=1):
    return reverse("jury:evidence_page", args=[slot.pk, evidence.pk, number])


# -- the reading ----------------------------------------------------------------------


def test_the_candidate_file_leads_to_the_reader(client, slot, budget):
    log_in(client, member(slot))
    page = text(client.get(reverse("jury:candidate_file", args=[slot.pk])))
    assert f'<a href="{url(slot, budget)}">Lire page par page' in page


def test_a_member_reads_a_page_its_text_and_the_pdf_at_that_page(client, slot, budget):
    log_in(client, member(slot))
    response = client.get(url(slot, budget, 2))
    page = text(response)
    assert response.status_code == 200
    assert '« Budget du film » <span class="review-page-number">page 2 sur 3</span>' in page
    assert "Budget du film, page 2 : trésorerie." in page
    file_url = reverse("livret:evidence_file", args=[slot.candidacy_id, budget.pk])
    assert f'src="{file_url}?inline=1#page=2"' in page
    assert f'<a rel="prev" href="{url(slot, budget, 1)}">' in page
    assert f'<a rel="next" href="{url(slot, budget, 3)}">' in page
    assert f'href="{reverse("jury:candidate_file", args=[slot.pk])}#pieces"' in page


def test_the_reading_is_read_only(client, slot, budget):
    log_in(client, member(slot))
    page = text(client.get(url(slot, budget, 1)))
    assert "Relier un passage" not in page
    assert "Sélectionnez un passage" not in page
    assert "passage-select.js" not in page
    # The header's « Se déconnecter » is the page's one form that writes.
    assert page.count('method="post"') == 1
    assert f'method="post" action="{reverse("accounts:logout")}"' in page
    assert client.post(url(slot, budget, 1)).status_code == 405


def test_reading_a_page_is_recorded_like_opening_the_file(client, slot, budget):
    log_in(client, member(slot))
    client.get(url(slot, budget, 3))
    access = FileAccess.objects.get()
    assert (access.user, access.candidacy_id, access.kind, access.object_id) == (
        member(slot),
        slot.candidacy_id,
        AccessedFile.EVIDENCE,
        budget.pk,
    )
    assert access.label == "Budget du film (texte de la page 3)"


def test_going_to_a_page(client, slot, budget):
    log_in(client, member(slot))
    response = client.get(url(slot, budget, 1), {"page": "3"})
    assert response["Location"] == url(slot, budget, 3)
    response = client.get(url(slot, budget, 1), {"page": "4"}, follow=True)
    assert "Choisissez une page entre 1 et 3." in text(response)


@pytest.mark.parametrize("number", [0, 4])
def test_a_page_outside_the_piece_is_not_found(client, slot, budget, number):
    log_in(client, member(slot))
    assert client.get(url(slot, budget, number)).status_code == 404


# -- who reads ------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, slot, budget):
    response = client.get(url(slot, budget))
    assert response["Location"] == f"{reverse('accounts:login')}?next={url(slot, budget)}"


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.CANDIDATE, Role.CERTIFIER])
def test_other_roles_are_refused(client, slot, budget, role):
    user = slot.candidacy.candidate if role == Role.CANDIDATE else UserFactory(role=role)
    log_in(client, user)
    assert client.get(url(slot, budget)).status_code == 403
    assert not FileAccess.objects.exists()


def test_a_member_of_another_session_is_not_found(client, slot, budget):
    log_in(client, make_session().president.user)
    assert client.get(url(slot, budget)).status_code == 404
    assert not FileAccess.objects.exists()


def test_a_member_with_a_declared_conflict_is_not_found(client, referentiel):
    slot = convoked()
    budget = piece(slot.candidacy, 3)
    services.declare(slot=slot, by=member(slot), no_conflict=False, details="Ancien collègue.")
    log_in(client, member(slot))
    assert client.get(url(slot, budget)).status_code == 404
    assert not FileAccess.objects.exists()


def test_a_member_before_declaring_is_not_found(client, referentiel):
    slot = convoked()
    budget = piece(slot.candidacy, 3)
    log_in(client, member(slot))
    assert client.get(url(slot, budget)).status_code == 404
    assert not FileAccess.objects.exists()


def test_after_an_absence_the_file_is_closed_to_the_jury(client, slot, budget):
    services.record_absence(candidacy=slot.candidacy, by=member(slot), excused=False)
    log_in(client, member(slot))
    assert client.get(url(slot, budget)).status_code == 404
    assert not FileAccess.objects.exists()


def test_a_piece_of_another_candidacy_is_not_found(client, slot, referentiel):
    elsewhere = piece(CandidacyFactory(state=S.JURY_SCHEDULED), 3)
    log_in(client, member(slot))
    assert client.get(url(slot, elsewhere)).status_code == 404


def test_a_withdrawn_piece_is_not_shown(client, slot, budget):
    Evidence.objects.filter(pk=budget.pk).update(withdrawn_at=timezone.now())
    log_in(client, member(slot))
    assert client.get(url(slot, budget)).status_code == 404
    page = text(client.get(reverse("jury:candidate_file", args=[slot.pk])))
    assert "Budget du film" not in page
    assert not FileAccess.objects.exists()


# -- queries --------------------------------------------------------------------------


def test_a_page_of_30_pages_costs_what_a_page_of_3_does(client, slot, budget):
    long = piece(slot.candidacy, 30, title="Grand livre")
    log_in(client, member(slot))
    assert count_queries(client, url(slot, long, 15)) == count_queries(client, url(slot, budget, 2))
