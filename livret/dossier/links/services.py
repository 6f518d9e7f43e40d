"""The writes of the candidate's links from evidence and narratives to compétences, and of
the reasons given when a compétence has no evidence.

Every write here checks, under the candidacy's lock (``livret.dossier.services.editing``),
that the dossier may still be changed, refuses what does not belong to this dossier, and
unsigns the sworn statement when something actually changed: the candidate signed a
content that no longer exists.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from livret import signals
from livret.dossier.models import CompetenceLink, Evidence, Narrative, NoEvidenceReason
from livret.dossier.services import editing, unsign
from referentiel.models import Competence
from vae.workflow import TransitionRefused

# Below this, a "why" is rarely more than « voir pièce » : it tells the evaluators nothing.
MIN_JUSTIFICATION_CHARS = 15
MIN_NO_EVIDENCE_REASON_CHARS = 15


@dataclass(frozen=True)
class Outcome:
    """What a write did: ``changed`` (false when the values were already those) and
    ``unsigned`` (the sworn statement was cancelled by this change)."""

    changed: bool = True
    unsigned: bool = False
    link: CompetenceLink | None = None


def is_targeted(dossier, competence) -> bool:
    """Whether ``competence`` belongs to a bloc the candidacy targets (one query)."""
    return Competence.objects.filter(
        pk=competence.pk,
        activity__bloc__candidacies=dossier.candidacy_id,
    ).exists()


def _check_competence(dossier, competence):
    if competence is None or not is_targeted(dossier, competence):
        raise TransitionRefused(_("Cette compétence ne fait pas partie des blocs que vous visez."))


def _clean_pages(evidence, page_from, page_to):
    """The page range of a link to ``evidence``: nothing, or 1 ≤ from ≤ to ≤ page count.

    A single page may be given as its first page only.
    """
    if page_from is None and page_to is None:
        return None, None
    if page_from is None:
        raise TransitionRefused(_("Indiquez la première page du passage."))
    if page_to is None:
        page_to = page_from
    if page_from < 1:
        raise TransitionRefused(_("La première page est au moins la page 1."))
    if page_to < page_from:
        raise TransitionRefused(_("La dernière page du passage ne peut pas précéder la première."))
    if page_to > evidence.page_count:
        raise TransitionRefused(
            _("Cette pièce n'a que %(count)s page(s) : la page %(page)s n'existe pas.")
            % {"count": evidence.page_count, "page": page_to}
        )
    return page_from, page_to


def _clean_target(dossier, evidence, narrative, page_from, page_to):
    """Exactly one of a current piece of this dossier, or a written narrative of it."""
    if (evidence is None) == (narrative is None):
        raise TransitionRefused(_("Choisissez une pièce justificative ou un récit (un seul)."))
    if evidence is not None:
        evidence = Evidence.objects.filter(pk=evidence.pk, dossier=dossier).first()
        if evidence is None:
            raise TransitionRefused(_("Cette pièce ne fait pas partie de votre dossier."))
        if not Evidence.objects.current().filter(pk=evidence.pk).exists():
            raise TransitionRefused(
                _(
                    "La pièce « %(title)s » a été retirée ou remplacée : liez plutôt sa "
                    "version actuelle."
                )
                % {"title": evidence.title}
            )
        page_from, page_to = _clean_pages(evidence, page_from, page_to)
        return evidence, None, page_from, page_to
    narrative = Narrative.objects.filter(pk=narrative.pk, dossier=dossier).first()
    if narrative is None:
        raise TransitionRefused(_("Ce récit ne fait pas partie de votre dossier."))
    if page_from is not None or page_to is not None:
        raise TransitionRefused(_("Les pages ne s'indiquent que pour une pièce justificative."))
    if not narrative.text.strip():
        raise TransitionRefused(
            _("Ce récit est encore vide : rédigez-le avant de le lier à une compétence.")
        )
    return None, narrative, None, None


def _clean_justification(text) -> str:
    text = (text or "").strip()
    if len(text) < MIN_JUSTIFICATION_CHARS:
        raise TransitionRefused(
            _(
                "Expliquez en une phrase (au moins %(min)s caractères) en quoi cette pièce "
                "ou ce récit prouve la compétence."
            )
            % {"min": MIN_JUSTIFICATION_CHARS}
        )
    return text


def _refuse_duplicate(dossier, values, exclude=None):
    duplicates = CompetenceLink.objects.filter(dossier=dossier, **values)
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude.pk)
    if duplicates.exists():
        raise TransitionRefused(
            _(
                "Ce lien existe déjà pour cette compétence : modifiez le lien existant "
                "plutôt que d'en créer un second."
            )
        )


def _link_values(dossier, competence, evidence, narrative, page_from, page_to, justification):
    _check_competence(dossier, competence)
    evidence, narrative, page_from, page_to = _clean_target(
        dossier, evidence, narrative, page_from, page_to
    )
    return {
        "competence": competence,
        "evidence": evidence,
        "narrative": narrative,
        "page_from": page_from,
        "page_to": page_to,
    }, _clean_justification(justification)


def _state(link) -> tuple:
    return (
        link.competence_id,
        link.evidence_id,
        link.narrative_id,
        link.page_from,
        link.page_to,
        link.justification,
    )


def _announce(*links) -> None:
    """``signals.links_changed`` after the commit, for the pieces and narratives of
    ``links`` (search files their text under the compétences linked)."""
    signals.send_on_commit(
        signals.links_changed,
        sender=CompetenceLink,
        evidence_ids=sorted({link.evidence_id for link in links if link.evidence_id}),
        narrative_ids=sorted({link.narrative_id for link in links if link.narrative_id}),
    )


def add_link(
    *,
    dossier,
    by,
    competence,
    evidence=None,
    narrative=None,
    page_from=None,
    page_to=None,
    justification,
) -> Outcome:
    with transaction.atomic():
        editing(dossier, by)
        values, justification = _link_values(
            dossier, competence, evidence, narrative, page_from, page_to, justification
        )
        _refuse_duplicate(dossier, values)
        link = CompetenceLink.objects.create(dossier=dossier, justification=justification, **values)
        _announce(link)
        return Outcome(changed=True, unsigned=unsign(dossier), link=link)


def update_link(
    *,
    link,
    by,
    competence,
    evidence=None,
    narrative=None,
    page_from=None,
    page_to=None,
    justification,
) -> Outcome:
    dossier = link.dossier
    with transaction.atomic():
        editing(dossier, by)
        # Read again under the lock: the link may have been deleted in another tab.
        link = CompetenceLink.objects.filter(pk=link.pk, dossier=dossier).first()
        if link is None:
            raise TransitionRefused(_("Ce lien n'existe plus : il a peut-être été supprimé."))
        values, justification = _link_values(
            dossier, competence, evidence, narrative, page_from, page_to, justification
        )
        if _state(link) == _state(CompetenceLink(justification=justification, **values)):
            return Outcome(changed=False, link=link)
        _refuse_duplicate(dossier, values, exclude=link)
        before = CompetenceLink(evidence_id=link.evidence_id, narrative_id=link.narrative_id)
        for name, value in values.items():
            setattr(link, name, value)
        link.justification = justification
        link.save()
        _announce(before, link)
        return Outcome(changed=True, unsigned=unsign(dossier), link=link)


def delete_link(*, link, by) -> Outcome:
    dossier = link.dossier
    with transaction.atomic():
        editing(dossier, by)
        deleted, _rows = CompetenceLink.objects.filter(pk=link.pk, dossier=dossier).delete()
        if not deleted:
            # Already gone (another tab): the candidate's intent is met, nothing changed.
            return Outcome(changed=False)
        _announce(link)
        return Outcome(changed=True, unsigned=unsign(dossier))


def save_no_evidence_reason(*, dossier, by, competence, reason) -> Outcome:
    """Write (or rewrite) why ``competence`` has no evidence."""
    reason = (reason or "").strip()
    with transaction.atomic():
        editing(dossier, by)
        _check_competence(dossier, competence)
        if len(reason) < MIN_NO_EVIDENCE_REASON_CHARS:
            raise TransitionRefused(
                _(
                    "Expliquez en au moins %(min)s caractères pourquoi vous n'avez aucune "
                    "pièce pour cette compétence."
                )
                % {"min": MIN_NO_EVIDENCE_REASON_CHARS}
            )
        existing = NoEvidenceReason.objects.filter(dossier=dossier, competence=competence).first()
        if existing is not None and existing.reason == reason:
            return Outcome(changed=False)
        if existing is None:
            NoEvidenceReason.objects.create(dossier=dossier, competence=competence, reason=reason)
        else:
            existing.reason = reason
            existing.save(update_fields=["reason", "updated_at"])
        return Outcome(changed=True, unsigned=unsign(dossier))


def clear_no_evidence_reason(*, dossier, by, competence) -> Outcome:
    with transaction.atomic():
        editing(dossier, by)
        _check_competence(dossier, competence)
        deleted, _rows = NoEvidenceReason.objects.filter(
            dossier=dossier, competence=competence
        ).delete()
        if not deleted:
            return Outcome(changed=False)
        return Outcome(changed=True, unsigned=unsign(dossier))
