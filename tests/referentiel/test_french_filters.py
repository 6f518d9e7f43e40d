"""The ``french`` template library: referentiel.french in templates, never raising on a page."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template

NBSP, NNBSP = "\u00a0", "\u202f"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MOMENT = dt.datetime(2026, 12, 1, 14, 5, tzinfo=PARIS)


def render(source: str, **context) -> str:
    return Template("{% load french %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ d|date_fr }}", "1er décembre 2026"),
        ('{{ d|date_fr:"weekday" }}', "mardi 1er décembre 2026"),
        ('{{ d|date_fr:"month" }}', "décembre 2026"),
        ('{{ d|date_fr:"numeric" }}', "01/12/2026"),
        ("{{ d|datetime_fr }}", f"1er décembre 2026 à 14{NBSP}h{NBSP}05"),
        ('{{ d|datetime_fr:"weekday" }}', f"mardi 1er décembre 2026 à 14{NBSP}h{NBSP}05"),
        ("{{ d|time_fr }}", f"14{NBSP}h{NBSP}05"),
    ],
)
def test_date_and_time_filters(source, expected):
    assert render(source, d=MOMENT) == expected


def test_date_filters_on_a_date_and_a_time():
    day = dt.date(2026, 12, 1)
    assert render("{{ d|date_fr }}", d=day) == "1er décembre 2026"
    assert render("{{ d|datetime_fr }}", d=day) == "1er décembre 2026"
    assert render("{{ t|time_fr }}", t=dt.time(0, 0)) == f"0{NBSP}h{NBSP}00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(dt.timedelta(minutes=50), f"50{NBSP}minutes"), (75, f"1{NBSP}h{NBSP}15"), (-5, "")],
)
def test_duration_filter(value, expected):
    assert render("{{ d|duration_fr }}", d=value) == expected


@pytest.mark.parametrize(
    "source",
    [
        "{{ d|date_fr }}",
        "{{ d|datetime_fr }}",
        "{{ d|time_fr }}",
        "{{ d|duration_fr }}",
        "{{ d|number_fr }}",
        "{{ d|percent_fr }}",
        "{{ d|time_ago }}",
        "{{ d|typo }}",
    ],
)
@pytest.mark.parametrize("empty", [None, ""])
def test_an_empty_value_gives_an_empty_string(source, empty):
    assert render(source, d=empty) == ""


def test_date_filters_let_default_show_a_dash():
    assert render('{{ d|date_fr|default:"—" }}', d=None) == "—"
    assert render('{{ d|datetime_fr|default:"—" }}', d=None) == "—"


def test_wrong_values_and_styles_never_raise():
    assert render("{{ d|date_fr }}", d="2026-12-01") == ""
    assert render('{{ d|date_fr:"nope" }}', d=MOMENT) == ""
    assert render('{{ d|datetime_fr:"numeric" }}', d=MOMENT) == ""
    assert render("{{ d|time_fr }}", d=dt.date(2026, 12, 1)) == ""
    assert render("{{ n|number_fr }}", n="beaucoup") == "beaucoup"
    assert render('{{ n|number_fr:"x" }}', n=3) == "3"
    assert render('{{ n|plural:"a,b,c" }}', n=3) == ""
    assert render('{{ n|plural:"" }}', n=3) == ""
    assert render('{{ n|plural:"lien" }}', n="beaucoup") == ""


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ n|number_fr }}", 1234567, f"1{NNBSP}234{NNBSP}567"),
        ("{{ n|number_fr }}", Decimal("13.50"), "13,5"),
        ("{{ n|number_fr }}", -1234.5, f"-1{NNBSP}234,5"),
        ("{{ n|number_fr:2 }}", 0.5, "0,50"),
        ("{{ n|number_fr }}", "14.5", "14,5"),
        ("{{ n|number_fr }}", 0, "0"),
        ("{{ n|percent_fr }}", 85, f"85{NNBSP}%"),
        ("{{ n|percent_fr }}", 0, f"0{NNBSP}%"),
        ("{{ n|percent_fr:1 }}", 33.333, f"33,3{NNBSP}%"),
    ],
)
def test_number_filters(source, value, expected):
    assert render(source, n=value) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 compétence"),
        (1, "1 compétence"),
        (3, "3 compétences"),
        (1234, f"1{NNBSP}234 compétences"),
    ],
)
def test_plural_filter(count, expected):
    assert render('{{ n|plural:"compétence" }}', n=count) == expected
    assert render('{{ n|plural:"compétence,compétences" }}', n=count) == expected


def test_plural_filter_with_an_irregular_plural_and_a_phrase():
    assert render('{{ n|plural:"niveau,niveaux" }}', n=2) == "2 niveaux"
    assert render('{{ items|length|plural:"pièce liée,pièces liées" }}', items=[1]) == (
        "1 pièce liée"
    )
    # An apostrophe written in the template stays as written, not « n&#x27;a ».
    phrase = "compétence n'a pas pu être enregistrée,compétences n'ont pas pu être enregistrées"
    assert render('{{ n|plural:"' + phrase + '" }}', n=0) == (
        "0 compétence n'a pas pu être enregistrée"
    )
    assert render('{{ n|plural:"' + phrase + '" }}', n=2) == (
        "2 compétences n'ont pas pu être enregistrées"
    )


def test_plural_forms_from_a_variable_are_escaped():
    assert render("{{ n|plural:forms }}", n=2, forms="<b>,<b>s") == "2 &lt;b&gt;s"


def test_plural_form_filter():
    assert render('{{ n|plural_form:"reste,restent" }}', n=0) == "reste"
    assert render('{{ n|plural_form:"reste,restent" }}', n=1) == "reste"
    assert render('{{ n|plural_form:"reste,restent" }}', n=2) == "restent"
    assert render('{{ n|plural_form:"couverte" }}', n=2) == "couvertes"


def test_typo_filter_escapes_what_it_is_given():
    assert render("{{ t|typo }}", t="« <b>oui</b> » : non ?") == (
        f"«{NBSP}&lt;b&gt;oui&lt;/b&gt;{NBSP}»{NBSP}: non{NNBSP}?"
    )


def test_typo_filter_keeps_safe_text_safe():
    assert render("{{ t|safe|typo }}", t="<b>oui</b> : non") == f"<b>oui</b>{NBSP}: non"


def test_time_ago_filter():
    assert render("{{ d|time_ago|capfirst }}", d=dt.datetime.now(tz=PARIS)) == "À l&#x27;instant"
