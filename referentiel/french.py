"""French formatting of numbers, dates, times, durations, plurals and punctuation.

One place for the way the platform writes for people, so that a page, an e-mail, a PDF
and a rule's reason all say « 1er décembre 2026 à 14 h 05 », « 1 234,5 » and « 0
compétence » the same way. Pure functions: no model, no active language, no settings but
the time zone (aware datetimes are shown in the site's time zone, as Django's ``|date``
does). Import it as ``from referentiel import french as fr``.

The spaces, after the Lexique des règles typographiques de l'Imprimerie nationale (the rule
Word and LibreOffice apply in French too):

- ``NNBSP`` (U+202F, espace fine insécable) before « ; ! ? », between thousands
  (« 1 234 567 ») and before « % »;
- ``NBSP`` (U+00A0, espace insécable) before « : » and inside « » guillemets, and between
  a number and a unit of time (« 14 h 05 », « 1 h 30 », « 15 minutes », « il y a 3
  heures »), so that none of them is split across two lines;
- ordinary spaces elsewhere: a date (« 1er décembre 2026 ») or a count of things (« 3
  compétences ») is text and may wrap like text.

Conventions: the minus sign is the hyphen-minus (as ``Intl.NumberFormat("fr-FR")`` writes
it in the browser, and as people type it); a clock time always has two-digit minutes and
no leading zero on the hour (« 9 h 05 », « 14 h 00 », « 0 h 00 »), the way the narrative
editor's script writes it too; in French 0 and 1 take the singular (below 2, in fact:
« 1,5 heure »).
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

NBSP = "\u00a0"
NNBSP = "\u202f"

MONTHS = (
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
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


# -- numbers ---------------------------------------------------------------------------


def _decimal(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    # Through str(): Decimal(0.1) would show the binary fraction, not what was meant.
    result = value if isinstance(value, Decimal) else Decimal(str(value))
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def _group(digits: str) -> str:
    groups = []
    while len(digits) > 3:
        digits, last = digits[:-3], digits[-3:]
        groups.insert(0, last)
    return NNBSP.join([digits, *groups])


def number(value, decimals: int | None = None) -> str:
    """« 1 234 567 », « 1 234,5 », « -3 »; ``decimals`` fixes the places (« 0,50 »).

    Without ``decimals``, a decimal shows the places it has, trailing zeros dropped (13.50
    reads « 13,5 », 14.0 reads « 14 »); with it, the value is rounded half up, the school
    rounding people check by hand.
    """
    value = _decimal(value)
    if decimals is None:
        value = value.normalize() if value != value.to_integral_value() else Decimal(int(value))
    else:
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if value.is_zero():
        value = abs(value)  # « -0,00 » would read as a negative that is not there
    sign, text = ("-", f"{-value:f}") if value < 0 else ("", f"{value:f}")
    whole, _, fraction = text.partition(".")
    return sign + _group(whole) + (f",{fraction}" if fraction else "")


def integer(value) -> str:
    """« 1 234 567 »: a whole number, rounded half up if it was not one."""
    return number(value, 0)


def percent(value, decimals: int = 0) -> str:
    """« 85 % » from 85 (the value is already a percentage, not a ratio)."""
    return f"{number(value, decimals)}{NNBSP}%"


def score(value, maximum) -> str:
    """« 13,5/20 », « 14/20 »: a mark out of its scale."""
    return f"{number(value)}/{number(maximum)}"


# -- dates and times -------------------------------------------------------------------


def _local(value):
    """An aware datetime in the site's time zone (what ``|date`` shows); others as is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value: dt.date) -> str:
    return "1er" if value.day == 1 else str(value.day)


def date(value: dt.date, *, weekday: bool = False) -> str:
    """« 1er décembre 2026 », or « mardi 1er décembre 2026 » with ``weekday``."""
    value = _local(value)
    text = f"{_day(value)} {MONTHS[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def month_year(value: dt.date) -> str:
    """« décembre 2026 »."""
    value = _local(value)
    return f"{MONTHS[value.month - 1]} {value.year}"


