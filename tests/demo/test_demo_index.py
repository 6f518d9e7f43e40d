"""``make run``'s demo comes with its index built: a certifier searching the demo finds
its pieces and narratives, and loading the demo again rebuilds the same index."""

import io

import pytest
from django.core.management import call_command

from search.api import backend, search
from search.base import Kind

pytestmark = pytest.mark.django_db


def test_the_demo_is_searchable_and_reindexed_idempotently(demo, certifier):
    counts = backend().counts()
    assert counts[Kind.EVIDENCE_PAGE] > 0
    assert counts[Kind.NARRATIVE] > 0
    results = search("trésorerie", user=certifier)
    assert results.total > 0
    assert {hit.kind for hit in results.hits} <= set(Kind.values)
    call_command("demo", stdout=io.StringIO())
    assert backend().counts() == counts
