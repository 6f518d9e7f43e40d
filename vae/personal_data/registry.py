"""What each app holds about a person, registered by the app that owns it.

An archive section is ``collect(user) -> JSON-able data`` and, optionally,
``files(user) -> iterable of ArchiveFile``. A purger is ``purge_files(candidacies,
apply=bool)`` (the files of candidacies past the retention period) and
``anonymise(users, apply=bool)`` (the identities of people past it), each returning the
French lines that describe what was (or, when ``apply`` is false, would be) done.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any


@dataclass(frozen=True)
class ArchiveFile:
    """One file of the archive: its path inside the ZIP and how to open it (lazily: the
    archive is streamed, one file open at a time)."""

    name: str
    open: Callable[[], IO[bytes]]


@dataclass(frozen=True)
class Section:
    key: str
    collect: Callable[..., Any]
    files: Callable[..., Iterable[ArchiveFile]] | None = None
    # The archive lists the sections by this rank: the account first, then the livrets,
    # the review, the jury, whatever order the apps load in.
    rank: int = 100


def _nothing(queryset, *, apply):
    return []


@dataclass(frozen=True)
class Purger:
    key: str
    purge_files: Callable[..., list[str]] = _nothing
    anonymise: Callable[..., list[str]] = _nothing


_sections: dict[str, Section] = {}
_purgers: dict[str, Purger] = {}


def register_section(key: str, *, collect, files=None, rank=100) -> None:
    """Add (or replace: idempotent) the part of the archive named ``key``."""
    _sections[key] = Section(key, collect, files, rank)


def register_purger(key: str, *, purge_files=_nothing, anonymise=_nothing) -> None:
    _purgers[key] = Purger(key, purge_files, anonymise)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: section.rank)


def purgers() -> list[Purger]:
    return list(_purgers.values())
