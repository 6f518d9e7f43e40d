"""The candidate's links to compétences and no-evidence reasons: the services (what they
refuse, what they unsign) and the pages (French messages, values kept, nothing written
when refused)."""

import re

import pytest

from livret.dossier.coverage import coverage
from livret.dossier.links import services as links
from livret.models import CompetenceLink, Narrative, NoEvidenceReason
from referentiel.models import Bloc
from tests.factories import CandidacyFactory
from tests.livret.dossier.support import (
    JUSTIFICATION,
    competence,
    make_evidence,
    page,
    sign,
    snapshot,
    url,
    withdraw,
)
from vae.enums import CandidacyState
from vae.workflow import TransitionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(eligible):
    return eligible.dossier


@pytest.fixture
def piece(dossier):
    return make_evidence(dossier, "Devis du long métrage", pages=3)


def narrative(dossier, code):
    return Narrative.objects.get(dossier=dossier, activity__code=code)


def form_data(competence_obj, target, **extra):
    prefix = "piece-" if target.__class__.__name__ == "Evidence" else "recit-"
    return {
        "competence": str(competence_obj.pk),
        "source": f"{prefix}{target.pk}",
        "page_from": "",
        "page_to": "",
        "justification": JUSTIFICATION,
        **extra,
    }


# -- services ------------------------------------------------------------------------------


def test_add_link_writes_and_unsigns(eligible, dossier, piece):
    assert dossier.is_signed
    outcome = links.add_link(
        dossier=dossier,
        by=eligible.candidate,
        competence=competence("C2.2", eligible),
        evidence=piece,
        page_from=2,
        page_to=3,
        justification=f"  {JUSTIFICATION}  ",
    )
    assert outcome.changed and outcome.unsigned
    link = outcome.link
    assert (link.page_from, link.page_to, link.justification) == (2, 3, JUSTIFICATION)
    dossier.refresh_from_db()
    assert not dossier.is_signed and dossier.sworn_name  # « à signer de nouveau »


def test_add_link_single_page_given_as_first_page(eligible, dossier, piece):
    link = links.add_link(
        dossier=dossier,
        by=eligible.candidate,
        competence=competence("C2.2", eligible),
        evidence=piece,
        page_from=2,
        justification=JUSTIFICATION,
    ).link
    assert (link.page_from, link.page_to) == (2, 2)


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ((0, 1), "La première page est au moins la page 1."),
        ((3, 2), "La dernière page du passage ne peut pas précéder la première."),
        ((2, 4), "Cette pièce n'a que 3 page(s) : la page 4 n'existe pas."),
        ((4, None), "Cette pièce n'a que 3 page(s) : la page 4 n'existe pas."),
        ((None, 2), "Indiquez la première page du passage."),
    ],
)
def test_add_link_refuses_a_bad_page_range(eligible, dossier, piece, pages, message):
    before = snapshot(eligible)
    with pytest.raises(TransitionRefused) as refused:
        links.add_link(
            dossier=dossier,
            by=eligible.candidate,
            competence=competence("C2.2", eligible),
            evidence=piece,
            page_from=pages[0],
            page_to=pages[1],
            justification=JUSTIFICATION,
        )
    assert refused.value.message == message
    assert snapshot(eligible) == before


def test_add_link_refuses_what_is_not_in_this_dossier(eligible, dossier, referentiel):
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    other_piece = other.dossier.evidence.get()
    other_narrative = narrative(other.dossier, "1.1")
    before = snapshot(eligible)
    for kwargs, message in [
        ({"evidence": other_piece}, "Cette pièce ne fait pas partie de votre dossier."),
        ({"narrative": other_narrative}, "Ce récit ne fait pas partie de votre dossier."),
        ({}, "Choisissez une pièce justificative ou un récit (un seul)."),
        (
            {"evidence": dossier.evidence.get(), "narrative": narrative(dossier, "1.1")},
            "Choisissez une pièce justificative ou un récit (un seul).",
        ),
    ]:
        with pytest.raises(TransitionRefused) as refused:
            links.add_link(
                dossier=dossier,
                by=eligible.candidate,
                competence=competence("C1.1", eligible),
                justification=JUSTIFICATION,
                **kwargs,
            )
        assert refused.value.message == message
    assert snapshot(eligible) == before


