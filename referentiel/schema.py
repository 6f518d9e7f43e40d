"""Validation of a référentiel data file (YAML, or the JSON that export prints).

Pure functions: they read a parsed document and return a normalised dict with exactly
the structure ``export_referentiel`` prints, or raise ``ReferentielFormatError`` naming
the place in the file (path such as ``blocs[1].activities[0].title`` and, for YAML, the
line) so that whoever edits the file can fix it without guessing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from typing import Any

import yaml

from referentiel.enums import AssessmentKind, AssessmentMode, Path, Rating


class ReferentielFormatError(ValueError):
    def __init__(self, message: str, *, path: str = "", line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = []
        if line is not None:
            where.append(f"ligne {line}")
        if path:
            where.append(path)
        prefix = f"[{', '.join(where)}] " if where else ""
        super().__init__(prefix + message)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Reader:
    """Small typed accessors that report the path of what is wrong."""

    def __init__(self, data: dict, path: str):
        if not isinstance(data, dict):
            raise ReferentielFormatError("un objet (clé: valeur) est attendu ici.", path=path)
        self.data = data
        self.path = path

    def _get(self, key, required=True):
        if key not in self.data or self.data[key] is None:
            if required:
                raise ReferentielFormatError(
                    "champ obligatoire manquant.", path=_join(self.path, key)
                )
            return None
        return self.data[key]

    def text(self, key, *, required=True, allow_empty=False) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ReferentielFormatError("un texte est attendu.", path=_join(self.path, key))
        value = value.strip()
        if not value and not allow_empty:
            raise ReferentielFormatError(
                "le texte ne peut pas être vide.", path=_join(self.path, key)
            )
        return value

    def optional_text(self, key) -> str:
        return self.text(key, required=False, allow_empty=True)

    def integer(self, key, *, required=True, minimum=0, maximum=None) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ReferentielFormatError(
                "un nombre entier est attendu.", path=_join(self.path, key)
            )
        if value < minimum or (maximum is not None and value > maximum):
            bounds = (
                f"entre {minimum} et {maximum}" if maximum is not None else f"au moins {minimum}"
            )
            raise ReferentielFormatError(
                f"la valeur doit être {bounds} (reçu : {value}).", path=_join(self.path, key)
            )
        return value

    def number(self, key, *, required=True, minimum=0, maximum=None):
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ReferentielFormatError("un nombre est attendu.", path=_join(self.path, key))
        if value < minimum or (maximum is not None and value > maximum):
            raise ReferentielFormatError(
                f"la valeur doit être entre {minimum} et {maximum} (reçu : {value}).",
                path=_join(self.path, key),
            )
        return int(value) if float(value).is_integer() else value

    def boolean(self, key, *, default=None) -> bool:
        value = self._get(key, required=default is None)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ReferentielFormatError("true ou false est attendu.", path=_join(self.path, key))
        return value

    def choice(self, key, choices) -> str:
        value = self.text(key)
        allowed = [c.value for c in choices]
        if value not in allowed:
            raise ReferentielFormatError(
                f"valeur « {value} » inconnue ; valeurs admises : {', '.join(allowed)}.",
                path=_join(self.path, key),
            )
        return value

    def items(self, key, *, required=True, allow_empty=False) -> list[tuple[str, Any]]:
        value = self._get(key, required)
        if value is None:
            value = []
        if not isinstance(value, list):
            raise ReferentielFormatError("une liste est attendue.", path=_join(self.path, key))
        if not value and required and not allow_empty:
            raise ReferentielFormatError(
                "la liste ne peut pas être vide.", path=_join(self.path, key)
            )
        return [(_join(_join(self.path, key), i), item) for i, item in enumerate(value)]

    def child(self, key) -> _Reader:
        return _Reader(self._get(key), _join(self.path, key))

    def paths(self, key) -> list[str]:
        result = []
        for item_path, item in self.items(key, required=False, allow_empty=True):
            if item not in [p.value for p in Path]:
                raise ReferentielFormatError(
                    f"parcours « {item} » inconnu ; valeurs admises : vae, formation.",
                    path=item_path,
                )
            if item in result:
                raise ReferentielFormatError(f"parcours « {item} » en double.", path=item_path)
            result.append(item)
        return [p.value for p in Path if p.value in result]


def _unique(values, what):
    """``values`` are (path of the item, value) pairs; the first repeat is reported."""
    seen = set()
    for item_path, value in values:
        if value in seen:
            raise ReferentielFormatError(f"{what} « {value} » en double.", path=item_path)
        seen.add(value)


def _members(reader: _Reader, key: str) -> dict:
    panel = reader.child(key)
    members = []
    for path, item in panel.items("members"):
        r = _Reader(item, path)
        members.append(
            {
                "role": r.text("role"),
                "label": r.text("label"),
                "count": r.integer("count", minimum=1),
            }
        )
    _unique([(f"{panel.path}.members[{i}].role", m["role"]) for i, m in enumerate(members)], "rôle")
    total = panel.integer("total", minimum=1)
    if total != sum(m["count"] for m in members):
        raise ReferentielFormatError(
            f"le total ({total}) ne correspond pas à la somme des membres "
            f"({sum(m['count'] for m in members)}).",
            path=_join(panel.path, "total"),
        )
    result = {"text": panel.optional_text("text"), "total": total}
    if key == "evaluators":
        result["must_not_know_candidate"] = panel.boolean("must_not_know_candidate", default=True)
    result["members"] = members
    return result


def _date(reader: _Reader, key: str) -> str | None:
    value = reader._get(key, required=False)
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ReferentielFormatError(
            "une date au format AAAA-MM-JJ est attendue.", path=_join(reader.path, key)
        ) from None


def normalise(document: Any) -> dict:
    """Validate a parsed document and return it in the canonical export structure."""
    root = _Reader(document, "")
    cert = root.child("certification")
    scale = root.child("rating_scale")
    max_score = scale.integer("questionnaire_max_score", minimum=1)
    levels = []
    for path, item in scale.items("levels"):
        r = _Reader(item, path)
        levels.append({"value": r.choice("value", Rating), "label": r.text("label")})
    if sorted(level["value"] for level in levels) != sorted(r.value for r in Rating):
        raise ReferentielFormatError(
            "l'échelle doit comporter exactement les niveaux acquis, partiel et non_acquis.",
            path="rating_scale.levels",
        )
    prereq = root.child("prerequisites")
    any_of = []
    for path, item in prereq.items("any_of", required=False, allow_empty=True):
        r = _Reader(item, path)
        any_of.append({"code": r.text("code"), "label": r.text("label")})
    _unique(
        [(f"prerequisites.any_of[{i}].code", p["code"]) for i, p in enumerate(any_of)],
        "prérequis",
    )

    blocs = []
    competence_codes = []
    bloc_items = root.items("blocs")
    for bloc_path, bloc_data in bloc_items:
        b = _Reader(bloc_data, bloc_path)
        activities = []
        bloc_competences = 0
        for act_path, act_data in b.items("activities"):
            a = _Reader(act_data, act_path)
            competences = []
            for comp_path, comp_data in a.items("competences"):
                c = _Reader(comp_data, comp_path)
                criteria = []
                for crit_path, crit in c.items("criteria"):
                    if not isinstance(crit, str) or not crit.strip():
                        raise ReferentielFormatError(
                            "un critère doit être un texte non vide.", path=crit_path
                        )
                    criteria.append(crit.strip())
                code = c.text("code")
                competence_codes.append((_join(comp_path, "code"), code))
                competences.append(
                    {
                        "code": code,
                        "statement": c.text("statement"),
                        "preamble": c.optional_text("preamble") or None,
                        "criteria": criteria,
                    }
                )
            bloc_competences += len(competences)
            activities.append(
                {"code": str(a.text("code")), "title": a.text("title"), "competences": competences}
            )
        _unique(
            [
                (f"{bloc_path}.activities[{i}].code", act["code"])
                for i, act in enumerate(activities)
            ],
            "activité",
        )
        assessments = []
        for ass_path, ass_data in b.items("assessments"):
            r = _Reader(ass_data, ass_path)
            assessments.append(
                {
                    "kind": r.choice("kind", AssessmentKind),
                    "title": r.text("title"),
                    "description": r.optional_text("description"),
                    "themes": r.optional_text("themes"),
                    "questions": r.integer("questions", required=False, minimum=1),
                    "max_score": r.integer("max_score", required=False, minimum=1),
                    "duration_minutes": r.integer("duration_minutes", minimum=1),
                    "mode": r.choice("mode", AssessmentMode),
                    "location": r.optional_text("location"),
                    "paths": r.paths("paths"),
                }
            )
        rule = b.child("rule")
        min_score = rule.number("min_questionnaire_score", required=False, maximum=max_score)
        questionnaire_paths = rule.paths("questionnaire_paths")
        if questionnaire_paths and min_score is None:
            raise ReferentielFormatError(
                "un questionnaire est exigé sur un parcours : indiquez min_questionnaire_score.",
                path=_join(rule.path, "min_questionnaire_score"),
            )
        rule_data = {
            "text": rule.optional_text("text"),
            "min_acquired": rule.integer("min_acquired", maximum=bloc_competences),
            "max_partial": rule.integer("max_partial", maximum=bloc_competences),
            "max_not_acquired": rule.integer("max_not_acquired", maximum=bloc_competences),
            "competences_paths": rule.paths("competences_paths"),
            "min_questionnaire_score": min_score,
            "questionnaire_paths": questionnaire_paths,
        }
        blocs.append(
            {
                "code": b.text("code"),
                "title": b.text("title"),
                "activities": activities,
                "assessments": assessments,
                "rule": rule_data,
            }
        )
    _unique([(f"blocs[{i}].code", bloc["code"]) for i, bloc in enumerate(blocs)], "bloc")
    _unique(competence_codes, "compétence")

    return {
        "certification": {
            "code": cert.text("code"),
            "title": cert.text("title"),
            "level": cert.integer("level", minimum=1, maximum=8),
            "certifier": cert.text("certifier"),
            "version": cert.integer("version", required=False, minimum=1),
            "effective_date": _date(cert, "effective_date"),
            "all_blocs_required": cert.boolean("all_blocs_required", default=True),
            "obtention_text": cert.optional_text("obtention_text"),
        },
        "rating_scale": {
            "text": scale.optional_text("text"),
            "levels": levels,
            "questionnaire_max_score": max_score,
        },
        "prerequisites": {
            "text": prereq.optional_text("text"),
            "any_of": any_of,
            "per_bloc_text": prereq.optional_text("per_bloc_text"),
        },
        "evaluators": _members(root, "evaluators"),
        "jury": _members(root, "jury"),
        "blocs": blocs,
    }


def content_hash(data: dict) -> str:
    """Fingerprint of a version's content, ignoring its number and dates, so that loading
    the same file twice is recognised whatever version number it ended up with."""
    content = json.loads(json.dumps(data))
    content["certification"].pop("version", None)
    content["certification"].pop("effective_date", None)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# libyaml's parser when PyYAML was built with it (its wheels are): ten times faster than
# the pure-Python one, which made loading the référentiel take a third of a second.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line_of(node, path: str) -> int | None:
    """Line (1-based) of the YAML node at ``path``, or of its closest existing parent."""

    line = node.start_mark.line + 1 if node is not None else None
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if node is None:
            break
        if part.startswith("["):
            index = int(part[1:-1])
            if isinstance(node, yaml.SequenceNode) and index < len(node.value):
                node = node.value[index]
            else:
                break
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node = value_node
                    break
            else:
                break
        else:
            break
        line = node.start_mark.line + 1
    return line


def parse_text(text: str, *, source: str = "") -> dict:
    """Parse YAML or JSON text and validate it; errors name the line and the path."""
    try:
        document = yaml.load(text, Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ReferentielFormatError(
            f"syntaxe YAML/JSON invalide : {exc.problem or exc}", line=line
        ) from None
    except yaml.YAMLError as exc:
        raise ReferentielFormatError(f"syntaxe YAML/JSON invalide : {exc}") from None
    if document is None:
        raise ReferentielFormatError("le fichier est vide.")
    try:
        return normalise(document)
    except ReferentielFormatError as exc:
        if exc.line is None and exc.path:
            # The node tree is built only to place an error: a valid file is parsed once.
            node = yaml.compose(text, Loader=YAML_LOADER)
            raise ReferentielFormatError(
                exc.message, path=exc.path, line=_line_of(node, exc.path)
            ) from None
        raise
