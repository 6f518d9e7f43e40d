"""Pure rules of the livrets: whose name a sworn statement may carry.

A sworn statement is signed by the candidate, so the name typed under it must be theirs:
one or more of the first names they declared with their birth name or their usage name,
compared the way a person reads names (case, accents, spaces, hyphens, apostrophes and
the order of first and last name do not matter).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from django.utils.translation import gettext as _

# A first name may be compound (« Jean-Pierre »): its parts are kept together.
FIRST_NAME_SEPARATORS = re.compile(r"[\s,]+")
NAME_PARTS = re.compile(r"[^\w]+")


def name_tokens(value: str) -> list[str]:
    """The words of a name, without accents, in lower case: « Le Goff-Hervé » → le, goff, herve."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return [part for part in NAME_PARTS.split(plain.replace("_", " ")) if part]


@dataclass(frozen=True)
class Identity:
    """The names a candidate may sign with: declared first names and family names."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


def identity_of(*, first_names="", birth_name="", usage_name="", account=None) -> Identity:
    """The livret 1 identity, completed by the account's names (both are the candidate's:
    the account is what they registered with, the livret what their papers say)."""
    firsts = [part for part in FIRST_NAME_SEPARATORS.split(first_names or "") if part]
    lasts = [name for name in (usage_name, birth_name) if (name or "").strip()]
    if account is not None:
        if (account.first_name or "").strip():
            firsts.append(account.first_name.strip())
        if (account.last_name or "").strip():
            lasts.append(account.last_name.strip())
    return Identity(tuple(dict.fromkeys(firsts)), tuple(dict.fromkeys(lasts)))


def _units(identity: Identity) -> list[Counter]:
    return [Counter(name_tokens(name)) for name in identity.first_names if name_tokens(name)]


def is_identity_name(signed: str, identity: Identity) -> bool:
    """Whether ``signed`` is the candidate's name: a family name (birth or usage) with one
    or more of their first names, whole, in any order."""
    signed_tokens = Counter(name_tokens(signed))
    if not signed_tokens:
        return False
    units = _units(identity)
    for last in identity.last_names:
        rest = signed_tokens - Counter(name_tokens(last))
        if not name_tokens(last) or rest + Counter(name_tokens(last)) != signed_tokens:
            continue  # the family name is not (wholly) in the signature
        if not rest:
            continue  # a family name alone is not a signature
        for size in range(1, len(units) + 1):
            for chosen in combinations(units, size):
                if sum(chosen, Counter()) == rest:
                    return True
    return False


def sworn_name_problem(signed: str, identity: Identity, expected: str) -> str:
    """Why ``signed`` cannot sign the candidate's statement, in French ("" when it can)."""
    if is_identity_name(signed, identity):
        return ""
    return _(
        "« %(name)s » ne correspond pas à votre identité (%(expected)s) : signez de votre "
        "prénom et de votre nom de naissance ou d'usage, tels que déclarés dans la section "
        "Identité du livret 1."
    ) % {"name": signed, "expected": expected or _("section Identité non remplie")}
