import pytest
from django.conf import settings

from search import indexing


@pytest.fixture(autouse=True)
def _empty_elasticsearch_index():
    """On Elasticsearch (VAE_SEARCH_BACKEND=elasticsearch, see the README) the index lives
    outside the test's rolled-back transaction, and the database reuses the ids of rolled
    back rows: each test starts from an empty index. The database backend needs nothing."""
    if settings.VAE_SEARCH_BACKEND == "elasticsearch":
        indexing.backend().clear()
    yield
