from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluatorCategory(models.TextChoices):
    """The evaluator seats of the référentiel; values are the seats' role codes."""

    EXTERNAL_PROFESSIONAL = "external_professional", _("Professionnel du métier externe")
    TRAINING_BODY = "training_body", _("Représentant de l'organisme de formation")
    CERTIFIER = "certifier", _("Représentant du certificateur")


class AssignmentStatus(models.TextChoices):
    AWAITING_DECLARATION = "awaiting_declaration", _("Déclaration d'absence de conflit attendue")
    ACTIVE = "active", _("En cours")
    CONFLICT = "conflict", _("Conflit d'intérêts déclaré")
    REMOVED = "removed", _("Retiré par le certificateur")


# Statuses of a seat still held: an evaluator awaiting their declaration or active.
HOLDING_STATUSES = (AssignmentStatus.AWAITING_DECLARATION, AssignmentStatus.ACTIVE)


class PassageKind(models.TextChoices):
    NARRATIVE = "narrative", _("Extrait d'un récit")
    PAGE_TEXT = "page_text", _("Extrait du texte d'une page")
    PAGE = "page", _("Page entière")


class LinkVerdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepté")
    REJECTED = "rejected", _("Rejeté")


class ReviewEventKind(models.TextChoices):
    ASSIGNED = "assigned", _("Affectation")
    DECLARED_NO_CONFLICT = "declared_no_conflict", _("Déclare ne pas connaître le candidat")
    DECLARED_CONFLICT = "declared_conflict", _("Déclare un conflit d'intérêts")
    REMOVED = "removed", _("Retrait de l'affectation")
    GRID_SUBMITTED = "grid_submitted", _("Grille d'évaluation remise")
    CONSOLIDATED = "consolidated", _("Évaluation consolidée")


class ReviewNoteKind(models.TextChoices):
    """The review's texts that search indexes, as the review's signals name them
    (``review.signals``); ``model_label`` is the model the signal's ``object_id`` is of."""

    PASSAGE = "passage", _("Passage relié à des critères")
    RATING = "rating", _("Justification d'une appréciation")
    CONSOLIDATED_RATING = "consolidated_rating", _("Justification d'une appréciation consolidée")
    LINK_VERDICT = "link_verdict", _("Avis sur un lien du candidat")

    @property
    def model_label(self) -> str:
        return NOTE_MODELS[self]


NOTE_MODELS = {
    ReviewNoteKind.PASSAGE: "review.CriterionLink",
    ReviewNoteKind.RATING: "review.CompetenceRating",
    ReviewNoteKind.CONSOLIDATED_RATING: "review.ConsolidatedRating",
    ReviewNoteKind.LINK_VERDICT: "review.CandidateLinkReview",
}
