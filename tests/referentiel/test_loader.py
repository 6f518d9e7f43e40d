"""Loading and exporting the référentiel: idempotence, versions, atomic failures."""

import copy
import io
import json

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from referentiel.enums import VersionStatus
from referentiel.management.commands.load_referentiel import DEFAULT_FILE
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
from referentiel.schema import ReferentielFormatError, parse_text
from referentiel.selectors import export_certification
from referentiel.services import (
    create_draft_from,
    load_referentiel,
    load_referentiel_text,
    publish_version,
)

SOURCE = DEFAULT_FILE.read_text(encoding="utf-8")


def source_data():
    return yaml.safe_load(SOURCE)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts():
    return (
        Certification.objects.count(),
        Bloc.objects.count(),
        Competence.objects.count(),
        Criterion.objects.count(),
    )


@pytest.mark.django_db
def test_first_load_creates_and_publishes_the_whole_referentiel():
    output = run("load_referentiel")
    assert "chargée et publiée" in output
    certification = Certification.objects.get()
    assert certification.status == VersionStatus.PUBLISHED
    assert certification.version == 1
    assert certification.effective_date is not None
    assert list(certification.blocs.values_list("code", flat=True)) == ["BC1", "BC2", "BC3"]
    assert Competence.objects.count() == 26
    assert Criterion.objects.count() == sum(
        len(c["criteria"])
        for b in source_data()["blocs"]
        for a in b["activities"]
        for c in a["competences"]
    )
    assert certification.evaluators_total == 4
    assert certification.jury_total == 2


@pytest.mark.django_db
def test_second_load_changes_nothing():
    run("load_referentiel")
    before = counts()
    certification = Certification.objects.get()
    output = run("load_referentiel")
    assert "Aucun changement" in output
    assert counts() == before
    certification.refresh_from_db()
    assert certification.status == VersionStatus.PUBLISHED


@pytest.mark.django_db
def test_changed_file_creates_a_draft_and_leaves_the_published_version_untouched(tmp_path):
    run("load_referentiel")
    published = Certification.objects.get()
    published_export = export_certification(published)
    data = source_data()
    data["blocs"][2]["rule"]["min_acquired"] = 6
    data["blocs"][0]["activities"][0]["competences"][0]["criteria"].append("Un critère ajouté.")
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    output = run("load_referentiel", str(changed))

    assert "brouillon" in output
    draft = Certification.objects.drafts().get()
    assert draft.version == 2
    assert draft.blocs.get(code="BC3").min_acquired == 6
    assert export_certification(Certification.objects.get(pk=published.pk)) == published_export
    assert Certification.objects.current().pk == published.pk
    # Loading the same changed file again is recognised as the existing draft.
    assert "Aucun changement" in run("load_referentiel", str(changed))
    assert Certification.objects.count() == 2


@pytest.mark.django_db
def test_publish_flag_publishes_the_new_version_and_retires_the_old(tmp_path):
    run("load_referentiel")
    data = source_data()
    data["certification"]["obtention_text"] += " (texte révisé)"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run("load_referentiel", str(changed), "--publish")
    statuses = dict(Certification.objects.values_list("version", "status"))
    assert statuses == {1: VersionStatus.RETIRED, 2: VersionStatus.PUBLISHED}


@pytest.mark.django_db
def test_draft_flag_keeps_a_first_version_unpublished():
    run("load_referentiel", "--draft")
    assert Certification.objects.get().status == VersionStatus.DRAFT
    assert Certification.objects.current() is None


def broken(mutate):
    data = source_data()
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


