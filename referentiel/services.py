"""Writes on the référentiel: loading a data file, publishing and drafting versions."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from referentiel import schema
from referentiel.enums import Panel, Path, VersionStatus
from referentiel.models import (
    Activity,
    Assessment,
    Bloc,
    Certification,
    Competence,
    CompositionSeat,
    Criterion,
    Prerequisite,
)
from referentiel.selectors import export_certification


@dataclass(frozen=True)
class LoadResult:
    certification: Certification
    created: bool
    published: bool

    @property
    def message(self) -> str:
        c = self.certification
        if not self.created:
            return (
                f"Aucun changement : le fichier correspond déjà à la version {c.version} "
                f"({c.get_status_display().lower()}) de {c.title}."
            )
        if self.published:
            return f"Version {c.version} de {c.title} chargée et publiée."
        return (
            f"Le fichier diffère de la version publiée : nouvelle version {c.version} créée "
            "en brouillon. Relisez-la puis publiez-la depuis l'administration."
        )


def _create_tree(data: dict, version: int) -> Certification:
    cert_data = data["certification"]
    scale = data["rating_scale"]
    prereq = data["prerequisites"]
    certification = Certification.objects.create(
        code=cert_data["code"],
        version=version,
        status=VersionStatus.DRAFT,
        title=cert_data["title"],
        level=cert_data["level"],
        certifier=cert_data["certifier"],
        effective_date=cert_data["effective_date"],
        all_blocs_required=cert_data["all_blocs_required"],
        obtention_text=cert_data["obtention_text"],
        rating_scale_text=scale["text"],
        rating_levels=scale["levels"],
        questionnaire_max_score=scale["questionnaire_max_score"],
        prerequisites_text=prereq["text"],
        prerequisites_per_bloc_text=prereq["per_bloc_text"],
        evaluators_text=data["evaluators"]["text"],
        evaluators_must_not_know_candidate=data["evaluators"]["must_not_know_candidate"],
        jury_text=data["jury"]["text"],
    )
    order = 0
    for panel in (Panel.EVALUATORS, Panel.JURY):
        for member in data[panel.value]["members"]:
            CompositionSeat.objects.create(
                certification=certification, panel=panel, sort_order=order, **member
            )
            order += 1
    for index, item in enumerate(prereq["any_of"]):
        Prerequisite.objects.create(certification=certification, sort_order=index, **item)
    for bloc_index, bloc_data in enumerate(data["blocs"]):
        rule = bloc_data["rule"]
        bloc = Bloc.objects.create(
            certification=certification,
            sort_order=bloc_index,
            code=bloc_data["code"],
            title=bloc_data["title"],
            rule_text=rule["text"],
            min_acquired=rule["min_acquired"],
            max_partial=rule["max_partial"],
            max_not_acquired=rule["max_not_acquired"],
            competences_on_vae=Path.VAE in rule["competences_paths"],
            competences_on_training=Path.TRAINING in rule["competences_paths"],
            min_questionnaire_score=rule["min_questionnaire_score"],
            questionnaire_on_vae=Path.VAE in rule["questionnaire_paths"],
            questionnaire_on_training=Path.TRAINING in rule["questionnaire_paths"],
        )
        for act_index, act_data in enumerate(bloc_data["activities"]):
            activity = Activity.objects.create(
                bloc=bloc, sort_order=act_index, code=act_data["code"], title=act_data["title"]
            )
            for comp_index, comp_data in enumerate(act_data["competences"]):
                competence = Competence.objects.create(
                    activity=activity,
                    sort_order=comp_index,
                    code=comp_data["code"],
                    statement=comp_data["statement"],
                    preamble=comp_data["preamble"] or "",
                )
                Criterion.objects.bulk_create(
                    Criterion(competence=competence, sort_order=i, text=text)
                    for i, text in enumerate(comp_data["criteria"])
                )
        for ass_index, ass_data in enumerate(bloc_data["assessments"]):
            paths = ass_data["paths"]
            Assessment.objects.create(
                bloc=bloc,
                sort_order=ass_index,
                kind=ass_data["kind"],
                title=ass_data["title"],
                description=ass_data["description"],
                themes=ass_data["themes"],
                questions=ass_data["questions"],
                max_score=ass_data["max_score"],
                duration_minutes=ass_data["duration_minutes"],
                mode=ass_data["mode"],
                location=ass_data["location"],
                on_vae=Path.VAE in paths,
                on_training=Path.TRAINING in paths,
            )
    certification.content_hash = schema.content_hash(export_certification(certification))
    certification.save(update_fields=["content_hash"])
    return certification


def _find_identical(code: str, fingerprint: str) -> Certification | None:
    for certification in Certification.objects.filter(code=code).order_by("-version"):
        current = certification.content_hash
        if certification.is_editable:
            # A draft may have been edited in the admin since it was loaded.
            current = schema.content_hash(export_certification(certification))
        if current == fingerprint:
            return certification
    return None


@transaction.atomic
def load_referentiel(data: dict, *, publish: bool | None = None) -> LoadResult:
    """Load a validated (``schema.normalise``) référentiel.

    Idempotent: a file identical to an existing version changes nothing. A changed file
    never alters a published version: it becomes a new draft version. The very first
    version of a certification is published straight away (``publish=None``), unless
    ``publish=False``; ``publish=True`` publishes the new version in any case.
    """
    code = data["certification"]["code"]
    fingerprint = schema.content_hash(data)
    # Serialise concurrent loads of the same certification.
    list(Certification.objects.select_for_update().filter(code=code))
    existing = _find_identical(code, fingerprint)
    if existing is not None:
        if publish and existing.is_editable:
            return LoadResult(publish_version(existing), created=False, published=True)
        return LoadResult(existing, created=False, published=False)

    taken = set(Certification.objects.filter(code=code).values_list("version", flat=True))
    wanted = data["certification"].get("version")
    if wanted and wanted not in taken:
        version = wanted
    else:
        version = (
            Certification.objects.filter(code=code).aggregate(m=Max("version"))["m"] or 0
        ) + 1
    certification = _create_tree(data, version)
    has_published = Certification.objects.published().filter(code=code).exists()
    should_publish = publish if publish is not None else not has_published
    if should_publish:
        certification = publish_version(certification)
    return LoadResult(certification, created=True, published=should_publish)


def load_referentiel_text(text: str, *, publish: bool | None = None) -> LoadResult:
    return load_referentiel(schema.parse_text(text), publish=publish)


def check_publishable(certification: Certification, data: dict | None = None) -> list[str]:
    """What prevents a draft from being published, as French sentences. ``data`` is the
    version's export when the caller already has it."""
    problems = []
    if data is None:
        data = export_certification(certification)
    if not data["blocs"]:
        problems.append("La version ne contient aucun bloc de compétences.")
    for bloc in data["blocs"]:
        competences = [c for a in bloc["activities"] for c in a["competences"]]
        if not competences:
            problems.append(f"Le bloc {bloc['code']} ne contient aucune compétence.")
        for competence in competences:
            if not competence["criteria"]:
                problems.append(
                    f"La compétence {competence['code']} n'a aucun critère d'évaluation."
                )
        if not bloc["assessments"]:
            problems.append(f"Le bloc {bloc['code']} n'a aucune épreuve.")
        rule = bloc["rule"]
        if rule["min_acquired"] > len(competences):
            problems.append(
                f"Le bloc {bloc['code']} exige {rule['min_acquired']} compétences acquises "
                f"sur {len(competences)}."
            )
    try:
        schema.normalise(data)
    except schema.ReferentielFormatError as exc:
        problems.append(f"Donnée invalide : {exc}")
    if not certification.evaluator_seats:
        problems.append("La composition des évaluateurs n'est pas définie.")
    if not certification.jury_seats:
        problems.append("La composition du jury de délibération n'est pas définie.")
    return problems


