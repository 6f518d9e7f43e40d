"""The index follows the texts through the domain signals, in a task after the commit:
an upload once extracted is found, an edited narrative is found by its new words and not
its old ones, a removed or withdrawn piece is gone, a note is found once saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries

from livret.dossier.evidence.services import delete_evidence, upload_evidence, withdraw_evidence
from livret.dossier.links.services import add_link, delete_link
from livret.dossier.narratives.services import save_narrative
from livret.dossier.services import dossier_for
from livret.enums import EvidenceKind
from review import services as review_services
from review.enums import PassageKind
from search import indexing
from search.api import delete_document, index_document, search
from search.backends.database import DatabaseBackend
from search.base import Kind
from search.models import IndexState
from tests.factories import CandidacyFactory
from tests.factories.review import make_panel
from tests.pdf_samples import text_pdf
from tests.search.support import add_evidence, keys, page_key, rebuild
from vae import services as candidacy_services
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db


@pytest.fixture
def eligible(referentiel):
    return CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")


def upload(candidacy, *texts):
    return upload_evidence(
        dossier=dossier_for(candidacy),
        by=candidacy.candidate,
        uploaded=SimpleUploadedFile("piece.pdf", text_pdf(list(texts)), "application/pdf"),
        title="Bulletins",
        kind=EvidenceKind.PAYSLIP,
    ).evidence


def test_an_upload_is_found_once_its_text_is_extracted(
    eligible, certifier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = upload(eligible, "Paie des intermittents", "Cotisations de mars")
    assert keys("intermittents", certifier) == [page_key(evidence, 1)]
    assert keys("cotisation", eligible.candidate) == [page_key(evidence, 2)]
    assert IndexState.objects.get(backend="database").last_indexed_at is not None


def test_nothing_is_indexed_before_the_commit(
    eligible, certifier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        upload(eligible, "Paie des intermittents")
    assert keys("intermittents", certifier) == []


def test_a_deleted_piece_is_gone(eligible, certifier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = upload(eligible, "Paie des intermittents")
    with django_capture_on_commit_callbacks(execute=True):
        delete_evidence(evidence=evidence, by=eligible.candidate)
    assert keys("intermittents", certifier) == []


def test_a_withdrawn_piece_is_gone(referentiel, certifier, django_capture_on_commit_callbacks):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    evidence = add_evidence(candidacy, "Échéancier", "Échéancier des acomptes")
    candidacy_services.submit_dossier(candidacy=candidacy, by=candidacy.candidate)
    candidacy_services.return_dossier(candidacy=candidacy, by=certifier, comment="Complétez.")
    rebuild()
    assert keys("acomptes", certifier) == [page_key(evidence)]
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_evidence(evidence=evidence, by=candidacy.candidate)
    assert keys("acomptes", certifier) == []


def test_an_edited_narrative_is_found_by_its_new_words_only(
    eligible, certifier, django_capture_on_commit_callbacks
):
    target = (dossier_for(eligible), eligible.referentiel_tree()[0].activities.all()[0])
    with django_capture_on_commit_callbacks(execute=True):
        first = save_narrative(target, eligible.candidate, "J'ai négocié les cachets.", 0)
    key = f"{Kind.NARRATIVE}:{first.narrative.pk}"
    assert keys("cachet", certifier) == [key]
    with django_capture_on_commit_callbacks(execute=True):
        save_narrative(
            target, eligible.candidate, "J'ai bouclé le financement.", first.narrative.version
        )
    assert keys("cachet", certifier) == []
    assert keys("financement", certifier) == [key]
    hit = search("financement", user=certifier).hits[0]
    assert hit.title.startswith("Récit — ")


def test_an_evaluators_note_is_found_once_saved_and_gone_once_deleted(
    referentiel, django_capture_on_commit_callbacks
):
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    evidence = add_evidence(candidacy, "Budget", "Budget du film")
    assignment = make_panel(candidacy)[0]
    criterion = candidacy.targeted_competences()[0].criteria.first()
    with django_capture_on_commit_callbacks(execute=True):
        link = review_services.add_criterion_link(
            assignment=assignment,
            by=assignment.evaluator,
            kind=PassageKind.PAGE,
            evidence=evidence,
            page=1,
            criteria=[criterion],
            comment="Le budget montre la maîtrise des dépassements.",
        )
    assert keys("dépassement", assignment.evaluator) == [f"{Kind.PASSAGE}:{link.pk}"]
    with django_capture_on_commit_callbacks(execute=True):
        review_services.delete_criterion_link(link=link, by=assignment.evaluator)
    assert keys("dépassement", assignment.evaluator) == []


def test_index_document_and_delete_document(eligible, certifier):
    evidence = add_evidence(eligible, "Relevé", "Relevé bancaire")
    assert index_document(evidence) == 1
    assert keys("bancaire", certifier) == [page_key(evidence)]
    assert delete_document(page_key(evidence)) == 1
    assert keys("bancaire", certifier) == []


def test_a_state_change_reindexes_the_candidacy(
    referentiel, certifier, django_capture_on_commit_callbacks
):
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    add_evidence(candidacy, "Relevé", "Relevé bancaire")
    rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        candidacy_services.submit_dossier(candidacy=candidacy, by=candidacy.candidate)
    assert keys("bancaire", certifier, state=CandidacyState.DOSSIER_SUBMITTED) != []
    assert keys("bancaire", certifier, state=CandidacyState.ELIGIBLE) == []


def test_reindex_resumes_after_the_last_candidacy_done(referentiel, certifier):
    first = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    second = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    add_evidence(first, "Un", "Relevé bancaire")
    add_evidence(second, "Deux", "Relevé bancaire")
    done = []
    with pytest.raises(KeyboardInterrupt):

        def stop_after_first(progress, pk):
            done.append(pk)
            raise KeyboardInterrupt

        indexing.reindex(on_candidacy=stop_after_first)
    assert done == [first.pk]
    assert indexing.state().reindex_last_candidacy == first.pk
    assert indexing.candidacy_count(resume=True) == indexing.candidacy_count() - 1
    progress = indexing.reindex(resume=True)
    assert progress.candidacies == indexing.candidacy_count() - 1
    assert len(keys("bancaire", certifier)) == 2
    assert indexing.state().reindex_finished_at is not None


def test_a_reindex_with_debug_on_forgets_each_candidacy_s_queries(referentiel, settings):
    """DEBUG on, Django logs each query with its parameters (the pages' texts): a reindex
    forgets them after each candidacy, or its memory would grow with the corpus."""
    first = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    second = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    add_evidence(first, "Un", "Relevé bancaire de la première")
    add_evidence(second, "Deux", "Relevé bancaire de la seconde")
    settings.DEBUG = True
    reset_queries()
    indexing.reindex_candidacy(first.pk)
    # The log keeps the texts written (what the reindex must not pile up).
    assert "la première" in " ".join(query["sql"] for query in connection.queries)
    reset_queries()
    indexing.reindex()
    logged = " ".join(query["sql"] for query in connection.queries)
    assert "la première" not in logged
    assert "la seconde" not in logged


def test_a_full_reindex_goes_through_a_swapping_backend_s_rebuild(
    referentiel, certifier, monkeypatch
):
    """Elasticsearch loads a new index and swaps its alias (``rebuild``): a fresh full run
    hands it every entry in one stream, the old index served until the swap."""

    class Swapping(DatabaseBackend):
        streams = []

        def rebuild(self, entries):
            self.streams.append(entries)
            return super().rebuild(entries)

    swapping = Swapping()
    monkeypatch.setattr(indexing, "backend", lambda: swapping)
    first = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    second = CandidacyFactory(state=CandidacyState.ELIGIBLE, dossier="empty")
    add_evidence(first, "Un", "Relevé bancaire")
    add_evidence(second, "Deux", "Relevé bancaire")
    seen = []
    progress = indexing.reindex(on_candidacy=lambda progress, pk: seen.append(pk))
    assert len(Swapping.streams) == 1
    assert seen == sorted(seen) and {first.pk, second.pk} <= set(seen)
    assert progress.candidacies == indexing.candidacy_count()
    assert progress.entries >= 2
    assert len(keys("bancaire", certifier)) == 2
    # Nothing to resume after a swap: the new index is whole or was never used.
    assert indexing.state().reindex_last_candidacy is None


def test_a_link_added_or_deleted_files_the_page_under_its_competence(
    eligible, certifier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evidence = upload(eligible, "Paie des intermittents")
    competence = eligible.targeted_competences()[0]
    assert keys("intermittents", certifier, competence=competence.code) == []
    with django_capture_on_commit_callbacks(execute=True):
        link = add_link(
            dossier=dossier_for(eligible),
            by=eligible.candidate,
            competence=competence,
            evidence=evidence,
            page_from=1,
            page_to=1,
            justification="Les bulletins que j'ai établis.",
        ).link
    assert keys("intermittents", certifier, competence=competence.code) == [page_key(evidence)]
    with django_capture_on_commit_callbacks(execute=True):
        delete_link(link=link, by=eligible.candidate)
    assert keys("intermittents", certifier, competence=competence.code) == []
    assert keys("intermittents", certifier) == [page_key(evidence)]


def test_writes_inside_paused_index_nothing_even_at_their_commit(
    eligible, certifier, django_capture_on_commit_callbacks
):
    """The demo's writes: it rebuilds the index itself once they are committed."""
    complete = CandidacyFactory(state=CandidacyState.ELIGIBLE)  # its livret 2 ready
    with indexing.paused(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        evidence = upload(eligible, "Paie des intermittents")
        candidacy_services.submit_dossier(candidacy=complete, by=complete.candidate)
    assert callbacks  # the commit's work ran (the text extracted), inside the pause
    assert not indexing.is_paused()
    # Neither the piece nor the transition indexed anything.
    assert not IndexState.objects.filter(last_indexed_at__isnull=False).exists()
    assert keys("intermittents", certifier) == []
    indexing.reindex()
    assert keys("intermittents", certifier) == [page_key(evidence)]
    # Out of the pause, the signals index again.
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(eligible, "Cotisations des intermittents")
    assert sorted(keys("intermittents", certifier)) == sorted(
        [page_key(evidence), page_key(second)]
    )
