"""referentiel.french: the one way the platform writes numbers, dates, times, plurals and
French punctuation, edge cases first (« 1er », 0 and 1 singular, midnight, negatives)."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from referentiel import french as fr

NBSP, NNBSP = "\u00a0", "\u202f"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = dt.UTC


# -- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, f"1{NNBSP}000"),
        (1234, f"1{NNBSP}234"),
        (1234567, f"1{NNBSP}234{NNBSP}567"),
        (-1, "-1"),
        (-1234567, f"-1{NNBSP}234{NNBSP}567"),
        (Decimal("1234567.89"), f"1{NNBSP}234{NNBSP}567,89"),
        (-1234567.89, f"-1{NNBSP}234{NNBSP}567,89"),
        (1234.5, f"1{NNBSP}234,5"),
        (Decimal("13.50"), "13,5"),
        (Decimal("14.00"), "14"),
        (14.0, "14"),
        (0.1, "0,1"),  # not 0,1000000000000000055511151231257827
        (Decimal("0.000001"), "0,000001"),  # not 1E-6
        (Decimal("1E+3"), f"1{NNBSP}000"),
        (Decimal("-0"), "0"),
    ],
)
def test_number(value, expected):
    assert fr.number(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0.5, 2, "0,50"),
        (1234.5, 2, f"1{NNBSP}234,50"),
        (Decimal("2.675"), 2, "2,68"),  # half up, as counted by hand (not 2,67)
        (Decimal("2.5"), 0, "3"),
        (Decimal("-2.5"), 0, "-3"),
        (-0.001, 2, "0,00"),  # no « -0,00 »: a negative that is not there
        (-0.004, 2, "0,00"),
        (-0.005, 2, "-0,01"),
        (14, 1, "14,0"),
    ],
)
def test_number_with_fixed_decimals(value, decimals, expected):
    assert fr.number(value, decimals) == expected


def test_integer_rounds_half_up_and_groups():
    assert fr.integer(50000) == f"50{NNBSP}000"
    assert fr.integer(Decimal("1234.5")) == f"1{NNBSP}235"


@pytest.mark.parametrize("value", [None, "12", True, float("nan"), float("inf"), Decimal("NaN")])
def test_number_refuses_what_is_not_a_finite_number(value):
    with pytest.raises((TypeError, ValueError)):
        fr.number(value)


def test_percent():
    assert fr.percent(85) == f"85{NNBSP}%"
    assert fr.percent(0) == f"0{NNBSP}%"
    assert fr.percent(100) == f"100{NNBSP}%"
    assert fr.percent(33.333, 1) == f"33,3{NNBSP}%"
    assert fr.percent(Decimal("99.5")) == f"100{NNBSP}%"


def test_score():
    assert fr.score(14, 20) == "14/20"
    assert fr.score(Decimal("13.5"), 20) == "13,5/20"
    assert fr.score(Decimal("12.49"), 40) == "12,49/40"
    assert fr.score(0, 20) == "0/20"


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 12, 1), "1er décembre 2026"),
        (dt.date(2026, 12, 2), "2 décembre 2026"),
        (dt.date(2026, 12, 11), "11 décembre 2026"),
        (dt.date(2026, 12, 21), "21 décembre 2026"),  # only the 1st is « 1er »
        (dt.date(2027, 1, 31), "31 janvier 2027"),
        (dt.date(2026, 2, 1), "1er février 2026"),
        (dt.date(2026, 8, 15), "15 août 2026"),
    ],
)
def test_date(value, expected):
    assert fr.date(value) == expected


def test_every_month_and_weekday_in_french():
    months = [fr.month_year(dt.date(2026, month, 1)) for month in range(1, 13)]
    assert months == [
        f"{name} 2026"
        for name in [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ]
    ]
    # 30 November 2026 is a Monday.
    days = [fr.date(dt.date(2026, 11, 30) + dt.timedelta(days=n), weekday=True) for n in range(7)]
    assert days == [
        "lundi 30 novembre 2026",
        "mardi 1er décembre 2026",
        "mercredi 2 décembre 2026",
        "jeudi 3 décembre 2026",
        "vendredi 4 décembre 2026",
        "samedi 5 décembre 2026",
        "dimanche 6 décembre 2026",
    ]


def test_numeric_date():
    assert fr.numeric_date(dt.date(2026, 12, 1)) == "01/12/2026"
    assert fr.numeric_date(dt.date(2027, 3, 14)) == "14/03/2027"


def test_an_aware_datetime_is_shown_in_the_site_time_zone():
    # 23:30 UTC on 30 November is 0:30 on 1 December in Paris (winter, UTC+1).
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert fr.date(late) == "1er décembre 2026"
    assert fr.month_year(late) == "décembre 2026"
    assert fr.numeric_date(late) == "01/12/2026"
    assert fr.time(late) == f"0{NBSP}h{NBSP}30"
    # A naive datetime is taken as it is.
    assert fr.date(dt.datetime(2026, 11, 30, 23, 30)) == "30 novembre 2026"


# -- times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.time(14, 5), f"14{NBSP}h{NBSP}05"),
        (dt.time(9, 5), f"9{NBSP}h{NBSP}05"),  # no leading zero on the hour
        (dt.time(14, 0), f"14{NBSP}h{NBSP}00"),  # minutes always shown, as in the editor
        (dt.time(0, 0), f"0{NBSP}h{NBSP}00"),  # midnight
        (dt.time(0, 5), f"0{NBSP}h{NBSP}05"),
        (dt.time(23, 59, 59), f"23{NBSP}h{NBSP}59"),  # seconds dropped, not rounded
        (dt.datetime(2026, 12, 1, 13, 5, tzinfo=UTC), f"14{NBSP}h{NBSP}05"),
        (dt.datetime(2026, 7, 1, 12, 5, tzinfo=UTC), f"14{NBSP}h{NBSP}05"),  # summer, UTC+2
    ],
)
def test_time(value, expected):
    assert fr.time(value) == expected


def test_datetime():
    moment = dt.datetime(2026, 12, 1, 14, 5, tzinfo=PARIS)
    assert fr.datetime(moment) == f"1er décembre 2026 à 14{NBSP}h{NBSP}05"
    assert fr.datetime(moment, weekday=True) == f"mardi 1er décembre 2026 à 14{NBSP}h{NBSP}05"
    midnight = dt.datetime(2026, 12, 1, tzinfo=PARIS)
    assert fr.datetime(midnight) == f"1er décembre 2026 à 0{NBSP}h{NBSP}00"
    # A date has no time to show.
    assert fr.datetime(dt.date(2026, 12, 1)) == "1er décembre 2026"


# -- durations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, f"0{NBSP}minute"),
        (1, f"1{NBSP}minute"),
        (15, f"15{NBSP}minutes"),
        (59, f"59{NBSP}minutes"),
        (60, f"1{NBSP}h"),
        (65, f"1{NBSP}h{NBSP}05"),
        (90, f"1{NBSP}h{NBSP}30"),
        (120, f"2{NBSP}h"),
        (24 * 60 + 1, f"24{NBSP}h{NBSP}01"),
        (dt.timedelta(minutes=90, seconds=59), f"1{NBSP}h{NBSP}30"),
        (dt.timedelta(seconds=30), f"0{NBSP}minute"),
    ],
)
def test_duration(value, expected):
    assert fr.duration(value) == expected


@pytest.mark.parametrize("value", [-1, dt.timedelta(minutes=-5)])
def test_a_duration_is_not_negative(value):
    with pytest.raises(ValueError):
        fr.duration(value)


@pytest.mark.parametrize("value", [None, 1.5, "15", True])
def test_a_duration_is_minutes_or_a_timedelta(value):
    with pytest.raises(TypeError):
        fr.duration(value)


# -- time ago --------------------------------------------------------------------------

NOW = dt.datetime(2026, 12, 1, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (dt.timedelta(0), "à l'instant"),
        (dt.timedelta(seconds=59), "à l'instant"),  # never « il y a 0 minute »
        (dt.timedelta(seconds=-30), "à l'instant"),  # a clock slightly ahead
        (dt.timedelta(minutes=1), f"il y a 1{NBSP}minute"),
        (dt.timedelta(minutes=59, seconds=59), f"il y a 59{NBSP}minutes"),
        (dt.timedelta(hours=1), f"il y a 1{NBSP}heure"),
        (dt.timedelta(hours=3, minutes=5), f"il y a 3{NBSP}heures"),
        (dt.timedelta(days=1), f"il y a 1{NBSP}jour"),
        (dt.timedelta(days=6, hours=23), f"il y a 6{NBSP}jours"),
        (dt.timedelta(days=7), f"il y a 1{NBSP}semaine"),
        (dt.timedelta(days=29), f"il y a 4{NBSP}semaines"),
        (dt.timedelta(days=31), f"il y a 1{NBSP}mois"),
        (dt.timedelta(days=92), f"il y a 3{NBSP}mois"),
        (dt.timedelta(days=366), f"il y a 1{NBSP}an"),
        (dt.timedelta(days=800), f"il y a 2{NBSP}ans"),
    ],
)
def test_time_ago(delta, expected):
    assert fr.time_ago(NOW - delta, now=NOW) == expected


def test_time_ago_counts_calendar_months():
    # From 31 January to 28 February is not yet a month; to 1 March it is.
    start = dt.datetime(2027, 1, 31, 12, tzinfo=PARIS)
    assert fr.time_ago(start, now=dt.datetime(2027, 2, 28, 12, tzinfo=PARIS)) == (
        f"il y a 4{NBSP}semaines"
    )
    assert fr.time_ago(start, now=dt.datetime(2027, 3, 1, 12, tzinfo=PARIS)) == (
        f"il y a 1{NBSP}mois"
    )


def test_time_ago_defaults_to_now():
    assert fr.time_ago(timezone.now()) == "à l'instant"
    assert fr.time_ago(timezone.now() - dt.timedelta(hours=2)) == f"il y a 2{NBSP}heures"


# -- plurals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 compétence"),  # French: 0 takes the singular
        (1, "1 compétence"),
        (2, "2 compétences"),
        (26, "26 compétences"),
        (1234, f"1{NNBSP}234 compétences"),
        (-1, "-1 compétence"),
        (-2, "-2 compétences"),
        (Decimal("1.5"), "1,5 compétence"),  # below 2: singular
        (Decimal("2.5"), "2,5 compétences"),
    ],
)
def test_plural(count, expected):
    assert fr.plural(count, "compétence") == expected


def test_plural_with_an_irregular_plural_or_a_phrase():
    assert fr.plural(1, "niveau", "niveaux") == "1 niveau"
    assert fr.plural(2, "niveau", "niveaux") == "2 niveaux"
    assert fr.plural(0, "mois", "mois") == "0 mois"
    assert fr.plural(3, "mois", "mois") == "3 mois"
    assert fr.plural(0, "pièce liée", "pièces liées") == "0 pièce liée"
    assert fr.plural(2, "compétence reste", "compétences restent") == "2 compétences restent"


def test_plural_form_is_the_agreeing_word_alone():
    assert fr.plural_form(0, "La compétence", "Les compétences") == "La compétence"
    assert fr.plural_form(1, "n'appartient", "n'appartiennent") == "n'appartient"
    assert fr.plural_form(2, "n'appartient", "n'appartiennent") == "n'appartiennent"
    assert fr.plural_form(5, "couverte") == "couvertes"


# -- punctuation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Note : oui", f"Note{NBSP}: oui"),
        ("Vraiment ?", f"Vraiment{NNBSP}?"),
        ("Bravo !", f"Bravo{NNBSP}!"),
        ("un ; deux", f"un{NNBSP}; deux"),
        ("« oui »", f"«{NBSP}oui{NBSP}»"),
        ("«oui»", f"«{NBSP}oui{NBSP}»"),  # guillemets get their spaces even if untyped
        (
            "Le champ « adresse » : requis ?",
            f"Le champ «{NBSP}adresse{NBSP}»{NBSP}: requis{NNBSP}?",
        ),
        # Several spaces, or the wrong no-break space, become exactly one of the right kind.
        ("Note   : oui", f"Note{NBSP}: oui"),
        (f"Note{NNBSP}: oui", f"Note{NBSP}: oui"),
        (f"Vraiment{NBSP}?", f"Vraiment{NNBSP}?"),
        (f"«{NBSP} oui {NBSP}»", f"«{NBSP}oui{NBSP}»"),
        # No space typed before « : ; ! ? »: none is added (times, URLs, code).
        ("à 14:05", "à 14:05"),
        ("https://vae.example/candidature/3/?page=2&tri=date#bas", None),
        ("Voir : https://vae.example/a?b=1 ; merci !", None),
        ("mailto:nora@example.org", "mailto:nora@example.org"),
        ("Titre:", "Titre:"),
        ("", ""),
        ("Rien à changer.", "Rien à changer."),
        # A line break before the punctuation is left alone (it is not a typed space).
        ("Liste\n: item", "Liste\n: item"),
    ],
)
def test_typography(text, expected):
    if expected is None:
        # URLs are untouched; only the spaces typed in the sentence around them change.
        expected = (
            text.replace(" :", f"{NBSP}:").replace(" ;", f"{NNBSP};").replace(" !", f"{NNBSP}!")
        )
    assert fr.typography(text) == expected


def test_typography_twice_changes_nothing():
    text = "Questionnaire : 13,5/20 ; « acquises » : 7 ! Pourquoi ?"
    once = fr.typography(text)
    assert fr.typography(once) == once
    assert once.count(NBSP) == 4 and once.count(NNBSP) == 3


def test_typography_html_leaves_tags_styles_and_urls_alone():
    html = (
        '<p style="margin:0 0 16px; color:#555 !important">Bonjour : « test » ?</p>'
        '<a href="https://vae.example/?a=1 ;">Lien !</a>'
        "<style>p { color : red ; }</style><pre>code : ici</pre>"
        "<script>if (a ? b : c) {}</script>Fin !"
    )
    assert fr.typography_html(html) == (
        '<p style="margin:0 0 16px; color:#555 !important">'
        f"Bonjour{NBSP}: «{NBSP}test{NBSP}»{NNBSP}?</p>"
        f'<a href="https://vae.example/?a=1 ;">Lien{NNBSP}!</a>'
        "<style>p { color : red ; }</style><pre>code : ici</pre>"
        f"<script>if (a ? b : c) {{}}</script>Fin{NNBSP}!"
    )


def test_typography_html_keeps_entities():
    assert fr.typography_html("<p>Tom &amp; Jerry : &laquo;ok&raquo; ?</p>") == (
        f"<p>Tom &amp; Jerry{NBSP}: &laquo;ok&raquo;{NNBSP}?</p>"
    )


def test_with_subtitle():
    assert fr.with_subtitle("Modifier", "Activité 1.1") == f"Modifier{NBSP}: Activité 1.1"
    assert fr.with_subtitle("Tableau de bord", "") == "Tableau de bord"
    assert fr.with_subtitle("Tableau de bord", None) == "Tableau de bord"
