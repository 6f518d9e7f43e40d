import importlib

import pytest
from django.conf import settings

from search import indexing, synonyms
from search.models import Synonym

SEEDED = importlib.import_module("search.migrations.0003_seed_synonyms").SYNONYMS


@pytest.fixture(autouse=True)
def _seeded_synonyms(request):
    """The synonym list as the data migration seeds it. A browser test (a transactional
    test) run earlier on the same worker flushes every table, the migration's rows too,
    and the cached list with them: database tests start from the seeded list."""
    if request.node.get_closest_marker("django_db") is None and not {
        "db",
        "transactional_db",
        "referentiel",
    } & set(request.fixturenames):
        yield
        return
    transactional = "transactional_db" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    for term, equivalents in SEEDED.items():
        Synonym.objects.get_or_create(term=term, defaults={"equivalents": "\n".join(equivalents)})
    synonyms.invalidate()
    yield
    synonyms.invalidate()


@pytest.fixture(autouse=True)
def _empty_elasticsearch_index():
    """On Elasticsearch (VAE_SEARCH_BACKEND=elasticsearch, see the README) the index lives
    outside the test's rolled-back transaction, and the database reuses the ids of rolled
    back rows: each test starts from an empty index. The database backend needs nothing."""
    if settings.VAE_SEARCH_BACKEND == "elasticsearch":
        indexing.backend().clear()
    yield
