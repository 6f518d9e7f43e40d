"""Criteria that a page's text seems to speak of: suggestions beside the form where an
evaluator links a passage to criteria. A human still accepts each one (the click only
ticks the criterion in the form; nothing is saved before they send it).

The few dozen criteria of a candidacy's targeted blocs are ranked in Python with the
index's own French analyser (``search.analysis``) and Okapi BM25 — the page's words as
the query, each criterion's text as a document. The criteria are not in the index (they
are référentiel data, not a dossier's text), and a ranking over so few texts costs
less than a round trip to an engine.
"""

import math
from collections import Counter
from dataclasses import dataclass

from search.analysis import terms

K1 = 1.2
B = 0.75
LIMIT = 3


@dataclass(frozen=True)
class Suggestion:
    criterion: object  # referentiel.models.Criterion
    score: float
    # The words of the page that the criterion shares, as stems (why it is suggested).
    shared: tuple[str, ...]


def suggest(page_text: str, criteria, *, limit: int = LIMIT) -> list[Suggestion]:
    """The ``limit`` criteria whose text best matches ``page_text``, best first (ties by
    id, so the same page always shows the same list); none shares a word: none."""
    page = Counter(terms(page_text))
    if not page:
        return []
    documents = [(criterion, Counter(terms(criterion.text))) for criterion in criteria]
    documents = [(criterion, counts) for criterion, counts in documents if counts]
    if not documents:
        return []
    average = sum(sum(counts.values()) for _, counts in documents) / len(documents)
    holding = Counter(term for _, counts in documents for term in counts)
    total = len(documents)
    ranked = []
    for criterion, counts in documents:
        length = sum(counts.values())
        score, shared = 0.0, []
        for term, in_page in page.items():
            frequency = counts.get(term, 0)
            if not frequency:
                continue
            idf = math.log(1 + (total - holding[term] + 0.5) / (holding[term] + 0.5))
            saturation = frequency * (K1 + 1) / (frequency + K1 * (1 - B + B * length / average))
            # A word the page repeats weighs more, with diminishing returns.
            score += idf * saturation * (1 + math.log(in_page))
            shared.append(term)
        if score > 0:
            ranked.append(Suggestion(criterion, score, tuple(sorted(shared))))
    ranked.sort(key=lambda s: (-s.score, s.criterion.pk))
    return ranked[:limit]
