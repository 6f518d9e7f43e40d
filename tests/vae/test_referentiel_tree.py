"""A candidacy reads its référentiel tree once per instance, and again when its targeted
blocs change or it is reloaded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CandidacyFactory

pytestmark = pytest.mark.django_db


def codes(candidacy) -> list[str]:
    return [bloc.code for bloc in candidacy.referentiel_tree()]


def test_the_tree_is_read_once_then_again_after_a_change(referentiel):
    candidacy = CandidacyFactory()
    assert codes(candidacy) == ["BC1", "BC2", "BC3"]
    with CaptureQueriesContext(connection) as captured:
        assert codes(candidacy) == ["BC1", "BC2", "BC3"]
    assert len(captured) == 0
    candidacy.targeted_blocs.set(candidacy.certification.blocs.filter(code="BC2"))
    assert codes(candidacy) == ["BC2"]
    # Another instance of the same row changed them: reloading reads them again.
    other = type(candidacy).objects.get(pk=candidacy.pk)
    other.targeted_blocs.set(candidacy.certification.blocs.filter(code="BC3"))
    candidacy.refresh_from_db()
    assert codes(candidacy) == ["BC3"]