MALFORMED = {
    "missing criterion list": (
        lambda d: d["blocs"][1]["activities"][0]["competences"][1].pop("criteria"),
        "blocs[1].activities[0].competences[1].criteria",
        "champ obligatoire manquant",
    ),
    "duplicate compétence code": (
        lambda d: d["blocs"][0]["activities"][1]["competences"][0].update(code="C1.1"),
        "blocs[0].activities[1].competences[0].code",
        "en double",
    ),
    "unknown assessment kind": (
        lambda d: d["blocs"][2]["assessments"][0].update(kind="qcm"),
        "blocs[2].assessments[0].kind",
        "valeurs admises",
    ),
    "threshold above the number of compétences": (
        lambda d: d["blocs"][2]["rule"].update(min_acquired=7),
        "blocs[2].rule.min_acquired",
        "entre 0 et 6",
    ),
    "unknown path": (
        lambda d: d["blocs"][0]["rule"].update(questionnaire_paths=["alternance"]),
        "blocs[0].rule.questionnaire_paths[0]",
        "parcours « alternance » inconnu",
    ),
    "questionnaire required without a minimum score": (
        lambda d: d["blocs"][0]["rule"].update(min_questionnaire_score=None),
        "blocs[0].rule.min_questionnaire_score",
        "min_questionnaire_score",
    ),
    "jury total inconsistent with its members": (
        lambda d: d["jury"].update(total=3),
        "jury.total",
        "ne correspond pas",
    ),
    "activity code written as a number": (
        lambda d: d["blocs"][0]["activities"][0].update(code=1.1),
        "blocs[0].activities[0].code",
        "un texte est attendu",
    ),
    "rating scale with an unknown level": (
        lambda d: d["rating_scale"]["levels"].append({"value": "excellent", "label": "excellent"}),
        "rating_scale.levels[3].value",
        "valeur « excellent » inconnue",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_file_names_the_place_and_leaves_the_database_untouched(case, tmp_path, db):
    run("load_referentiel")
    before = counts()
    mutate, path, message = MALFORMED[case]
    bad = tmp_path / "bad.yaml"
    bad.write_text(broken(mutate), encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        run("load_referentiel", str(bad))

    text = str(excinfo.value)
    assert path in text
    assert message in text
    assert "ligne " in text
    assert counts() == before


def test_yaml_syntax_error_reports_the_line():
    text = SOURCE.replace("blocs:\n", "blocs:\n  - code: [BC1\n", 1)
    with pytest.raises(ReferentielFormatError) as excinfo:
        parse_text(text)
    line = SOURCE[: SOURCE.index("blocs:\n")].count("\n") + 2
    assert excinfo.value.line is not None
    assert abs(excinfo.value.line - line) <= 2
    assert "syntaxe YAML/JSON invalide" in str(excinfo.value)


def test_line_number_points_at_the_faulty_node():
    data = source_data()
    data["blocs"][1]["assessments"][1]["duration_minutes"] = "une heure"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with pytest.raises(ReferentielFormatError) as excinfo:
        parse_text(text)
    faulty_line = text.splitlines()[excinfo.value.line - 1]
    assert "duration_minutes: une heure" in faulty_line


@pytest.mark.django_db
def test_failure_half_way_rolls_back_everything(monkeypatch):
    """A database error after some rows were written leaves no partial version."""
    from referentiel import services

    real_create = Criterion.objects.bulk_create
    calls = {"n": 0}

    def failing_bulk_create(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 20:
            raise RuntimeError("panne simulée")
        return real_create(objs, *args, **kwargs)

    monkeypatch.setattr(services.Criterion.objects, "bulk_create", failing_bulk_create)
    with pytest.raises(RuntimeError):
        load_referentiel_text(SOURCE)
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "le fichier est vide"),
        ("- une liste\n", "un objet"),
        ("certification: 3\n", "un objet"),
    ],
)
def test_empty_or_wrong_shape_documents_are_refused(content, message):
    with pytest.raises(ReferentielFormatError, match=message):
        parse_text(content)


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("load_referentiel", str(tmp_path / "absent.yaml"))


@pytest.mark.django_db
def test_export_round_trip_through_an_empty_database(tmp_path):
    run("load_referentiel")
    first = run("export_referentiel")
    exported = json.loads(first)
    assert set(exported) >= {"certification", "blocs", "evaluators", "jury", "prerequisites"}
    assert {"title", "level", "version"} <= set(exported["certification"])
    bloc = exported["blocs"][0]
    assert set(bloc) >= {"code", "title", "activities", "assessments", "rule"}
    assert set(bloc["assessments"][0]) >= {
        "kind",
        "title",
        "description",
        "questions",
        "max_score",
        "duration_minutes",
        "mode",
    }
    assert set(bloc["activities"][0]["competences"][0]) == {
        "code",
        "statement",
        "preamble",
        "criteria",
    }

    export_file = tmp_path / "export.json"
    export_file.write_text(first, encoding="utf-8")
    # Published versions refuse deletion through the ORM (they are locked), so empty the
    # tables underneath it, as a fresh database would be.
    for model in (
        Criterion,
        Competence,
        Activity,
        Assessment,
        Bloc,
        CompositionSeat,
        Prerequisite,
        Certification,
    ):
        model.objects.all()._raw_delete(using="default")
    assert counts() == (0, 0, 0, 0)

    run("load_referentiel", str(export_file))
    assert run("export_referentiel") == first


@pytest.mark.django_db
def test_export_of_a_later_version_round_trips_with_its_number(tmp_path):
    run("load_referentiel")
    data = source_data()
    data["certification"]["obtention_text"] += " Révision."
    data["certification"]["version"] = None
    load_referentiel(parse_text(yaml.safe_dump(data, allow_unicode=True)), publish=True)
    exported = json.loads(run("export_referentiel"))
    assert exported["certification"]["version"] == 2
    assert exported["certification"]["obtention_text"].endswith("Révision.")


@pytest.mark.django_db
def test_export_without_published_version_fails_clearly():
    with pytest.raises(CommandError, match="Aucune version publiée"):
        run("export_referentiel")


@pytest.mark.django_db
def test_published_version_rows_cannot_be_changed_or_deleted(referentiel):
    competence = Competence.objects.get(code="C1.5", activity__bloc__certification=referentiel)
    competence.statement = "modifié"
    with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
        competence.save()
    with pytest.raises(ValidationError):
        competence.criteria.first().delete()
    with pytest.raises(ValidationError):
        referentiel.delete()
    with pytest.raises(ValidationError):
        referentiel.full_clean()


@pytest.mark.django_db
def test_draft_from_published_is_editable_then_publishable(referentiel):
    draft = create_draft_from(referentiel)
    assert draft.version == 2
    assert draft.status == VersionStatus.DRAFT
    assert export_certification(draft)["blocs"] == export_certification(referentiel)["blocs"]
    bloc = draft.blocs.get(code="BC3")
    bloc.min_acquired = 6
    bloc.save()
    published = publish_version(draft)
    assert published.status == VersionStatus.PUBLISHED
    referentiel.refresh_from_db()
    assert referentiel.status == VersionStatus.RETIRED
    assert Certification.objects.current().blocs.get(code="BC3").min_acquired == 6
    with pytest.raises(ValidationError, match="brouillon"):
        publish_version(referentiel)


@pytest.mark.django_db
def test_incomplete_draft_cannot_be_published(referentiel):
    draft = create_draft_from(referentiel)
    Criterion.objects.filter(
        competence__activity__bloc__certification=draft, competence__code="C2.9"
    ).delete()
    with pytest.raises(ValidationError) as excinfo:
        publish_version(draft)
    assert "La compétence C2.9 n'a aucun critère d'évaluation." in excinfo.value.messages
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_changed_content_changes_the_fingerprint_but_not_the_version_number():
    from referentiel.schema import content_hash

    base = parse_text(SOURCE)
    renumbered = copy.deepcopy(base)
    renumbered["certification"]["version"] = 7
    edited = copy.deepcopy(base)
    edited["blocs"][0]["title"] += "."
    assert content_hash(base) == content_hash(renumbered)
    assert content_hash(base) != content_hash(edited)


@pytest.mark.django_db
def test_export_of_a_given_version_number(referentiel):
    draft = create_draft_from(referentiel)
    exported = json.loads(run("export_referentiel", "--version-number", str(draft.version)))
    assert exported["certification"]["version"] == 2
    with pytest.raises(CommandError, match=r"Version 9 introuvable\."):
        run("export_referentiel", "--version-number", "9")
