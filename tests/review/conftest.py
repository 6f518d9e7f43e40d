"""Fixtures of the evaluator's pages: a candidacy under review with its extracted pages,
its panel, one assignment, the evidence and a narrative. Modules needing another state
define their own ``candidacy``."""

import pytest

from livret.models import Evidence
from tests.factories import CandidacyFactory, make_panel
from tests.review.support import add_pages
from vae.enums import CandidacyState


@pytest.fixture
def candidacy(referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    add_pages(candidacy)
    return candidacy


@pytest.fixture
def panel(candidacy):
    return make_panel(candidacy)


@pytest.fixture
def assignment(panel):
    return panel[0]


@pytest.fixture
def evidence(candidacy):
    return Evidence.objects.get(dossier__candidacy=candidacy)


@pytest.fixture
def narrative(candidacy):
    return candidacy.dossier.narratives.order_by("activity__bloc__sort_order", "pk").first()