def test_add_link_refuses_a_competence_not_targeted(eligible, dossier, piece):
    request = eligible.eligibility_request
    request.candidacy.targeted_blocs.set(
        Bloc.objects.filter(code="BC1", certification=eligible.certification)
    )
    before = snapshot(eligible)
    with pytest.raises(TransitionRefused) as refused:
        links.add_link(
            dossier=dossier,
            by=eligible.candidate,
            competence=competence("C2.2", eligible),
            evidence=piece,
            justification=JUSTIFICATION,
        )
    assert refused.value.message == "Cette compétence ne fait pas partie des blocs que vous visez."
    assert snapshot(eligible) == before


def test_add_link_refuses_withdrawn_or_replaced_evidence(eligible, dossier, piece):
    withdraw(piece)
    replaced = make_evidence(dossier, "Budget v1", pages=1)
    make_evidence(dossier, "Budget v2", pages=1, replaces=replaced)
    before = snapshot(eligible)
    for evidence in (piece, replaced):
        with pytest.raises(TransitionRefused) as refused:
            links.add_link(
                dossier=dossier,
                by=eligible.candidate,
                competence=competence("C2.2", eligible),
                evidence=evidence,
                justification=JUSTIFICATION,
            )
        assert "a été retirée ou remplacée : liez plutôt sa version actuelle." in (
            refused.value.message
        )
    assert snapshot(eligible) == before


def test_add_link_refuses_an_empty_narrative_pages_on_a_narrative_and_a_short_why(
    eligible, dossier
):
    empty = narrative(dossier, "1.1")
    Narrative.objects.filter(pk=empty.pk).update(text="  ")
    cases = [
        (
            {"narrative": empty},
            "Ce récit est encore vide : rédigez-le avant de le lier à une compétence.",
        ),
        (
            {"narrative": narrative(dossier, "1.2"), "page_from": 1},
            "Les pages ne s'indiquent que pour une pièce justificative.",
        ),
        (
            {"narrative": narrative(dossier, "1.2"), "justification": " voir pièce "},
            "Expliquez en une phrase (au moins 15 caractères) en quoi cette pièce ou ce récit "
            "prouve la compétence.",
        ),
    ]
    before = snapshot(eligible)
    for kwargs, message in cases:
        kwargs.setdefault("justification", JUSTIFICATION)
        with pytest.raises(TransitionRefused) as refused:
            links.add_link(
                dossier=dossier, by=eligible.candidate, competence=competence("C2.1"), **kwargs
            )
        assert refused.value.message == message
    assert snapshot(eligible) == before


def test_duplicate_link_is_refused(eligible, dossier):
    existing = dossier.links.select_related("competence", "evidence").first()
    before = snapshot(eligible)
    with pytest.raises(TransitionRefused) as refused:
        links.add_link(
            dossier=dossier,
            by=eligible.candidate,
            competence=existing.competence,
            evidence=existing.evidence,
            justification="Une autre phrase, mais le même lien.",
        )
    assert "Ce lien existe déjà pour cette compétence" in refused.value.message
    assert snapshot(eligible) == before
    # The same piece with a page range is another passage: allowed.
    links.add_link(
        dossier=dossier,
        by=eligible.candidate,
        competence=existing.competence,
        evidence=existing.evidence,
        page_from=1,
        justification="La première page montre le net à payer.",
    )


def test_update_link_without_change_keeps_the_signature(eligible, dossier):
    link = dossier.links.first()
    outcome = links.update_link(
        link=link,
        by=eligible.candidate,
        competence=link.competence,
        evidence=link.evidence,
        justification=link.justification,
    )
    assert not outcome.changed and not outcome.unsigned
    dossier.refresh_from_db()
    assert dossier.is_signed


def test_update_and_delete_link_unsign(eligible, dossier):
    link = dossier.links.first()
    outcome = links.update_link(
        link=link,
        by=eligible.candidate,
        competence=link.competence,
        evidence=link.evidence,
        page_from=1,
        page_to=2,
        justification="Les deux pages montrent la paie que j'ai établie.",
    )
    assert outcome.changed and outcome.unsigned
    link.refresh_from_db()
    assert (link.page_from, link.page_to) == (1, 2)
    sign(dossier)
    outcome = links.delete_link(link=link, by=eligible.candidate)
    assert outcome.changed and outcome.unsigned
    assert not CompetenceLink.objects.filter(pk=link.pk).exists()
    # Deleting it again (another tab) is not an error, and changes nothing.
    assert not links.delete_link(link=link, by=eligible.candidate).changed


