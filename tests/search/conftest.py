import pytest
from django.conf import settings

from search import indexing, synonyms


@pytest.fixture(autouse=True)
def _fresh_synonyms():
    """The cached synonym list is read again by each test: a rolled-back or flushed test
    (tests/conftest.py seeds the list again after a flush) must not leave its list behind."""
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
