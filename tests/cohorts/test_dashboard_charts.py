"""The dashboard's charts (cohorts.charts): inline SVG fit for the strict CSP, labelled,
reproducible."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from cohorts.caching import cache
from cohorts.charts import clean_svg, dashboard_charts
from cohorts.dashboard import Filters, Quarter, dashboard
from tests.cohorts.dashboard_support import full_journey, held_session, journey
from tests.security_headers import FORBIDDEN_IN_HTML

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)
PERIOD = Filters(Quarter(2026, 1), Quarter(2026, 2))


@pytest.fixture
def board(referentiel, certifier):
    session = held_session(certifier, dt.date(2026, 4, 25))
    full_journey(certifier, session, accepted_on=dt.date(2026, 1, 10), refused=("BC2",))
    journey(certifier, accepted_on=dt.date(2026, 2, 15), gaps=(10,), withdraw=True)
    return dashboard(PERIOD, today=TODAY)


def test_every_chart_is_inline_svg_without_style_and_labelled(board):
    charts = dashboard_charts(board)
    assert set(charts) == {
        "states",
        "conversions",
        "durations",
        "withdrawals",
        "blocs",
        "competences",
        "agreement",
        "sessions",
        "delays",
    }
    ids = []
    for chart in charts.values():
        svg = chart.svg
        assert svg.startswith("<svg")
        for what, pattern in FORBIDDEN_IN_HTML.items():
            assert not pattern.search(svg), (chart.slug, what)
        assert "<metadata" not in svg
        assert 'role="img"' in svg
        assert f'aria-labelledby="{chart.title_id} {chart.summary_id}"' in svg
        ids += re.findall(r'\sid="([^"]+)"', svg)
        # Every reference points at an id of the same chart.
        for target in re.findall(r"url\(#([^)]+)\)", svg):
            assert target.startswith(chart.slug + "-")
        assert chart.title and chart.summary.endswith(".")
    assert len(ids) == len(set(ids))  # no id shared by two charts of the page


def test_charts_keep_their_text_and_values_as_text(board):
    charts = dashboard_charts(board)
    assert ">BC2<" in charts["blocs"].svg
    assert "validé" in charts["blocs"].svg
    assert "BC2 : 0 sur 1" in charts["blocs"].summary
    assert (
        charts["withdrawals"].summary
    ) == "1 abandon sur la période : dossier de validation déposé : 1."
    # Colours as presentation attributes (allowed by the CSP), hatching as patterns.
    assert "#8b1a1a" in charts["blocs"].svg
    assert "<pattern" in charts["blocs"].svg


def test_the_same_figures_give_the_same_svg(board):
    first = dashboard_charts(board)["states"].svg
    cache.clear()
    assert dashboard_charts(board)["states"].svg == first


def test_clean_svg_turns_styles_into_attributes_and_prefixes_ids():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10pt" height="10pt" viewBox="0 0 10 10"><metadata>x</metadata><defs>'
        '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'
        '<pattern id="h1"><path d="M0 0" style="stroke: #000000"/></pattern></defs>'
        '<path id="p" d="M0 0" style="fill: url(#h1); stroke-width: 0.8"/>'
        '<use xlink:href="#p"/><text style="font-size: 10px; text-anchor: middle">a &lt; b</text>'
        "</svg>"
    )
    clean = clean_svg(svg, slug="g", labelled_by="t d")
    assert "style" not in clean and "metadata" not in clean
    assert ' width="' not in clean and ' height="' not in clean
    assert 'stroke-linejoin="round"' in clean
    assert 'id="g-h1"' in clean and 'fill="url(#g-h1)"' in clean
    assert 'stroke-width="0.8"' in clean
    assert 'xlink:href="#g-p"' in clean
    assert 'font-size="10px"' in clean and "a &lt; b" in clean
    assert 'aria-labelledby="t d"' in clean


def test_the_svg_stays_unprefixed_whatever_another_module_registered(board, monkeypatch):
    """ElementTree's prefixes are global: a library registering another default namespace
    (or none) must not turn the charts into « ns0:svg », which HTML does not draw."""
    monkeypatch.setattr(ET, "_namespace_map", {})  # restored after the test
    ET.register_namespace("", "http://example.org/another-default")
    cache.clear()
    for chart in dashboard_charts(board).values():
        assert chart.svg.startswith("<svg "), chart.slug
        assert "ns0:" not in chart.svg and "ns1:" not in chart.svg
        assert "xlink:href" in chart.svg or "href" not in chart.svg


def _texts(svg: str) -> list[str]:
    return [text.strip() for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_a_period_without_candidacies_draws_a_plain_scale(referentiel):
    board = dashboard(Filters(Quarter(2025, 1), Quarter(2025, 1)), today=TODAY)
    for name in ("withdrawals", "conversions", "blocs", "delays"):
        texts = _texts(dashboard_charts(board)[name].svg)
        # 0 and 1, not fractions of a count each written « 0 ».
        assert texts.count("0") == 1, (name, texts)
        assert "1" in texts, name


def test_a_phase_passed_within_the_day_shows_zero_days(referentiel, certifier):
    journey(certifier, accepted_on=dt.date(2026, 1, 12), gaps=(0,))
    texts = _texts(dashboard_charts(dashboard(PERIOD, today=TODAY))["durations"].svg)
    assert "0 j" in texts