def test_no_evidence_reason_services(eligible, dossier):
    c11 = competence("C1.1", eligible)
    dossier.links.filter(competence=c11).delete()
    assert coverage(eligible, dossier).done == 25
    with pytest.raises(TransitionRefused):
        links.save_no_evidence_reason(
            dossier=dossier, by=eligible.candidate, competence=c11, reason="  trop court "
        )
    outcome = links.save_no_evidence_reason(
        dossier=dossier,
        by=eligible.candidate,
        competence=c11,
        reason="Les documents appartiennent à la production.",
    )
    assert outcome.changed and outcome.unsigned
    assert coverage(eligible, dossier).done == 26
    same = links.save_no_evidence_reason(
        dossier=dossier,
        by=eligible.candidate,
        competence=c11,
        reason="Les documents appartiennent à la production.",
    )
    assert not same.changed
    assert links.clear_no_evidence_reason(dossier=dossier, by=eligible.candidate, competence=c11)
    assert not NoEvidenceReason.objects.exists()
    assert coverage(eligible, dossier).done == 25


# -- pages: add ----------------------------------------------------------------------------


def test_add_page_groups_targeted_competences_and_lists_current_sources(
    owner, eligible, dossier, piece
):
    withdrawn = make_evidence(dossier, "Ancien devis retiré", pages=1)
    withdraw(withdrawn)
    text = page(owner.get(url("livret:link_add", eligible)))
    assert text.count("<optgroup") == 12 + 2  # one per activité, then pièces and récits
    assert '<optgroup label="BC1 · 1.1 Collecte' in text
    assert f'<option value="piece-{piece.pk}">Devis du long métrage (3 p.)</option>' in text
    assert "Ancien devis retiré" not in text
    assert '<optgroup label="Récits">' in text


def test_add_page_preselects_from_the_query(owner, eligible, dossier, piece):
    c22 = competence("C2.2", eligible)
    text = page(
        owner.get(url("livret:link_add", eligible) + f"?competence={c22.pk}&evidence={piece.pk}")
    )
    assert f'<option value="{c22.pk}" selected>' in text
    assert f'<option value="piece-{piece.pk}" selected>' in text
    n12 = narrative(dossier, "1.2")
    text = page(owner.get(url("livret:link_add", eligible) + f"?narrative={n12.pk}"))
    assert f'<option value="recit-{n12.pk}" selected>' in text


def test_add_link_through_the_page(owner, eligible, dossier, piece):
    c22 = competence("C2.2", eligible)
    response = owner.post(
        url("livret:link_add", eligible),
        form_data(c22, piece, page_from="2", page_to="3", return_to="overview"),
    )
    assert response.status_code == 302
    assert response.url == url("livret:dossier", eligible) + f"#competence-{c22.pk}"
    link = dossier.links.get(evidence=piece)
    assert (link.competence, link.page_from, link.page_to) == (c22, 2, 3)
    text = page(owner.get(response.url))
    assert "Lien enregistré." in text
    assert "votre déclaration sur l'honneur a été annulée" in text
    assert "« Devis du long métrage », pages 2 à 3" in text


def test_add_link_returns_to_the_list_by_default(owner, eligible, piece):
    c22 = competence("C2.2", eligible)
    response = owner.post(url("livret:link_add", eligible), form_data(c22, piece))
    assert response.url == url("livret:links", eligible) + f"#competence-{c22.pk}"


