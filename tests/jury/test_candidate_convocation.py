"""The candidate's convocation in their space: the page, the ``.ics`` and the PDF, for
the candidate convoked, and for nobody else (anonymous, another candidate, an evaluator,
a member of another session, a cancelled convocation)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from jury import services
from jury.enums import ConvocationStatus
from jury.models import Convocation
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory, make_session, schedule
from vae.enums import DocumentKind, DocumentStatus, Role
from vae.models import GeneratedDocument


@pytest.fixture
def convoked(reviewed, session, certifier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(reviewed, session, start=dt.time(10, 0), by=certifier)
    return Convocation.objects.get(candidacy=reviewed)


def urls(convocation):
    document = GeneratedDocument.objects.get(
        candidacy=convocation.candidacy, kind=DocumentKind.CONVOCATION
    )
    return [
        reverse("jury:convocation", args=[convocation.pk]),
        reverse("jury:convocation_ics", args=[convocation.pk]),
        reverse("documents:download", args=[document.pk]),
    ]


def test_the_candidate_finds_their_convocation_and_downloads_both_files(client, convoked):
    candidate = convoked.candidacy.candidate
    client.force_login(candidate)
    detail = client.get(reverse("candidacy:detail", args=[convoked.candidacy_id]))
    assert reverse("jury:convocation", args=[convoked.pk]) in detail.content.decode()
    page_url, ics_url, pdf_url = urls(convoked)
    page = client.get(page_url).content.decode()
    assert "10\u00a0h\u00a000" in page and ics_url in page and pdf_url in page
    ics = client.get(ics_url)
    assert ics["Content-Type"].startswith("text/calendar")
    assert "attachment" in ics["Content-Disposition"]
    calendar = Calendar.from_ical(ics.content)
    event = calendar.walk("VEVENT")[0]
    assert (calendar["METHOD"], str(event["UID"]), int(event["SEQUENCE"])) == (
        "REQUEST",
        convoked.uid,
        0,
    )
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def _member_of_another_session():
    other = make_session(days_ahead=45)
    return other.president.user


@pytest.mark.parametrize(
    "who", ["anonymous", "other_candidate", "evaluator", "other_member", "session_member"]
)
def test_nobody_else_reaches_the_convocation(client, convoked, session, who):
    if who == "other_candidate":
        client.force_login(CandidacyFactory().candidate)
    elif who == "evaluator":
        log_in(client, UserFactory(role=Role.EVALUATOR))
    elif who == "other_member":
        log_in(client, _member_of_another_session())
    elif who == "session_member":
        # Members read the session's agenda, not the candidate's convocation.
        log_in(client, session.president.user)
    for url in urls(convoked):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse(settings.LOGIN_URL))
        else:
            assert response.status_code == 404, (who, url)


def test_a_cancelled_convocation_is_no_longer_served(
    client, convoked, session, certifier, django_capture_on_commit_callbacks
):
    old_urls = urls(convoked)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(
            candidacy=convoked.candidacy,
            session=session,
            start=dt.time(14, 0),
            by=certifier,
            reason="Report.",
        )
    client.force_login(convoked.candidacy.candidate)
    for url in old_urls:
        assert client.get(url).status_code == 404
    live = Convocation.objects.get(candidacy=convoked.candidacy, status=ConvocationStatus.SENT)
    assert client.get(reverse("jury:convocation", args=[live.pk])).status_code == 200


def test_a_certifier_may_read_it(client, convoked, certifier):
    log_in(client, certifier)
    for url in urls(convoked):
        response = client.get(url)
        assert response.status_code == 200
        # Read to the end, never close()d again: that closes PostgreSQL's test connection.
        if response.streaming:
            assert b"".join(response.streaming_content)
        else:
            assert response.content


# -- the PDF: asked when the convocation is issued, never by reading the page -----------


def the_pdf(convocation):
    return GeneratedDocument.objects.get(
        candidacy=convocation.candidacy, kind=DocumentKind.CONVOCATION
    )


def test_the_pdf_is_asked_for_when_the_convocation_is_issued(reviewed, session, certifier):
    # No page visited: the scheduling service asked for it.
    schedule(reviewed, session, start=dt.time(10, 0), by=certifier)
    convocation = Convocation.objects.get(candidacy=reviewed)
    assert the_pdf(convocation).key == f"convocation-{convocation.sequence}"


def test_reading_the_page_writes_nothing_even_after_a_failure(
    client, convoked, django_capture_on_commit_callbacks
):
    GeneratedDocument.objects.filter(pk=the_pdf(convoked).pk).update(
        status=DocumentStatus.FAILED, error="WeasyPrint est tombé."
    )
    before = the_pdf(convoked)
    client.force_login(convoked.candidacy.candidate)
    with django_capture_on_commit_callbacks() as queued:
        page = client.get(reverse("jury:convocation", args=[convoked.pk])).content.decode()
    assert queued == []
    after = the_pdf(convoked)
    assert (after.status, after.requested_at, after.error) == (
        DocumentStatus.FAILED,
        before.requested_at,
        "WeasyPrint est tombé.",
    )
    assert reverse("jury:convocation_pdf", args=[convoked.pk]) in page
    assert "Préparer à nouveau la convocation (PDF)" in page


def test_a_missing_pdf_is_not_created_by_the_page(client, convoked):
    GeneratedDocument.objects.filter(pk=the_pdf(convoked).pk).delete()
    client.force_login(convoked.candidacy.candidate)
    page = client.get(reverse("jury:convocation", args=[convoked.pk])).content.decode()
    assert not GeneratedDocument.objects.exists()
    assert "Préparer à nouveau la convocation (PDF)" in page


def test_a_ready_pdf_offers_no_retry(client, convoked):
    client.force_login(convoked.candidacy.candidate)
    page = client.get(reverse("jury:convocation", args=[convoked.pk])).content.decode()
    assert the_pdf(convoked).status == DocumentStatus.READY
    assert reverse("jury:convocation_pdf", args=[convoked.pk]) not in page


def test_the_candidate_asks_for_a_failed_pdf_again(
    client, convoked, django_capture_on_commit_callbacks
):
    GeneratedDocument.objects.filter(pk=the_pdf(convoked).pk).update(status=DocumentStatus.FAILED)
    client.force_login(convoked.candidacy.candidate)
    url = reverse("jury:convocation_pdf", args=[convoked.pk])
    assert client.get(url).status_code == 405
    assert the_pdf(convoked).status == DocumentStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("jury:convocation", args=[convoked.pk])
    assert the_pdf(convoked).status == DocumentStatus.READY


@pytest.mark.parametrize("who", ["anonymous", "other_candidate", "session_member"])
def test_nobody_else_asks_for_the_pdf(client, convoked, session, who):
    GeneratedDocument.objects.filter(pk=the_pdf(convoked).pk).update(status=DocumentStatus.FAILED)
    if who == "other_candidate":
        client.force_login(CandidacyFactory().candidate)
    elif who == "session_member":
        log_in(client, session.president.user)
    response = client.post(reverse("jury:convocation_pdf", args=[convoked.pk]))
    if who == "anonymous":
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == 404
    assert the_pdf(convoked).status == DocumentStatus.FAILED


def breadcrumb_links(page: str) -> list[str]:
    trail = re.search(r'<p class="breadcrumb">(.*?)</p>', page, re.S)
    assert trail, "the page has a breadcrumb"
    return re.findall(r'href="([^"]+)"', trail.group(1))


@pytest.mark.parametrize("who", ["candidate", "certifier"])
def test_the_breadcrumb_leads_to_pages_the_reader_may_open(client, convoked, certifier, who):
    if who == "candidate":
        client.force_login(convoked.candidacy.candidate)
    else:
        log_in(client, certifier)
    page = client.get(reverse("jury:convocation", args=[convoked.pk])).content.decode()
    links = breadcrumb_links(page)
    assert links
    for link in links:
        assert client.get(link).status_code == 200, (who, link)
