"""Credential numbers: unguessable, easy to read aloud and to type from paper.

Sixteen characters of Crockford's base 32 (80 random bits: nobody finds a valid number by
trying, even at the rate limit's pace for centuries), printed in groups of four. Typing
is forgiven the way Crockford intended: case, spaces and hyphens do not matter, O is read
as 0, I and L as 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4
# The printed form: groups and their hyphens.
PRINTED_LENGTH = LENGTH + LENGTH // GROUP - 1
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_number() -> str:
    return _printed("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalize(typed: str) -> str | None:
    """The printed form of a number as someone typed it, or None when it cannot be one."""
    if not isinstance(typed, str) or len(typed) > 3 * PRINTED_LENGTH:
        return None
    compact = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(compact) != LENGTH or any(character not in ALPHABET for character in compact):
        return None
    return _printed(compact)


def _printed(compact: str) -> str:
    return "-".join(compact[start : start + GROUP] for start in range(0, LENGTH, GROUP))