def test_add_link_never_redirects_elsewhere(owner, eligible, piece):
    c22 = competence("C2.2", eligible)
    response = owner.post(
        url("livret:link_add", eligible), form_data(c22, piece, return_to="https://evil.test/")
    )
    assert response.status_code == 200
    assert not CompetenceLink.objects.filter(evidence=piece).exists()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"page_from": "3", "page_to": "1"}, "page_to", "ne peut pas précéder la première"),
        ({"page_from": "2", "page_to": "5"}, "page_to", "Cette pièce n'a que 3 page(s)"),
        ({"page_from": "7"}, "page_from", "la page 7 n'existe pas"),
        ({"page_from": "0"}, "page_from", "Les pages se numérotent à partir de 1."),
        ({"page_from": "deux"}, "page_from", "Indiquez un numéro de page (un nombre entier)."),
        ({"page_to": "2"}, "page_from", "Indiquez la première page du passage."),
        ({"justification": ""}, "justification", "Expliquez en une phrase en quoi"),
        ({"justification": "  voir pièce  "}, "justification", "au moins 15 caractères"),
        ({"competence": ""}, "competence", "Choisissez la compétence concernée."),
        ({"competence": "abc"}, "competence", "ne fait pas partie des blocs que vous visez"),
        ({"source": ""}, "source", "Choisissez une pièce justificative ou un récit."),
        ({"source": "piece-abc"}, "source", "Choisissez une pièce ou un récit dans la liste."),
        ({"source": "piece-999999"}, "source", "Cette pièce ne fait pas partie de votre dossier."),
    ],
)
def test_add_link_form_errors_keep_what_was_typed(owner, eligible, piece, extra, field, message):
    before = snapshot(eligible)
    data = form_data(competence("C2.2", eligible), piece, **extra)
    if field != "justification":
        data["justification"] = "Ma phrase d'explication à garder telle quelle."
    response = owner.post(url("livret:link_add", eligible), data)
    assert response.status_code == 200
    text = page(response)
    assert text.startswith("<!DOCTYPE html>") and "<title>Erreur : " in text
    assert "Le lien n'a pas été enregistré" in text
    errors = re.search(rf'id="id_{field}_error">(.*?)</ul>', text, flags=re.DOTALL)
    assert errors and message in errors.group(1)
    if field != "justification":
        assert "Ma phrase d'explication à garder telle quelle.</textarea>" in text
    assert snapshot(eligible) == before


def test_add_link_form_refuses_other_dossiers_and_withdrawn_pieces(
    owner, eligible, dossier, piece, referentiel
):
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    withdrawn = make_evidence(dossier, "Devis retiré", pages=1)
    withdraw(withdrawn)
    request = eligible.eligibility_request
    request.candidacy.targeted_blocs.set(
        Bloc.objects.filter(code="BC1", certification=eligible.certification)
    )
    cases = [
        (
            form_data(competence("C1.1", eligible), other.dossier.evidence.get()),
            "Cette pièce ne fait pas partie de votre dossier.",
        ),
        (
            form_data(competence("C1.1", eligible), narrative(other.dossier, "1.1")),
            "Ce récit ne fait pas partie de votre dossier.",
        ),
        (
            form_data(competence("C1.1", eligible), withdrawn),
            "La pièce « Devis retiré » a été retirée ou remplacée : choisissez sa version "
            "actuelle.",
        ),
        (
            form_data(competence("C2.2", eligible), piece),
            "Cette compétence ne fait pas partie des blocs que vous visez.",
        ),
    ]
    before = snapshot(eligible)
    for data, message in cases:
        text = page(owner.post(url("livret:link_add", eligible), data))
        assert message in text
        assert JUSTIFICATION in text
    assert snapshot(eligible) == before


def test_add_link_narrative_with_pages_is_refused(owner, eligible, dossier):
    before = snapshot(eligible)
    data = form_data(competence("C2.1", eligible), narrative(dossier, "1.2"), page_from="1")
    text = page(owner.post(url("livret:link_add", eligible), data))
    assert "Les pages ne s'indiquent que pour une pièce justificative." in text
    assert snapshot(eligible) == before


def test_duplicate_through_the_page_is_a_friendly_refusal(owner, eligible, dossier):
    existing = dossier.links.first()
    before = snapshot(eligible)
    data = form_data(existing.competence, existing.evidence)
    response = owner.post(url("livret:link_add", eligible), data)
    assert response.status_code == 200
    assert "Ce lien existe déjà pour cette compétence : modifiez le lien existant" in page(response)
    assert snapshot(eligible) == before


# -- pages: list, edit, delete -------------------------------------------------------------


def test_link_list_groups_by_competence_and_flags_stale_links(owner, eligible, dossier, piece):
    c22 = competence("C2.2", eligible)
    CompetenceLink.objects.create(
        dossier=dossier, competence=c22, evidence=piece, justification=JUSTIFICATION
    )
    withdraw(piece)
    text = page(owner.get(url("livret:links", eligible)))
    assert "27 liens au total." in text
    block = re.search(
        rf'<li class="link-competence" id="competence-{c22.pk}".*?</li>\s*</ul>\s*<ul',
        text,
        flags=re.DOTALL,
    )
    assert block
    assert "« Devis du long métrage »" in block.group(0)
    assert "Ce lien ne compte plus : la pièce a été retirée ou remplacée" in block.group(0)
    assert text.count("Ce lien ne compte plus") == 1


