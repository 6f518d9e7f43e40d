"""The validation rules of the référentiel, applied by pure functions.

``evaluate_rule`` is the single place where a bloc's outcome is decided. It works on a
``BlocRule`` snapshot (plain values, no database), so the jury's decision, the review
consolidation and any simulation all apply exactly the same logic. ``evaluate_bloc``
accepts a ``Bloc`` model instance or a bloc code and builds that snapshot.

The outcome explains itself: one French sentence per failed rule, with the counts and
the thresholds, so a candidate told « bloc non validé » also learns why. Its numbers,
plurals and spaces come from ``referentiel.french``, like every text the platform shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from referentiel import french as fr
from referentiel.enums import Path, Rating
from referentiel.models import Bloc, Certification


class RuleInputError(ValueError):
    """Input the rules cannot judge: the message says what is wrong, in French."""

    def __init__(self, message: str):
        super().__init__(fr.typography(message))


@dataclass(frozen=True)
class BlocRule:
    """A bloc's validation rule and the compétences it counts, as plain values."""

    code: str
    competence_codes: tuple[str, ...]
    min_acquired: int
    max_partial: int
    max_not_acquired: int = 0
    competences_paths: frozenset[str] = frozenset({Path.VAE, Path.TRAINING})
    min_questionnaire_score: Decimal | None = None
    questionnaire_paths: frozenset[str] = frozenset()
    questionnaire_max_score: int = 20
    certification_blocs: tuple[str, ...] = ()
    all_blocs_required: bool = True
    # Which référentiel version the rule comes from: outcomes of two versions never mix,
    # even when the versions share their bloc codes and differ only by a threshold.
    certification_version: tuple[str, int] | None = None

    @classmethod
    def from_bloc(cls, bloc) -> BlocRule:
        certification = bloc.certification
        return cls(
            code=bloc.code,
            competence_codes=tuple(bloc.competences().values_list("code", flat=True)),
            min_acquired=bloc.min_acquired,
            max_partial=bloc.max_partial,
            max_not_acquired=bloc.max_not_acquired,
            competences_paths=frozenset(bloc.competences_paths),
            min_questionnaire_score=(
                Decimal(bloc.min_questionnaire_score)
                if bloc.min_questionnaire_score is not None
                else None
            ),
            questionnaire_paths=frozenset(bloc.questionnaire_paths),
            questionnaire_max_score=certification.questionnaire_max_score,
            certification_blocs=tuple(certification.blocs.values_list("code", flat=True)),
            all_blocs_required=certification.all_blocs_required,
            certification_version=(certification.code, certification.version),
        )


@dataclass(frozen=True)
class BlocOutcome:
    """Whether a bloc is validated, and why not."""

    bloc: str
    path: str
    validated: bool
    reasons: tuple[str, ...]
    counts: Mapping[str, int] = field(default_factory=dict)
    questionnaire_score: Decimal | None = None
    certification_blocs: tuple[str, ...] = ()
    all_blocs_required: bool = True
    certification_version: tuple[str, int] | None = None

    def __bool__(self):
        return self.validated

    @property
    def summary(self) -> str:
        if self.validated:
            return f"Bloc {self.bloc} validé."
        return fr.typography(f"Bloc {self.bloc} non validé : ") + " ".join(self.reasons)


@dataclass(frozen=True)
class CertificationOutcome:
    obtained: bool
    validated_blocs: list[str]
    missing_blocs: list[str]
    reasons: tuple[str, ...] = ()

    def __bool__(self):
        return self.obtained


def _parse_path(path) -> str:
    try:
        return Path(path).value
    except ValueError:
        allowed = ", ".join(f"« {p.value} »" for p in Path)
        raise RuleInputError(
            f"Parcours inconnu « {path} » : les valeurs admises sont {allowed}."
        ) from None


