"""The synonym list as the query parser reads it: each form of a term (the term or one of
its equivalents), analysed, leads to the other forms as typed. Read from the cache; a
change in the back office empties it (``invalidate``, connected in ``apps.py``)."""

from django.core.cache import cache

from search.analysis import analysed
from search.models import Synonym

CACHE_KEY = "search:synonyms:v1"


def _build() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for synonym in Synonym.objects.order_by("pk"):
        forms = [synonym.term, *synonym.equivalent_list]
        for form in forms:
            key = analysed(form)
            if not key:
                continue
            known = table.setdefault(key, [])
            for other in forms:
                other_key = analysed(other)
                if other_key and other_key != key and other not in known:
                    known.append(other)
    return {key: tuple(forms) for key, forms in table.items()}


def table() -> dict[str, tuple[str, ...]]:
    """Analysed form → the other forms, as typed."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = _build()
        cache.set(CACHE_KEY, found, None)
    return found


def equivalents(text: str) -> tuple[str, ...]:
    return table().get(analysed(text), ())


def longest_terms() -> int:
    """The most words (analysed) of a form of the list: how far the query parser looks
    for a synonym spelled in several words."""
    return max((len(key.split()) for key in table()), default=1)


def invalidate(**_signal_arguments) -> None:
    cache.delete(CACHE_KEY)