def test_edit_link_through_the_page(owner, eligible, dossier, piece):
    link = dossier.links.select_related("competence").first()
    text = page(owner.get(url("livret:link_edit", eligible, pk=link.pk)))
    assert link.justification in text
    assert f'<option value="piece-{link.evidence_id}" selected>' in text
    response = owner.post(
        url("livret:link_edit", eligible, pk=link.pk),
        form_data(
            link.competence, piece, page_from="1", justification="Le devis page 1 le montre."
        ),
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.evidence, link.page_from, link.page_to) == (piece, 1, 1)
    assert link.justification == "Le devis page 1 le montre."


def test_edit_link_of_a_withdrawn_piece_asks_for_the_current_one(owner, eligible, dossier):
    link = dossier.links.select_related("evidence").first()
    withdraw(link.evidence)
    text = page(owner.get(url("livret:link_edit", eligible, pk=link.pk)))
    assert "a été retirée ou remplacée : ce lien ne compte plus" in text


def test_edit_link_to_duplicate_is_refused(owner, eligible, dossier, piece):
    c11 = competence("C1.1", eligible)
    CompetenceLink.objects.create(
        dossier=dossier, competence=c11, evidence=piece, justification=JUSTIFICATION
    )
    original = dossier.links.get(competence=c11, evidence=dossier.evidence.order_by("pk").first())
    before = snapshot(eligible)
    response = owner.post(url("livret:link_edit", eligible, pk=original.pk), form_data(c11, piece))
    assert "Ce lien existe déjà" in page(response)
    assert snapshot(eligible) == before


def test_delete_link_asks_then_deletes(owner, eligible, dossier):
    link = dossier.links.select_related("competence").first()
    text = page(owner.get(url("livret:link_delete", eligible, pk=link.pk)))
    assert "Supprimer ce lien ?" in text and link.competence.code in text
    assert CompetenceLink.objects.filter(pk=link.pk).exists()
    response = owner.post(url("livret:link_delete", eligible, pk=link.pk))
    assert response.status_code == 302
    assert response.url == url("livret:links", eligible) + f"#competence-{link.competence_id}"
    assert not CompetenceLink.objects.filter(pk=link.pk).exists()
    assert coverage(eligible).done == 25


def test_links_of_another_dossier_are_not_found(owner, eligible, referentiel):
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    foreign = other.dossier.links.first()
    before = snapshot(other)
    for name in ("livret:link_edit", "livret:link_delete"):
        assert owner.get(url(name, eligible, pk=foreign.pk)).status_code == 404
        assert owner.post(url(name, eligible, pk=foreign.pk), {}).status_code == 404
    assert snapshot(other) == before


# -- pages: no-evidence reason -------------------------------------------------------------


def test_no_evidence_reason_through_the_page(owner, eligible, dossier):
    c11 = competence("C1.1", eligible)
    dossier.links.filter(competence=c11).delete()
    target = url("livret:no_evidence", eligible, competence_pk=c11.pk)
    text = page(owner.get(target))
    assert "Aucune pièce pour la compétence C1.1" in text
    response = owner.post(target, {"reason": "Court", "return_to": "overview"})
    assert "au moins 15 caractères (vous en avez écrit 5)" in page(response)
    assert not NoEvidenceReason.objects.exists()
    response = owner.post(
        target, {"reason": "Les bulletins sont confidentiels.", "return_to": "overview"}
    )
    assert response.url == url("livret:dossier", eligible) + f"#competence-{c11.pk}"
    assert NoEvidenceReason.objects.get().reason == "Les bulletins sont confidentiels."
    text = page(owner.get(response.url))
    assert "26 compétences sur 26 couvertes" in text
    assert 'Couverte</span> <span class="coverage-detail">— absence de pièce expliquée' in text
    # Clear it: the compétence is uncovered again.
    text = page(owner.get(target))
    assert "Supprimer l'explication" in text
    response = owner.post(target, {"clear": "1", "reason": "", "return_to": "links"})
    assert response.url == url("livret:links", eligible) + f"#competence-{c11.pk}"
    assert not NoEvidenceReason.objects.exists()


def test_no_evidence_for_a_competence_not_targeted_is_not_found(owner, eligible, referentiel):
    request = eligible.eligibility_request
    request.candidacy.targeted_blocs.set(
        Bloc.objects.filter(code="BC1", certification=eligible.certification)
    )
    c22 = competence("C2.2", eligible)
    target = url("livret:no_evidence", eligible, competence_pk=c22.pk)
    assert owner.get(target).status_code == 404
    assert owner.post(target, {"reason": "Une raison assez longue."}).status_code == 404
    assert not NoEvidenceReason.objects.exists()