def _parse_score(score, maximum: int) -> Decimal | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float | Decimal | str):
        raise RuleInputError(f"La note au questionnaire doit être un nombre, pas « {score!r} ».")
    try:
        value = Decimal(str(score).replace(",", "."))
    except InvalidOperation:
        raise RuleInputError(
            f"La note au questionnaire doit être un nombre, pas « {score} »."
        ) from None
    if not value.is_finite() or value < 0 or value > maximum:
        raise RuleInputError(
            f"La note au questionnaire doit être comprise entre 0 et {maximum} "
            f"(reçu : {fr.number(value) if value.is_finite() else score})."
        )
    return value


def _parse_ratings(rule: BlocRule, ratings: Mapping, *, required: bool) -> Counter:
    if not isinstance(ratings, Mapping):
        raise RuleInputError(
            "Les évaluations doivent associer chaque code de compétence à une valeur."
        )
    expected = set(rule.competence_codes)
    unknown = sorted(str(code) for code in ratings if code not in expected)
    if unknown:
        subject = fr.plural_form(len(unknown), "La compétence", "Les compétences")
        verb = fr.plural_form(len(unknown), "n'appartient", "n'appartiennent")
        raise RuleInputError(f"{subject} {', '.join(unknown)} {verb} pas au bloc {rule.code}.")
    missing = [code for code in rule.competence_codes if code not in ratings]
    if missing and required:
        raise RuleInputError(
            f"Évaluation manquante pour {', '.join(missing)} : toutes les compétences du "
            f"bloc {rule.code} doivent être évaluées."
        )
    counts = Counter({rating.value: 0 for rating in Rating})
    for code in rule.competence_codes:
        if code not in ratings:
            continue
        value = ratings[code]
        try:
            counts[Rating(value).value] += 1
        except (ValueError, TypeError):
            allowed = ", ".join(f"« {r.value} »" for r in Rating)
            raise RuleInputError(
                f"Évaluation inconnue « {value} » pour {code} : les valeurs admises sont {allowed}."
            ) from None
    return counts


def evaluate_rule(
    rule: BlocRule, ratings: Mapping, *, questionnaire_score=None, path=Path.VAE
) -> BlocOutcome:
    """Apply ``rule`` to the ratings of its compétences (pure function)."""
    path = _parse_path(path)
    competences_apply = path in rule.competences_paths
    questionnaire_applies = (
        path in rule.questionnaire_paths and rule.min_questionnaire_score is not None
    )
    counts = _parse_ratings(rule, ratings, required=competences_apply)
    score = _parse_score(questionnaire_score, rule.questionnaire_max_score)

    reasons = []
    if questionnaire_applies:
        if score is None:
            raise RuleInputError(
                f"La note au questionnaire du bloc {rule.code} est exigée sur le parcours "
                f"{Path(path).label}."
            )
        if score < rule.min_questionnaire_score:
            maximum = rule.questionnaire_max_score
            reasons.append(
                f"Questionnaire : {fr.score(score, maximum)}, alors que le minimum "
                f"est {fr.score(rule.min_questionnaire_score, maximum)}."
            )
    if competences_apply:
        total = len(rule.competence_codes)
        acquired = counts[Rating.ACQUIRED]
        partial = counts[Rating.PARTIAL]
        not_acquired = counts[Rating.NOT_ACQUIRED]
        if acquired < rule.min_acquired:
            reasons.append(
                f"Compétences « acquises » : {fr.number(acquired)} sur {fr.number(total)}, "
                f"alors qu'il en faut au moins {fr.number(rule.min_acquired)}."
            )
        if partial > rule.max_partial:
            reasons.append(
                f"Compétences « partiellement acquises » : {fr.number(partial)}, alors que "
                f"le maximum est {fr.number(rule.max_partial)}."
            )
        if not_acquired > rule.max_not_acquired:
            reasons.append(
                f"Compétences « non acquises » : {fr.number(not_acquired)}, alors que le "
                f"maximum est {fr.number(rule.max_not_acquired)}."
            )
    return BlocOutcome(
        bloc=rule.code,
        path=path,
        validated=not reasons,
        reasons=tuple(fr.typography(reason) for reason in reasons),
        counts=dict(counts),
        questionnaire_score=score,
        certification_blocs=rule.certification_blocs,
        all_blocs_required=rule.all_blocs_required,
        certification_version=rule.certification_version,
    )


