"""Ids and page numbers read from a URL, a query string or a form, in one place.

What a person (or a script) types there is text, and Python is generous with text that
looks like a number: ``"²".isdigit()`` is true but ``int("²")`` fails, ``int("١٢")`` is 12
(Arabic-Indic digits), ``int(" 7 ")`` and ``int("1_000")`` succeed, and a number past
2⁶³ − 1 passes ``int()`` then makes SQLite raise ``OverflowError`` (PostgreSQL a
``DataError``) as soon as it reaches a query the ORM does not range-check (a foreign key,
``__in``). Each of these was a server error. Here only ASCII digits within the range of a
signed 64-bit integer (what every database stores in an id column) are a number; anything
else is ``None``, which the caller turns into a 404 (URLs) or a French form error.

The ``id`` path converter (registered by ``referentiel.apps``, the lowest layer, so that
every app's URLs may use it) applies the same rule: ``<id:pk>`` instead of ``<id:pk>``,
and an id that cannot exist is a 404 before any view runs.

Pure: nothing of the project is imported here (an import-linter contract keeps it so).
"""

import re

from django import forms

# The largest value of a signed 64-bit integer: SQLite's INTEGER, PostgreSQL's bigint.
MAX_ID = 2**63 - 1
# Page numbers of a list or of a piece: far above any real one (a piece has at most a few
# hundred pages), low enough that arithmetic on it (offsets, page × per page) stays an id.
MAX_PAGE = 1_000_000

# ASCII digits only: ``\d`` and ``str.isdigit`` accept every script's digits and more.
DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value, *, maximum: int = MAX_ID) -> int | None:
    """``value`` as a non-negative integer of at most ``maximum``, or None if it is not one
    (None, empty, signs, spaces, non-ASCII digits, too large)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 <= number <= maximum else None


def parse_page(value) -> int | None:
    """A page number (1 and up, at most ``MAX_PAGE``), or None."""
    number = parse_id(value, maximum=MAX_PAGE)
    return number if number else None


def parse_prefixed_id(value, prefix: str) -> int | None:
    """The id of a choice written ``prefix`` + id (``piece-12``), or None."""
    if not isinstance(value, str) or not value.startswith(prefix):
        return None
    return parse_id(value[len(prefix) :])


class IdConverter:
    """``<id:name>``: an id in a URL path, matched like ``<id:…>`` but only within range.

    Django's ``int`` converter matches ``[0-9]+`` of any length; ``to_python`` raising
    ``ValueError`` makes the pattern not match, hence a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"not an id: {value!r}")
        return number

    def to_url(self, value) -> str:
        return str(value)


# A whole number as a person types it: an optional minus sign and ASCII digits.
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}")


class IntegerField(forms.IntegerField):
    """Django's ``IntegerField`` with the rule above: ASCII digits only (Django's reads
    « ١٢ » as 12) and bounded by default to what a database column holds, so that a number
    typed into a form never reaches a query or a save as something the database refuses.
    The field's own messages (``invalid``, ``min_value``, ``max_value``) stay in use."""

    def __init__(self, *, max_value=MAX_ID, min_value=-MAX_ID, **kwargs):
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not WHOLE_NUMBER.fullmatch(text):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            number = int(text)
        # Past what any column holds, the field's own « invalid » message (its bounds'
        # messages speak of the bounds a person could mean, not of 2⁶³).
        if abs(number) > MAX_ID:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
