"""Template filters of French formatting (``referentiel.french``): ``{% load french %}``.

Like Django's own filters they never raise while a page renders: an empty value (None,
"") gives "", a value of the wrong kind is shown unchanged (numbers) or as "" (dates).
Django's ``|date`` stays for machine formats only (``datetime="{{ d|date:'c' }}"``).

    {{ d|date_fr }}                 1er décembre 2026
    {{ d|date_fr:"weekday" }}       mardi 1er décembre 2026
    {{ d|date_fr:"month" }}         décembre 2026
    {{ d|date_fr:"numeric" }}       01/12/2026
    {{ d|datetime_fr }}             1er décembre 2026 à 14 h 05
    {{ d|time_fr }}                 14 h 05
    {{ n|number_fr }}               1 234,5       {{ n|number_fr:2 }}  1 234,50
    {{ n|percent_fr }}              85 %
    {{ n|plural:"compétence" }}     3 compétences
    {{ n|plural:"niveau,niveaux" }} 2 niveaux (0 and 1 take the singular)
    {{ n|plural_form:"a,ont" }}     ont (the agreeing form, without the count)
    {{ text|typo }}                 no-break spaces before « : ; ! ? » and inside « »
    {{ d|time_ago|capfirst }}       Il y a 3 heures, À l'instant
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.safestring import SafeData, mark_safe

from referentiel import french as fr

register = template.Library()

DATE_STYLES = {
    "": fr.date,
    "weekday": lambda value: fr.date(value, weekday=True),
    "month": fr.month_year,
    "numeric": fr.numeric_date,
}


def _is_date(value) -> bool:
    return isinstance(value, datetime.date)


@register.filter
def date_fr(value, style=""):
    """A date (or the date of a datetime) in words; ``style``: weekday, month, numeric."""
    if not _is_date(value) or style not in DATE_STYLES:
        return ""
    return DATE_STYLES[style](value)


@register.filter
def datetime_fr(value, style=""):
    """« 1er décembre 2026 à 14 h 05 » (« mardi 1er… » with "weekday"); a date alone."""
    if not _is_date(value) or style not in ("", "weekday"):
        return ""
    return fr.datetime(value, weekday=style == "weekday")


@register.filter
def time_fr(value):
    """« 14 h 05 », from a datetime or a time."""
    if not isinstance(value, datetime.datetime | datetime.time):
        return ""
    return fr.time(value)


@register.filter
def duration_fr(value):
    """« 50 minutes », « 1 h 15 », from a timedelta or a number of minutes."""
    try:
        return fr.duration(value)
    except (TypeError, ValueError):
        return ""


def _number(value):
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return value


@register.filter
def number_fr(value, decimals=None):
    """« 1 234,5 »; with an argument, that many decimal places (« 0,50 »)."""
    if value is None or value == "":
        return ""
    number = _number(value)
    if number is None:
        return value
    try:
        return fr.number(number, None if decimals in (None, "") else int(decimals))
    except (TypeError, ValueError):
        return value


@register.filter
def percent_fr(value, decimals=0):
    """« 85 % » from 85."""
    if value is None or value == "":
        return ""
    number = _number(value)
    if number is None:
        return value
    try:
        return fr.percent(number, int(decimals))
    except (TypeError, ValueError):
        return value


def _forms(arg) -> tuple[str, str | None] | None:
    forms = str(arg).split(",")
    if len(forms) > 2 or not forms[0]:
        return None
    return forms[0], forms[1] if len(forms) == 2 else None


def _as_safe_as(arg, text):
    # The forms are usually a literal of the template, which Django marks safe: « n'a »
    # then stays as written instead of being escaped to « n&#x27;a ».
    return mark_safe(text) if isinstance(arg, SafeData) else text


@register.filter
def plural(count, arg):
    """« 3 compétences »: the count and the form that agrees with it. The argument is
    "singular" (plural with an « s ») or "singular,plural", words or whole phrases."""
    forms = _forms(arg)
    number = _number(count)
    if forms is None or number is None:
        return ""
    return _as_safe_as(arg, fr.plural(number, *forms))


@register.filter
def plural_form(count, arg):
    """Only the form that agrees with ``count``: ``{{ n|plural_form:"reste,restent" }}``."""
    forms = _forms(arg)
    number = _number(count)
    if forms is None or number is None:
        return ""
    return _as_safe_as(arg, fr.plural_form(number, *forms))


@register.filter(is_safe=True)
def typo(value):
    """No-break spaces before « : ; ! ? » and inside « », in a plain string."""
    if value is None:
        return ""
    text = fr.typography(value)
    return _as_safe_as(value, text)


@register.filter
def time_ago(value):
    """« il y a 3 heures », « à l'instant »: ``{{ date|time_ago|capfirst }}``."""
    return fr.time_ago(value) if value else ""