def _resolve_bloc(bloc):
    if isinstance(bloc, Bloc):
        return bloc
    if not isinstance(bloc, str):
        raise RuleInputError("Le bloc doit être un bloc du référentiel ou un code tel que « BC1 ».")
    code = bloc.strip().upper()
    try:
        certification = Certification.objects.sole_published()
    except Certification.MultipleObjectsReturned:
        raise RuleInputError(
            "Plusieurs certifications sont publiées : passez le bloc lui-même plutôt que son code."
        ) from None
    if certification is None:
        raise RuleInputError("Aucune version publiée du référentiel : chargez-le d'abord.")
    try:
        return certification.blocs.get(code=code)
    except Bloc.DoesNotExist:
        known = ", ".join(certification.blocs.values_list("code", flat=True))
        raise RuleInputError(f"Bloc inconnu « {bloc} » : les blocs sont {known}.") from None


def evaluate_bloc(
    bloc, ratings: Mapping, *, questionnaire_score=None, path=Path.VAE
) -> BlocOutcome:
    """Decide a bloc from its compétence ratings.

    ``bloc`` is a ``Bloc`` or a bloc code (then the published version in force is used);
    ``ratings`` maps compétence codes to « acquis », « partiel » or « non_acquis ».
    """
    rule = BlocRule.from_bloc(_resolve_bloc(bloc))
    return evaluate_rule(rule, ratings, questionnaire_score=questionnaire_score, path=path)


def evaluate_certification(
    outcomes: Mapping[str, BlocOutcome], *, previously_validated: Iterable[str] = ()
) -> CertificationOutcome:
    """Whether the certification is obtained, from the outcome of each bloc.

    Blocs validated by an earlier decision stay acquired for good: pass their codes in
    ``previously_validated``.
    """
    if not isinstance(outcomes, Mapping) or not outcomes:
        raise RuleInputError("Indiquez le résultat d'au moins un bloc.")
    certification_blocs: tuple[str, ...] | None = None
    version = None
    all_required = True
    if isinstance(previously_validated, str):
        # A single code, not the letters of a code.
        previously_validated = [previously_validated]
    validated = set(previously_validated)
    for code, outcome in outcomes.items():
        if not isinstance(outcome, BlocOutcome):
            raise RuleInputError(f"Le résultat du bloc {code} doit venir de evaluate_bloc.")
        if outcome.bloc != code:
            raise RuleInputError(f"Le résultat donné pour {code} est celui du bloc {outcome.bloc}.")
        if certification_blocs is None:
            certification_blocs = outcome.certification_blocs or tuple(outcomes)
            all_required = outcome.all_blocs_required
            version = outcome.certification_version
        elif (
            outcome.certification_blocs and outcome.certification_blocs != certification_blocs
        ) or outcome.certification_version != version:
            raise RuleInputError("Les résultats viennent de versions différentes du référentiel.")
        if outcome.validated:
            validated.add(code)
    unknown = sorted(validated - set(certification_blocs))
    if unknown:
        raise RuleInputError(
            f"Blocs inconnus de cette version du référentiel : {', '.join(unknown)}."
        )
    validated_blocs = [code for code in certification_blocs if code in validated]
    missing_blocs = [code for code in certification_blocs if code not in validated]
    obtained = not missing_blocs if all_required else bool(validated_blocs)
    reasons = ()
    if not obtained and all_required:
        reasons = (
            f"{fr.plural_form(len(missing_blocs), 'Bloc non validé', 'Blocs non validés')} : "
            f"{', '.join(missing_blocs)}. Tous les blocs de compétences doivent être validés "
            "pour obtenir la certification.",
        )
    elif not obtained:
        reasons = ("Aucun bloc de compétences n'est validé.",)
    reasons = tuple(fr.typography(reason) for reason in reasons)
    return CertificationOutcome(
        obtained=obtained,
        validated_blocs=validated_blocs,
        missing_blocs=missing_blocs,
        reasons=reasons,
    )
