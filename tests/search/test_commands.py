"""``search_reindex`` and ``search_status``: through the configured backend's methods."""

import io

import pytest
from django.core.management import CommandError, call_command

from search.base import Kind
from tests.factories import CandidacyFactory, UserFactory
from tests.search.support import add_evidence, keys, page_key
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db


def run(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two(referentiel):
    first = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    second = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    return (
        first,
        second,
        add_evidence(first, "Un", "Relevé bancaire", "Cachets"),
        add_evidence(second, "Deux", "Relevé bancaire"),
    )


def test_reindex_all_then_status(two):
    staff = UserFactory(role=Role.CERTIFIER)
    before = run("search_status")
    assert "Dernière indexation : jamais" in before
    assert "Retard : 2 textes modifiés" in before
    out = run("search_reindex")
    assert "candidatures indexées, 3 textes en" in out
    assert "[" not in out  # no progress bar when not on a terminal
    assert len(keys("relevé", staff)) == 2
    after = run("search_status")
    assert f"{Kind.EVIDENCE_PAGE.label}" in after
    assert "Total" in after and " 3\n" in after
    assert "Retard : aucun texte modifié depuis." in after


def test_reindex_one_candidacy(two):
    first, _second, piece, _other = two
    staff = UserFactory(role=Role.CERTIFIER)
    out = run("search_reindex", "--candidacy", str(first.pk))
    assert out.startswith("1 candidature indexée, 2 textes")
    assert keys("relevé", staff) == [page_key(piece)]


def test_reindex_refuses_an_unknown_candidacy_or_both_options(two):
    with pytest.raises(CommandError, match="introuvable"):
        run("search_reindex", "--candidacy", "999999")
    with pytest.raises(CommandError, match="ne vont pas ensemble"):
        run("search_reindex", "--candidacy", "1", "--resume")


def test_resume_after_everything_done_indexes_nothing_more(two):
    run("search_reindex")
    assert run("search_reindex", "--resume").startswith("0 candidature indexée, 0 texte")
