"""Test data, one module per app, re-exported here: ``from tests.factories import …``.

- ``tests.factories.vae``: ``UserFactory``.
- ``tests.factories.livret``: livret 1 and livret 2 as rows (``make_livret1``,
  ``make_dossier``).
- ``tests.factories.review``: evaluators, the panel, grids and consolidation, through the
  services (``form_panel``, ``submit_grids``, ``consolidate``) or as rows (``make_panel``,
  ``make_grids``, ``make_consolidation``).
- ``tests.factories.jury``: jury members, a composed session, a slot (``make_member``,
  ``make_session``, ``make_slot``), scheduling through the services (``schedule``).
- ``tests.factories.candidacies``: ``CandidacyFactory``, whose traits walk the real
  workflow (``CandidacyFactory(under_review=True)``) and whose ``state=`` sets a state.
"""

from tests.factories.candidacies import CandidacyFactory
from tests.factories.jury import make_member, make_session, make_slot, schedule
from tests.factories.livret import NARRATIVE_TEXT, PAYSLIP_PAGES, make_dossier, make_livret1
from tests.factories.review import (
    PANEL,
    EvaluatorFactory,
    consolidate,
    form_panel,
    make_consolidation,
    make_grids,
    make_panel,
    submit_grids,
)
from tests.factories.vae import UserFactory

__all__ = [
    "NARRATIVE_TEXT",
    "PANEL",
    "PAYSLIP_PAGES",
    "CandidacyFactory",
    "EvaluatorFactory",
    "UserFactory",
    "consolidate",
    "form_panel",
    "make_consolidation",
    "make_dossier",
    "make_grids",
    "make_livret1",
    "make_member",
    "make_panel",
    "make_session",
    "make_slot",
    "schedule",
    "submit_grids",
]