@transaction.atomic
def publish_version(certification: Certification, *, by=None) -> Certification:
    """Publish a draft; the version previously in force is retired (kept for the
    candidacies pinned to it)."""
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.status != VersionStatus.DRAFT:
        raise ValidationError("Seule une version en brouillon peut être publiée.")
    data = export_certification(certification)
    problems = check_publishable(certification, data)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    Certification.objects.filter(code=certification.code, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED
    )
    certification.content_hash = schema.content_hash(data)
    certification.status = VersionStatus.PUBLISHED
    certification.published_at = now
    if certification.effective_date is None:
        certification.effective_date = timezone.localdate(now)
    # Bypass the edit lock on purpose: publishing is the one change a draft gets on its
    # way to being locked.
    Certification.objects.filter(pk=certification.pk).update(
        status=certification.status,
        published_at=certification.published_at,
        effective_date=certification.effective_date,
        content_hash=certification.content_hash,
    )
    return certification


@transaction.atomic
def create_draft_from(certification: Certification, *, by=None) -> Certification:
    """A new draft version copying ``certification``, to make the référentiel evolve."""
    data = export_certification(certification)
    data["certification"]["effective_date"] = None
    version = (
        Certification.objects.filter(code=certification.code).aggregate(m=Max("version"))["m"] or 0
    ) + 1
    draft = _create_tree(data, version)
    # Kept out of the référentiel file (the seed does not give it): copied by hand.
    draft.acquired_bloc_validity_months = certification.acquired_bloc_validity_months
    draft.save(update_fields=["acquired_bloc_validity_months"])
    return draft