def numeric_date(value: dt.date) -> str:
    """« 01/12/2026 »: for a table column too narrow for the month's name."""
    value = _local(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def time(value: dt.time | dt.datetime) -> str:
    """« 14 h 05 », « 9 h 00 », « 0 h 00 » (midnight)."""
    value = _local(value)
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def datetime(value: dt.datetime, *, weekday: bool = False) -> str:
    """« 1er décembre 2026 à 14 h 05 »; a date without a time reads as ``date``."""
    if not isinstance(value, dt.datetime):
        return date(value, weekday=weekday)
    value = _local(value)
    return f"{date(value, weekday=weekday)} à {time(value)}"


def duration(value: int | dt.timedelta) -> str:
    """« 15 minutes », « 1 minute », « 1 h 30 », « 1 h 05 », « 2 h »: from minutes or a
    timedelta (seconds dropped)."""
    minutes = int(value.total_seconds() // 60) if isinstance(value, dt.timedelta) else value
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError(f"not a number of minutes: {value!r}")
    if minutes < 0:
        raise ValueError(f"a duration is not negative: {value!r}")
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes}{NBSP}{plural_form(minutes, 'minute')}"
    if not minutes:
        return f"{hours}{NBSP}h"
    return f"{hours}{NBSP}h{NBSP}{minutes:02d}"


def _months_between(start: dt.datetime, end: dt.datetime) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if (end.day, end.time()) < (start.day, start.time()):
        months -= 1
    return months


def time_ago(value: dt.datetime, now: dt.datetime | None = None) -> str:
    """« il y a 3 heures » (its largest unit only), « à l'instant » under a minute.

    Wagtail's own (``timesince``) says « il y a 0 minute » for what just happened.
    """
    now = now or timezone.now()
    if timezone.is_aware(value) and timezone.is_aware(now):
        value, now = timezone.localtime(value), timezone.localtime(now)
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return "à l'instant"
    minutes = int(seconds // 60)
    hours, days = minutes // 60, int(seconds // 86400)
    months = _months_between(value, now)
    if hours < 1:
        count, unit = minutes, "minute"
    elif days < 1:
        count, unit = hours, "heure"
    elif days < 7:
        count, unit = days, "jour"
    elif months < 1:
        count, unit = days // 7, "semaine"
    elif months < 12:
        count, unit = months, "mois"
    else:
        count, unit = months // 12, "an"
    return f"il y a {count}{NBSP}{plural_form(count, unit, 'mois' if unit == 'mois' else None)}"


# -- plurals ---------------------------------------------------------------------------


def plural_form(count, singular: str, plural: str | None = None) -> str:
    """The form that agrees with ``count``: singular below 2 (« 0 compétence », « 1,5
    heure »), else ``plural`` (by default the singular with an « s »)."""
    return singular if abs(count) < 2 else (plural if plural is not None else f"{singular}s")


def plural(count, singular: str, plural: str | None = None) -> str:
    """« 0 compétence », « 1 compétence », « 2 compétences », « 1 234 pièces »;
    ``plural`` for the irregular ones (« 2 niveaux ») or a whole phrase that agrees."""
    return f"{number(count)} {plural_form(count, singular, plural)}"


def file_size(size: int) -> str:
    """A file size as French users read it: « 850 octets », « 12 Ko », « 3,4 Mo »
    (Django's filesizeformat says « Kio », « Mio » in French)."""
    if size < 1024:
        return plural(size, "octet")
    if size < 1024 * 1024:
        return f"{number(round(size / 1024, 1))} Ko"
    return f"{number(round(size / (1024 * 1024), 1))} Mo"


# -- punctuation -----------------------------------------------------------------------

_SPACES = f" {NBSP}{NNBSP}"
# Only a space the writer typed becomes non-breaking: no space is added before « : ; ! ? »,
# so « 14:05 », « https://… », « ?page=2 » and « Note:» stay as they are.
_BEFORE_COLON = re.compile(f"[{_SPACES}]+(?=:)")
_BEFORE_HIGH = re.compile(f"[{_SPACES}]+(?=[;!?])")
# Guillemets always hold their spaces, typed or not (« a » never occurs in code or URLs).
_AFTER_OPENING = re.compile(f"«[{_SPACES}]*")
_BEFORE_CLOSING = re.compile(f"[{_SPACES}]*»")


def typography(text: str) -> str:
    """French spacing in plain text: « Note : oui ; non ! Pourquoi ? « Oui » ».

    A typed space before « : » becomes ``NBSP``, before « ; ! ? » ``NNBSP``; « » get a
    ``NBSP`` inside, added if missing. Runs of spaces collapse, so applying it twice
    changes nothing. Plain text only: markup goes through ``typography_html``.
    """
    text = _BEFORE_COLON.sub(NBSP, str(text))
    text = _BEFORE_HIGH.sub(NNBSP, text)
    text = _AFTER_OPENING.sub(f"«{NBSP}", text)
    return _BEFORE_CLOSING.sub(f"{NBSP}»", text)


_TAG = re.compile(r"(<[^>]*>)")
_RAW_TEXT = re.compile(r"<(script|style|pre|textarea)\b", re.IGNORECASE)


def typography_html(html: str) -> str:
    """``typography`` on the text of an HTML document, never inside a tag (its attributes
    hold styles and URLs) nor in ``script``, ``style``, ``pre`` or ``textarea``."""
    parts, raw_until = [], None
    for part in _TAG.split(str(html)):
        if part.startswith("<"):
            if raw_until is None and (opening := _RAW_TEXT.match(part)):
                raw_until = f"</{opening.group(1).lower()}"
            elif raw_until and part.lower().startswith(raw_until):
                raw_until = None
            parts.append(part)
        else:
            parts.append(part if raw_until else typography(part))
    return "".join(parts)


def with_subtitle(title, subtitle) -> str:
    """« Modifier : Activité 1.1 », with the no-break space French puts before « : »."""
    return f"{title}{NBSP}: {subtitle}" if subtitle else str(title)
