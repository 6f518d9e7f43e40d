"""Reads of the référentiel: the export structure of a version."""

from __future__ import annotations

from referentiel.models import Certification


def _score(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def export_certification(certification: Certification) -> dict:
    """The version as a dict in the data-file structure (see referentiel/data/SCHEMA.md).

    ``load_referentiel`` accepts this structure back, so export → load → export is stable.
    """
    certification = Certification.objects.with_tree().get(pk=certification.pk)
    seats = list(certification.seats.all())

    def panel(name, text, extra):
        members = [
            {"role": s.role, "label": s.label, "count": s.count} for s in seats if s.panel == name
        ]
        return {
            "text": text,
            "total": sum(m["count"] for m in members),
            **extra,
            "members": members,
        }

    return {
        "certification": {
            "code": certification.code,
            "title": certification.title,
            "level": certification.level,
            "certifier": certification.certifier,
            "version": certification.version,
            "effective_date": (
                certification.effective_date.isoformat() if certification.effective_date else None
            ),
            "all_blocs_required": certification.all_blocs_required,
            "obtention_text": certification.obtention_text,
        },
        "rating_scale": {
            "text": certification.rating_scale_text,
            "levels": [
                {"value": level["value"], "label": level["label"]}
                for level in certification.rating_levels
            ],
            "questionnaire_max_score": certification.questionnaire_max_score,
        },
        "prerequisites": {
            "text": certification.prerequisites_text,
            "any_of": [
                {"code": p.code, "label": p.label} for p in certification.prerequisites.all()
            ],
            "per_bloc_text": certification.prerequisites_per_bloc_text,
        },
        "evaluators": panel(
            "evaluators",
            certification.evaluators_text,
            {"must_not_know_candidate": certification.evaluators_must_not_know_candidate},
        ),
        "jury": panel("jury", certification.jury_text, {}),
        "blocs": [
            {
                "code": bloc.code,
                "title": bloc.title,
                "activities": [
                    {
                        "code": activity.code,
                        "title": activity.title,
                        "competences": [
                            {
                                "code": competence.code,
                                "statement": competence.statement,
                                "preamble": competence.preamble or None,
                                "criteria": [c.text for c in competence.criteria.all()],
                            }
                            for competence in activity.competences.all()
                        ],
                    }
                    for activity in bloc.activities.all()
                ],
                "assessments": [
                    {
                        "kind": a.kind,
                        "title": a.title,
                        "description": a.description,
                        "themes": a.themes,
                        "questions": a.questions,
                        "max_score": a.max_score,
                        "duration_minutes": a.duration_minutes,
                        "mode": a.mode,
                        "location": a.location,
                        "paths": a.paths,
                    }
                    for a in bloc.assessments.all()
                ],
                "rule": {
                    "text": bloc.rule_text,
                    "min_acquired": bloc.min_acquired,
                    "max_partial": bloc.max_partial,
                    "max_not_acquired": bloc.max_not_acquired,
                    "competences_paths": bloc.competences_paths,
                    "min_questionnaire_score": _score(bloc.min_questionnaire_score),
                    "questionnaire_paths": bloc.questionnaire_paths,
                },
            }
            for bloc in certification.blocs.all()
        ],
    }
