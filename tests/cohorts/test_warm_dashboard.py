"""``manage.py warm_dashboard``: the dashboard as it opens computed into the shared cache
off any request, so that the certifier's first view of the day computes nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.accounts import log_in
from tests.cohorts.dashboard_support import (
    full_journey,
    get_charts,
    held_session,
    journey,
    record_computations,
)

pytestmark = pytest.mark.django_db


def warm() -> str:
    out = io.StringIO()
    call_command("warm_dashboard", stdout=out)
    return out.getvalue()


def test_the_certifiers_first_view_finds_everything_computed(
    client, referentiel, certifier, travel, monkeypatch
):
    # The default period (the last eight quarters) ends with 2026's last one.
    travel(timezone.make_aware(dt.datetime(2026, 12, 3, 6, 5)))
    session = held_session(certifier, dt.date(2026, 4, 25))
    full_journey(certifier, session, accepted_on=dt.date(2026, 1, 12))
    journey(certifier, accepted_on=dt.date(2025, 11, 4), gaps=(30,), withdraw=True)
    journey(certifier, accepted_on=dt.date(2026, 9, 1))

    said = warm()
    assert "Tableau de bord prêt (du T1 2025 au T4 2026, tous les blocs)" in said
    assert "3 candidatures, 9 graphiques" in said

    computed = record_computations(monkeypatch)
    log_in(client, certifier)
    page = client.get(reverse("cohorts_admin:dashboard"))
    board = page.context["board"]
    # Neither the figures nor any of the charts the page then asks for.
    assert [chart.status_code for chart in get_charts(client, page)] == [200] * 9
    assert computed == []
    assert board.overall.total == 3
    assert board.overall.withdrawn == 1
    # Run again (the next hour's cron) with nothing changed: nothing computed either.
    warm()
    assert computed == []


def test_a_new_day_computes_the_period_again(client, referentiel, certifier, travel, monkeypatch):
    """The legal delays run until today: a quarter's figures are the day's."""
    travel(timezone.make_aware(dt.datetime(2026, 12, 3, 6, 5)))
    journey(certifier, accepted_on=dt.date(2026, 9, 1), gaps=(10,))
    warm()
    computed = record_computations(monkeypatch)
    travel(timezone.make_aware(dt.datetime(2026, 12, 4, 6, 5)))
    warm()
    assert "T3 2026" in ", ".join(computed)
