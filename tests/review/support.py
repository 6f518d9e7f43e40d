"""Helpers shared by the review tests (not a test module)."""

from html.parser import HTMLParser

from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import CompetenceLink, Evidence, EvidencePage
from review.enums import LinkVerdict, PassageKind
from review.models import CandidateLinkReview, CriterionLink
from tests.accounts import log_in
from tests.factories import CandidacyFactory, make_panel
from vae.enums import CandidacyState


def add_pages(candidacy, texts=("Bulletin de paie — janvier 2024", "Attestation employeur")):
    """The extracted text of the factory's PDF, as the extraction task would store it."""
    evidence = Evidence.objects.get(dossier__candidacy=candidacy)
    EvidencePage.objects.bulk_create(
        EvidencePage(evidence=evidence, number=n, text=text) for n, text in enumerate(texts, 1)
    )
    return evidence


def login(client, user):
    log_in(client, user)
    return client


class SourceTexts(HTMLParser):
    """The textContent of every ``[data-source]`` element, as a browser would see it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._stack = {}, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._stack:
            self._stack.append(None)
        elif "data-source" in attrs:
            self._stack.append(attrs["data-source"])
            self.texts[attrs["data-source"]] = ""

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack:
            self.texts[self._stack[0]] += data


def source_texts(response) -> dict:
    parser = SourceTexts()
    parser.feed(response.content.decode())
    return parser.texts


# -- dossiers of a given size (query counts, benchmarks) ---------------------------------


def extracted_piece(candidacy, *, title, pages, index) -> Evidence:
    """A PDF of ``pages`` pages for the candidacy's dossier, its text extracted (not
    saved: one row or many at once); ``index`` tells it from the dossier's other pieces."""
    dossier = candidacy.dossier
    return Evidence(
        dossier=dossier,
        title=title,
        kind=EvidenceKind.BUDGET,
        file=f"{dossier.pk}/piece-{index}",
        original_name=f"piece-{index}.pdf",
        content_type=FileType.PDF,
        size=1000,
        sha256=f"{dossier.pk:08d}{index:056d}",
        page_count=pages,
        extraction_status=ExtractionStatus.READY,
        uploaded_by=candidacy.candidate,
    )


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
        extracted_piece(candidacy, title=f"Pièce n° {i}", pages=pages, index=i)
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
    candidacy = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, blocs=["BC3"])
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
