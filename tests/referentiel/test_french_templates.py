"""The templates write French through the ``french`` filters, and only French.

Django's ``|date`` stays for machine formats (``datetime="…"`` attributes, ISO); dates,
times, counts and plurals shown to people go through referentiel.french, so that « 1er », « 14
h 05 » and « 0 compétence » come out the same on every page, e-mail and PDF (ARCHITECTURE
§8). The templates are French-only: no gettext tags.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SOURCES = sorted(path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".txt"})

# Formats of Django's |date meant for machines, not people.
MACHINE_DATE_FORMATS = {"c", "Y-m-d", "U", "r", "Y-m-d\\TH:i:sO", "Ymd\\THis\\Z"}

DATE_FILTER = re.compile(
    r"""\|date\b(?::(?P<quote>["'])(?P<format>.*?)(?P=quote)|:(?P<variable>\w+))?"""
)
FORBIDDEN = {
    "|time": re.compile(r"\|time\b"),
    "|pluralize": re.compile(r"\|pluralize\b"),
    "|floatformat": re.compile(r"\|floatformat\b"),
    "|intcomma": re.compile(r"\|intcomma\b"),
    "|naturaltime": re.compile(r"\|natural(time|day)\b"),
    "a hand-written plural ({% if n > 1 %}s{% endif %})": re.compile(
        r"\{%\s*if [^%]*?(>\s*1|>=\s*2|!=\s*1)\s*%\}(s|x)\{%\s*endif\s*%\}"
    ),
    "gettext tags": re.compile(r"\{%\s*(trans|translate|blocktrans|blocktranslate)\b"),
    "the i18n library": re.compile(r"\{%\s*load\s[^%]*\bi18n\b"),
}


def relative(path: Path) -> str:
    return str(path.relative_to(TEMPLATES))


def test_there_are_templates_to_check():
    assert len(SOURCES) > 100
    assert any(path.match("emails/*.txt") for path in SOURCES)
    assert any("pdf" in path.parts for path in SOURCES)


def test_date_filter_only_for_machine_formats():
    misused = []
    for path in SOURCES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in DATE_FILTER.finditer(line):
                if match.group("format") not in MACHINE_DATE_FORMATS:
                    misused.append(f"{relative(path)}:{number}: {match.group(0)}")
    assert not misused, "use |date_fr, |datetime_fr or |time_fr:\n" + "\n".join(misused)


@pytest.mark.parametrize("what", FORBIDDEN)
def test_no_formatting_outside_the_french_filters(what):
    found = [
        f"{relative(path)}:{number}"
        for path in SOURCES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORBIDDEN[what].search(line)
    ]
    assert not found, f"{what} in:\n" + "\n".join(found)


def test_the_check_catches_display_formats():
    for line in (
        '{{ d|date:"j F Y" }}',
        "{{ d|date:'j F Y à H\\hi' }}",
        "{{ d|date }}",
        "{{ d|date:fmt }}",
        '{{ d|date:"d/m/Y" }}',
    ):
        match = DATE_FILTER.search(line)
        assert match and match.group("format") not in MACHINE_DATE_FORMATS, line
    for line in ("{{ d|date:'c' }}", '{{ d|date:"c" }}', '{{ d|date:"Y-m-d" }}'):
        assert DATE_FILTER.search(line).group("format") in MACHINE_DATE_FORMATS, line
    assert not DATE_FILTER.search("{{ d|date_fr }} {{ d|datetime_fr }}")
    assert not FORBIDDEN["|time"].search("{{ d|time_fr }} {{ d|time_ago }}")
    hand_written = FORBIDDEN["a hand-written plural ({% if n > 1 %}s{% endif %})"]
    assert hand_written.search("compétence{% if done > 1 %}s{% endif %}")
    assert hand_written.search("niveau{% if row.spread > 1 %}x{% endif %}")
    assert FORBIDDEN["gettext tags"].search('{% translate "Bonjour" %}')
    assert FORBIDDEN["gettext tags"].search("{% blocktrans %}x{% endblocktrans %}")
