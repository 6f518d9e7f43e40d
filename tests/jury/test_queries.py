"""The session pages read a constant number of queries, whatever the number of candidates
(the timing of 12 candidates belongs to ``make bench``)."""

from django.urls import reverse

from jury.models import Slot
from tests.accounts import log_in
from tests.jury.session_support import count_queries, fill


def test_the_members_agenda_reads_a_constant_number_of_queries(client, session):
    log_in(client, session.president.user)
    url = reverse("jury:session", args=[session.pk])
    fill(session, 2)
    few = count_queries(client, url)
    fill(session, 10, first=2)
    assert Slot.objects.filter(session=session).count() == 12
    assert count_queries(client, url) == few


def test_the_certifiers_session_page_reads_a_constant_number_of_queries(client, session, certifier):
    log_in(client, certifier)
    url = reverse("jury_admin:session", args=[session.pk])
    fill(session, 2)
    few = count_queries(client, url)
    fill(session, 10, first=2)
    assert count_queries(client, url) == few
