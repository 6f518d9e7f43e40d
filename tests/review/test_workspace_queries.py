"""The evaluator's pages run a fixed number of queries, whatever the size of the dossier.

A small dossier (one bloc, one piece, a handful of links) and a big one (26 compétences,
106 criteria, 40 pieces with their pages, 300 links) must cost the same number of
queries. Both hold at least one row of every kind, so that no prefetch is skipped on
the small one for lack of rows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import CompetenceLink, Evidence, EvidencePage
from review.enums import LinkVerdict, PassageKind
from review.models import CandidateLinkReview, CriterionLink
from tests.factories import CandidacyFactory, make_dossier, make_panel
from vae.enums import CandidacyState


def build_dossier(candidacy, panel, *, evidence_count, pages, candidate_links, criterion_links):
    """Grow the factory's dossier to the given size: pieces with extracted pages, the
    candidate's links with verdicts, and criterion links (mostly the first evaluator's,
    some of the others')."""
    dossier = candidacy.dossier
    mine, others = panel[0], panel[1:]
    competences = candidacy.targeted_competences()
    criteria = [c for competence in competences for c in competence.criteria.all()]
    narratives = list(dossier.narratives.all())
    Evidence.objects.bulk_create(
        Evidence(
            dossier=dossier,
            title=f"Pièce n° {i}",
            kind=EvidenceKind.BUDGET,
            file=f"{dossier.pk}/piece-{i}",
            original_name=f"piece-{i}.pdf",
            content_type=FileType.PDF,
            size=1000,
            sha256=f"{dossier.pk:08d}{i:056d}",
            page_count=pages,
            extraction_status=ExtractionStatus.READY,
            uploaded_by=candidacy.candidate,
        )
        for i in range(1, evidence_count)
    )
    evidence = list(Evidence.objects.filter(dossier=dossier).order_by("pk"))
    EvidencePage.objects.bulk_create(
        EvidencePage(
            evidence=item,
            number=n,
            text=f"{item.title}, page {n} :\r\nbudget, paie des intermittents, trésorerie.",
        )
        for item in evidence
        for n in range(1, item.page_count + 1)
    )
    existing = CompetenceLink.objects.filter(dossier=dossier).count()
    CompetenceLink.objects.bulk_create(
        CompetenceLink(
            dossier=dossier,
            competence=competences[i % len(competences)],
            evidence=evidence[i % len(evidence)] if i % 3 else None,
            narrative=None if i % 3 else narratives[i % len(narratives)],
            page_from=1 if i % 3 else None,
            page_to=min(2, pages) if i % 3 else None,
            justification=f"Justification n° {i} : la pièce montre la compétence.",
        )
        for i in range(existing, candidate_links)
    )
    reviews = []
    for i, link in enumerate(CompetenceLink.objects.filter(dossier=dossier).order_by("pk")):
        reviewer = (mine, *others)[i % 4]
        rejected = i % 5 == 0
        reviews.append(
            CandidateLinkReview(
                link=link,
                assignment=reviewer,
                verdict=LinkVerdict.REJECTED if rejected else LinkVerdict.ACCEPTED,
                reason="Pièce sans rapport." if rejected else "",
            )
        )
    CandidateLinkReview.objects.bulk_create(reviews)
    links = []
    for i in range(criterion_links):
        owner = mine if i % 5 else others[i % len(others)]
        kind = (PassageKind.NARRATIVE, PassageKind.PAGE_TEXT, PassageKind.PAGE)[i % 3]
        item = evidence[i % len(evidence)]
        narrative = narratives[i % len(narratives)]
        start = i % 20
        if kind == PassageKind.NARRATIVE:
            links.append(
                CriterionLink(
                    assignment=owner,
                    kind=kind,
                    narrative=narrative,
                    start=start,
                    end=start + 15,
                    quote=narrative.text[start : start + 15],
                )
            )
        elif kind == PassageKind.PAGE_TEXT:
            links.append(
                CriterionLink(
                    assignment=owner,
                    kind=kind,
                    evidence=item,
                    page=1,
                    start=0,
                    end=len(item.title),
                    quote=item.title,
                )
            )
        else:
            links.append(CriterionLink(assignment=owner, kind=kind, evidence=item, page=pages))
    links = CriterionLink.objects.bulk_create(links)
    through = CriterionLink.criteria.through
    through.objects.bulk_create(
        through(criterionlink_id=link.pk, criterion_id=criteria[(i * 7 + k) % len(criteria)].pk)
        for i, link in enumerate(links)
        for k in range(1 + i % 3)
    )
    return evidence


def small_review(referentiel):
    """One bloc (BC3: 6 compétences), one piece of 2 pages, a few links of each kind."""
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier=None)
    candidacy.targeted_blocs.set(candidacy.certification.blocs.filter(code="BC3"))
    make_dossier(candidacy)
    panel = make_panel(candidacy)
    evidence = build_dossier(
        candidacy, panel, evidence_count=1, pages=2, candidate_links=6, criterion_links=6
    )
    return candidacy, panel, evidence


def big_review(referentiel):
    """The whole référentiel (26 compétences, 106 criteria), 40 pieces of 3 pages, 150
    candidate links and 150 criterion links."""
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW)
    panel = make_panel(candidacy)
    evidence = build_dossier(
        candidacy, panel, evidence_count=40, pages=3, candidate_links=150, criterion_links=150
    )
    return candidacy, panel, evidence


def count_queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site, settings) out of the count
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def reviews(referentiel):
    return small_review(referentiel), big_review(referentiel)


def test_big_dossier_has_the_announced_size(reviews):
    _small, (candidacy, _panel, evidence) = reviews
    assert len(candidacy.targeted_competences()) == 26
    assert sum(c.criteria.count() for c in candidacy.targeted_competences()) == 106
    assert len(evidence) == 40
    # 39 pieces of 3 pages and the factory's piece of 2.
    assert EvidencePage.objects.filter(evidence__in=evidence).count() == 39 * 3 + 2
    links = CompetenceLink.objects.filter(dossier__candidacy=candidacy).count()
    links += CriterionLink.objects.filter(assignment__candidacy=candidacy).count()
    assert links == 300


def test_dossier_page_queries_do_not_grow_with_the_dossier(client, reviews):
    counts = []
    for _candidacy, panel, _evidence in reviews:
        client.force_login(panel[0].evaluator)
        counts.append(count_queries(client, reverse("review:dossier", args=[panel[0].pk])))
    small, big = counts
    assert small == big, f"small dossier: {small} queries, big dossier: {big}"
    # And the count itself stays modest (it was 22 when this test was written).
    assert big <= 30


def test_evidence_page_queries_do_not_grow_with_the_dossier(client, reviews):
    counts = []
    for _candidacy, panel, evidence in reviews:
        client.force_login(panel[0].evaluator)
        url = reverse("review:evidence_page", args=[panel[0].pk, evidence[0].pk, 1])
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts


def test_workspace_queries_do_not_grow_with_assignments(client, reviews):
    (_small, small_panel, _e), (_big, big_panel, _f) = reviews
    evaluator = small_panel[0].evaluator
    client.force_login(evaluator)
    one = count_queries(client, reverse("review:workspace"))
    big_panel[0].evaluator = evaluator
    big_panel[0].save()
    two = count_queries(client, reverse("review:workspace"))
    assert one == two
