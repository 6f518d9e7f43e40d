"""Checks of referentiel/data/cqp_administrateur_production.yaml against its source.

The data file transcribes, verbatim, the référentiel of the CQP « Administrateur de
production cinéma et audiovisuelle » from the working-group document (seed). These tests
are pure pytest (no database, no Django): hard-coded expectations read off the seed, and,
when the seed is available, a check that every transcribed string appears in it.
"""

import re
from pathlib import Path

import pytest
import yaml

DATA_FILE = (
    Path(__file__).resolve().parents[2] / "referentiel/data/cqp_administrateur_production.yaml"
)
SEED_FILE = Path(__file__).resolve().parents[3] / "shared/seed/000_5f04b26f66654c46.txt"

DATA = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))

# --------------------------------------------------------------------------------------
# Expectations read off the seed document
# --------------------------------------------------------------------------------------

BLOC_TITLES = {
    "BC1": (
        "Préparer les éléments comptables et sociaux en phase de préproduction du projet "
        "audiovisuel, en fonction du contexte et du domaine de production concerné"
    ),
    "BC2": (
        "Réaliser la gestion comptable, sociale et fiscale du projet audiovisuel lors de la "
        "phase de tournage et de post-production"
    ),
    "BC3": (
        "Etablir l'état des comptes sociaux, fiscaux et comptables lors de la clôture du "
        "projet de production audiovisuelle"
    ),
}

ACTIVITY_TITLES = {
    "1.1": "Collecte des informations et documents relatifs au projet de production audiovisuelle",
    "1.2": (
        "Adaptation de l'activité aux contraintes financières et organisationnelles du projet "
        "de production audiovisuelle"
    ),
    "1.3": (
        "Préparation et enregistrement du devis de production audiovisuel, préparation de la "
        "paie et préparation du suivi de la comptabilité"
    ),
    "1.4": "Préparation des échéanciers et comptes sociaux du projet de production audiovisuelle",
    "1.5": "Réalisation d'une veille adaptée au projet de production audiovisuelle",
    "2.1": "Gestion sociale du projet de production audiovisuelle pendant le tournage",
    "2.2": "Gestion comptable du projet de production audiovisuelle pendant le tournage",
    "2.3": "Gestion de la trésorerie du projet de production audiovisuelle",
    "2.4": (
        "Réalisation des déclarations sociales et fiscales du projet de production audiovisuelle"
    ),
    "2.5": "Coordination d'une équipe d'administrateurs de production",
    "3.1": "Préparation du rendu de compte en clôture de projet de production audiovisuelle",
    "3.2": (
        "Réalisation et transmission de la situation finale du projet de production audiovisuelle"
    ),
}

# bloc -> activité -> compétences, in document order
STRUCTURE = {
    "BC1": {
        "1.1": ["C1.1", "C1.2"],
        "1.2": ["C1.3", "C1.4"],
        "1.3": ["C1.5", "C1.6", "C1.7"],
        "1.4": ["C1.8", "C1.9"],
        "1.5": ["C1.10"],
    },
    "BC2": {
        "2.1": ["C2.1", "C2.2"],
        "2.2": ["C2.3", "C2.4"],
        "2.3": ["C2.5", "C2.6", "C2.7"],
        "2.4": ["C2.8", "C2.9"],
        "2.5": ["C2.10"],
    },
    "BC3": {
        "3.1": ["C3.1", "C3.2", "C3.3", "C3.4"],
        "3.2": ["C3.5", "C3.6"],
    },
}

ALL_CODES = [code for acts in STRUCTURE.values() for codes in acts.values() for code in codes]

CRITERIA_COUNTS = {
    "C1.1": 5,
    "C1.2": 4,
    "C1.3": 1,
    "C1.4": 5,
    "C1.5": 3,
    "C1.6": 3,
    "C1.7": 5,
    "C1.8": 4,
    "C1.9": 2,
    "C1.10": 3,
    "C2.1": 4,
    "C2.2": 7,
    "C2.3": 5,
    "C2.4": 4,
    "C2.5": 3,
    "C2.6": 4,
    "C2.7": 4,
    "C2.8": 5,
    "C2.9": 2,
    "C2.10": 6,
    "C3.1": 6,
    "C3.2": 3,
    "C3.3": 6,
    "C3.4": 4,
    "C3.5": 4,
    "C3.6": 4,
}

PREAMBLES = {
    "C1.1": (
        "Le candidat collecte les informations nécessaires à la réalisation du plan comptable :"
    ),
    "C1.3": "Le candidat identifie les mécanismes de financement du projet :",
    "C1.4": "Le candidat choisit et met en place les outils de gestion du projet :",
    "C1.8": "Le candidat élabore les échéanciers de dépenses :",
    "C3.5": "Le candidat réalise la situation finale estimée du projet :",
}

# (kind, title, duration_minutes, questions, max_score, mode, paths)
QUESTIONNAIRE_TITLE = "Questionnaire à visée professionnelle"
ASSESSMENTS = {
    "BC1": [
        ("questionnaire", QUESTIONNAIRE_TITLE, 10, 20, 20, "ecrit", ["formation"]),
        ("etude_de_cas", "Etude de cas", 90, None, None, "ecrit", ["formation"]),
        ("soutenance", "Soutenance orale", 15, None, None, "oral", ["vae", "formation"]),
    ],
    "BC2": [
        ("questionnaire", QUESTIONNAIRE_TITLE, 10, 15, 20, "ecrit", ["formation"]),
        ("etude_de_cas", "Etude de cas", 90, None, None, "ecrit", ["formation"]),
        ("soutenance", "Soutenance orale", 15, None, None, "oral", ["vae", "formation"]),
    ],
    "BC3": [
        ("etude_de_cas", "Etude de cas", 60, None, None, "ecrit", ["formation"]),
        ("soutenance", "Soutenance orale", 15, None, None, "oral", ["vae", "formation"]),
    ],
}

RULES = {
    "BC1": {
        "min_acquired": 8,
        "max_partial": 2,
        "max_not_acquired": 0,
        "competences_paths": ["vae", "formation"],
        "min_questionnaire_score": 14,
        "questionnaire_paths": ["formation"],
    },
    "BC2": {
        "min_acquired": 8,
        "max_partial": 2,
        "max_not_acquired": 0,
        "competences_paths": ["vae", "formation"],
        "min_questionnaire_score": 14,
        "questionnaire_paths": ["formation"],
    },
    "BC3": {
        "min_acquired": 5,
        "max_partial": 1,
        "max_not_acquired": 0,
        "competences_paths": ["vae", "formation"],
        "min_questionnaire_score": None,
        "questionnaire_paths": [],
    },
}

RULE_ITEMS_QUESTIONNAIRE = [
    "Obtient minimum 14/20 au questionnaire",
    "Et valide minimum 8 compétences / 10 comme étant « acquises » et 2 compétences max. "
    "comme étant « partiellement acquises », au regard des épreuves 2 et 3",
]
RULE_TEXTS = {
    "BC1": "\n".join(
        [
            "Le bloc de compétences n°1 est obtenu dès lors que le candidat :",
            *RULE_ITEMS_QUESTIONNAIRE,
        ]
    ),
    "BC2": "\n".join(
        [
            "Le bloc de compétences n°2 est obtenu dès lors que le candidat :",
            *RULE_ITEMS_QUESTIONNAIRE,
        ]
    ),
    "BC3": "\n".join(
        [
            "Le bloc de compétences n°3 est obtenu dès lors que le candidat :",
            "Valide minimum 5 compétences / 6 comme étant « acquises » et 1 compétence max. "
            "comme étant « partiellement acquise », au regard des épreuves 1 et 2",
        ]
    ),
}

# The one space before a comma that is the document's own (not left by removed markup).
SEED_TYPOGRAPHY = {"besoins de trésorerie , les débloques financiers"}


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def blocs():
    return {bloc["code"]: bloc for bloc in DATA["blocs"]}


def competences():
    """code -> (bloc code, activité code, compétence dict), in document order."""
    found = {}
    for bloc in DATA["blocs"]:
        for activity in bloc["activities"]:
            for competence in activity["competences"]:
                found[competence["code"]] = (bloc["code"], activity["code"], competence)
    return found


def normalise(text):
    """Strip markup and whitespace artefacts, for comparing the data with the seed."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", "")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ([,.)])", r"\1", text)
    text = re.sub(r"\( ", "(", text)
    return text.strip()


def verbatim_strings():
    """Every string of the data file that the seed must contain, with a readable id."""
    items = [
        ("certification.title", DATA["certification"]["title"]),
        ("certification.obtention_text", DATA["certification"]["obtention_text"]),
        ("prerequisites.text", DATA["prerequisites"]["text"]),
        ("prerequisites.per_bloc_text", DATA["prerequisites"]["per_bloc_text"]),
        ("evaluators.text", DATA["evaluators"]["text"]),
        ("jury.text", DATA["jury"]["text"]),
    ]
    items += [
        (f"rating_scale.text-line-{i}", line)
        for i, line in enumerate(DATA["rating_scale"]["text"].split("\n"), 1)
    ]
    for bloc in DATA["blocs"]:
        items.append((f"{bloc['code']}.title", bloc["title"]))
        for activity in bloc["activities"]:
            items.append((f"activity-{activity['code']}.title", activity["title"]))
            for competence in activity["competences"]:
                code = competence["code"]
                items.append((f"{code}.statement", competence["statement"]))
                if competence["preamble"] is not None:
                    items.append((f"{code}.preamble", competence["preamble"]))
                items += [
                    (f"{code}.criterion-{i}", criterion)
                    for i, criterion in enumerate(competence["criteria"], 1)
                ]
        for assessment in bloc["assessments"]:
            prefix = f"{bloc['code']}.{assessment['kind']}"
            for field in ("title", "description", "themes", "location"):
                if assessment[field]:
                    items.append((f"{prefix}.{field}", assessment[field]))
        items += [
            (f"{bloc['code']}.rule-line-{i}", line)
            for i, line in enumerate(bloc["rule"]["text"].split("\n"), 1)
        ]
    return items


VERBATIM = verbatim_strings()


@pytest.fixture(scope="module")
def seed_text():
    if not SEED_FILE.is_file():
        pytest.skip(f"seed document not found at {SEED_FILE}: verbatim check skipped")
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_normalised(seed_text):
    return normalise(seed_text)


@pytest.fixture(scope="module")
def seed_competence_rows(seed_text):
    """The three-column rows (activité, compétence, critères) of the bloc tables."""
    rows = {}
    for line in seed_text.split("\n"):
        cells = line.split("\t")
        if len(cells) != 3 or not cells[1].strip():
            continue
        match = re.match(r"C\.?(\d)\.(\d+)\.? (.*)$", normalise(cells[1]))
        if match:
            code = f"C{match.group(1)}.{match.group(2)}"
            rows[code] = (normalise(cells[0]), match.group(3), normalise(cells[2]))
    return rows


# --------------------------------------------------------------------------------------
# Certification-wide sections
# --------------------------------------------------------------------------------------


def test_top_level_sections():
    assert list(DATA) == [
        "certification",
        "rating_scale",
        "prerequisites",
        "evaluators",
        "jury",
        "blocs",
    ]


def test_certification():
    assert DATA["certification"] == {
        "code": "cqp-admin-production",
        "title": "CQP « Administrateur de production cinéma et audiovisuelle »",
        "level": 6,
        "certifier": "CPNEF de l'audiovisuel",
        "version": 1,
        "effective_date": None,
        "all_blocs_required": True,
        "obtention_text": "Tous les blocs de compétences doivent être validés pour obtenir le CQP.",
    }


def test_rating_scale():
    scale = DATA["rating_scale"]
    assert scale["text"] == (
        "Système d'évaluation : « acquis/partiellement acquis/non acquis » pour les études de "
        "cas et soutenance orale.\n"
        "Note sur 20 pour le questionnaire à visée professionnelle."
    )
    assert scale["levels"] == [
        {"value": "acquis", "label": "acquis"},
        {"value": "partiel", "label": "partiellement acquis"},
        {"value": "non_acquis", "label": "non acquis"},
    ]
    assert scale["questionnaire_max_score"] == 20


def test_prerequisites():
    assert DATA["prerequisites"] == {
        "text": (
            "Pour postuler au CQP, le candidat devra justifier d'une première expérience dans "
            "le secteur de l'audiovisuel ou d'une première expérience en comptabilité dans "
            "d'autres secteurs."
        ),
        "any_of": [
            {
                "code": "experience_audiovisuel",
                "label": "Une première expérience dans le secteur de l'audiovisuel",
            },
            {
                "code": "experience_comptabilite",
                "label": "Une première expérience en comptabilité dans d'autres secteurs",
            },
        ],
        "per_bloc_text": "Pas de pré-requis spécifique à chaque bloc de compétences.",
    }


def test_evaluators():
    evaluators = DATA["evaluators"]
    assert evaluators["text"] == (
        "4 personnes ne connaissant pas le candidat = 2 professionnels du métier externes + "
        "un représentant de l'OF + un représentant du certificateur"
    )
    assert evaluators["total"] == 4
    assert evaluators["must_not_know_candidate"] is True
    assert evaluators["members"] == [
        {"role": "external_professional", "label": "Professionnel du métier externe", "count": 2},
        {
            "role": "training_body",
            "label": "Représentant de l'organisme de formation (OF)",
            "count": 1,
        },
        {"role": "certifier", "label": "Représentant du certificateur", "count": 1},
    ]
    assert sum(member["count"] for member in evaluators["members"]) == evaluators["total"]


def test_jury():
    jury = DATA["jury"]
    assert jury["text"] == (
        "2 personnes : 1 membre du collège employeur + 1 membre du collège salarié, membres de "
        "la CPNEF de l'Audiovisuel"
    )
    assert jury["total"] == 2
    assert jury["members"] == [
        {
            "role": "employers_college",
            "label": "Membre du collège employeur de la CPNEF de l'audiovisuel",
            "count": 1,
        },
        {
            "role": "employees_college",
            "label": "Membre du collège salarié de la CPNEF de l'audiovisuel",
            "count": 1,
        },
    ]
    assert sum(member["count"] for member in jury["members"]) == jury["total"]


# --------------------------------------------------------------------------------------
# Blocs, activités, compétences, critères
# --------------------------------------------------------------------------------------


def test_blocs_and_titles():
    assert {code: bloc["title"] for code, bloc in blocs().items()} == BLOC_TITLES
    assert [bloc["code"] for bloc in DATA["blocs"]] == ["BC1", "BC2", "BC3"]


def test_activities_and_titles():
    found = {
        activity["code"]: activity["title"]
        for bloc in DATA["blocs"]
        for activity in bloc["activities"]
    }
    assert found == ACTIVITY_TITLES
    assert list(found) == list(ACTIVITY_TITLES)


def test_structure_bloc_activity_competence():
    found = {
        bloc["code"]: {
            activity["code"]: [competence["code"] for competence in activity["competences"]]
            for activity in bloc["activities"]
        }
        for bloc in DATA["blocs"]
    }
    assert found == STRUCTURE
    assert list(competences()) == ALL_CODES
    assert len(ALL_CODES) == 26


def test_competence_keys():
    for code, (_, _, competence) in competences().items():
        assert list(competence) == ["code", "statement", "preamble", "criteria"], code


def test_criteria_counts():
    found = {code: len(c["criteria"]) for code, (_, _, c) in competences().items()}
    assert found == CRITERIA_COUNTS


def test_criteria_totals_per_bloc():
    per_bloc = {}
    for bloc_code, _, competence in competences().values():
        per_bloc[bloc_code] = per_bloc.get(bloc_code, 0) + len(competence["criteria"])
    assert per_bloc == {"BC1": 35, "BC2": 44, "BC3": 27}


def test_preambles():
    found = {
        code: c["preamble"]
        for code, (_, _, c) in competences().items()
        if c["preamble"] is not None
    }
    assert found == PREAMBLES
    for preamble in found.values():
        assert preamble.endswith(" :")


def test_no_criterion_is_an_introductory_sentence():
    for code, (_, _, competence) in competences().items():
        for criterion in competence["criteria"]:
            assert not criterion.endswith(":"), (code, criterion)


def test_strings_carry_no_markup_or_artefacts():
    for ident, text in VERBATIM:
        for line in text.split("\n"):
            assert line == line.strip(), ident
            assert not re.search(r"<[^>]+>", line), ident
            assert "**" not in line, ident
            assert "  " not in line, ident
            assert not line.startswith(("-", "•")), ident
            assert " )" not in line and "( " not in line, ident
            # the document's own spacing: " ..." (suspension points) and SEED_TYPOGRAPHY
            rest = line.replace(" ...", "...")
            for typo in SEED_TYPOGRAPHY:
                rest = rest.replace(typo, "")
            assert " ," not in rest and " ." not in rest, (ident, line)


def test_straight_apostrophes_and_plain_spaces():
    text = DATA_FILE.read_text(encoding="utf-8")
    assert "\u2019" not in text  # the document uses the straight ' apostrophe
    assert "\u00a0" not in text and "\u202f" not in text


def test_competence_codes_are_normalised():
    for code in ALL_CODES:
        assert re.fullmatch(r"C[1-3]\.\d{1,2}", code)


def test_spot_checks_exact_strings():
    comps = {code: c for code, (_, _, c) in competences().items()}
    assert comps["C1.5"]["criteria"][2] == (
        "Le candidat saisit les éléments du devis dans le logiciel de gestion "
        "(ex : Péplum, Excel, Movie Magic Budgeting, etc.) sans erreur."
    )
    assert comps["C1.2"]["criteria"] == [
        "Le candidat effectue une lecture du devis du projet avec le directeur de production",
        "Le volume en temps et en nombre de personnes nécessaire au projet est évalué en "
        "fonction de la typologie du projet (ex : projet international, coproduction, etc.)",
        "Le candidat identifie les partenaires auprès de qui collecter les informations "
        "nécessaires à la conduite du projet (ex : chefs de poste, directeur de production, "
        "directeur financier, coproducteur, etc.)",
        "Le candidat évalue le besoin concernant l'équipe d'administration de production à "
        "mettre en place : taille de l'équipe, composition, compétences nécessaires...",
    ]
    assert comps["C1.3"]["criteria"] == [
        "Il identifie avec l'aide du producteur / directeur financier l'existence de crédit de "
        "financement, s'il s'agit de financement direct (ex : projets pour des plateformes), etc."
    ]
    assert comps["C1.4"]["criteria"][0] == (
        "Il s'enregistre auprès du prestataire (signature du contrat auprès du logiciel de "
        "comptabilité, de gestion et de paie)."
    )
    assert (
        comps["C1.4"]["criteria"][-1] == "Il effectue les paramétrages du logiciel de comptabilité"
    )
    assert comps["C1.8"]["criteria"][2] == (
        "Le candidat saisit l'échéancier dans le logiciel de gestion approprié "
        "(ex : Péplum, Excel...) en lien avec le directeur de production."
    )
    # the document's own space before the comma is kept (it is not a markup artefact)
    assert comps["C1.8"]["criteria"][3] == (
        "Le candidat communique au directeur financier/producteur les informations relatives "
        "aux besoins de trésorerie , les débloques financiers et l'alimentation des comptes en "
        "banque sont réalisés"
    )
    assert comps["C1.8"]["statement"].endswith("et organiser les débloques financiers")
    assert (
        "(ex : directeur de production, société de production, organismes de crédit, "
        "financeurs) et" in comps["C1.8"]["statement"]
    )
    assert comps["C1.9"]["criteria"] == [
        "Le candidat identifie les déclarations à effectuer en fonction des différents statuts "
        "des techniciens et artistes du projet (ex : statut salarié, droits voisin, droits "
        "d'auteur, etc.)",
        "Le candidat connaît et effectue les procédures d'ouverture de comptes (ex : ouverture "
        "directe, plateforme Net entreprise, plateforme Audiens Services/AGEPRO, etc.)",
    ]
    assert comps["C1.10"]["criteria"][0] == (
        "Le candidat connaît et utilise les principales sources de veille juridique "
        "(ex : BOSS, Légifrance, syndicats, experts-comptables, etc.)"
    )
    assert comps["C1.1"]["criteria"][4] == (
        "Le candidat récupère la liaison comptable du projet – il récupère toutes les écritures "
        "comptables réalisées avant son arrivée"
    )
    assert comps["C1.6"]["statement"] == (
        "Analyser le devis de production au regard du scénario établi en vérifiant les "
        "éventuelles erreurs de calcul, en lien avec le directeur de production, pour ajuster "
        "le devis de production en conséquence"
    )
    assert comps["C1.7"]["statement"].startswith("Etablir les matrices")
    assert comps["C2.2"]["criteria"][4] == (
        "Le stockage dématérialisé des bulletins de paie est réalisé de manière sécurisée "
        "(utilisation de coffres-forts numériques)."
    )
    assert comps["C2.10"]["statement"].endswith("des éléments comptables et sociaux établis.")
    assert comps["C3.3"]["criteria"][5] == (
        "Les déclarations fiscales liées à la comptabilité (DAS2, Taxe sur les Véhicules "
        "Société,...) sont préparées conformément aux normes en vigueur."
    )
    assert comps["C3.5"]["criteria"][3] == (
        "Il réalise éventuellement un ajustement d'échéancier sur cette dernière phase de "
        "production de l'œuvre."
    )
    assert comps["C3.6"]["statement"].endswith("et pouvoir poursuivre le projet.")
    # trailing full stops are kept exactly as in the document
    assert comps["C1.5"]["criteria"][1] == "Le devis est compris par le candidat"
    assert comps["C3.6"]["criteria"][3] == (
        "Il identifie les en-cours et les éventuels litiges en cours de traitement"
    )


# --------------------------------------------------------------------------------------
# Épreuves and validation rules
# --------------------------------------------------------------------------------------


def test_assessments_per_bloc():
    found = {
        code: [
            (
                a["kind"],
                a["title"],
                a["duration_minutes"],
                a["questions"],
                a["max_score"],
                a["mode"],
                a["paths"],
            )
            for a in bloc["assessments"]
        ]
        for code, bloc in blocs().items()
    }
    assert found == ASSESSMENTS


def test_assessment_keys_and_enums():
    keys = [
        "kind",
        "title",
        "description",
        "themes",
        "questions",
        "max_score",
        "duration_minutes",
        "mode",
        "location",
        "paths",
    ]
    for bloc in DATA["blocs"]:
        for assessment in bloc["assessments"]:
            assert list(assessment) == keys
            assert assessment["kind"] in {"questionnaire", "etude_de_cas", "soutenance"}
            assert assessment["mode"] in {"ecrit", "oral"}
            assert set(assessment["paths"]) <= {"vae", "formation"}
            assert assessment["description"]


def test_questionnaires():
    bc1, bc2 = blocs()["BC1"]["assessments"][0], blocs()["BC2"]["assessments"][0]
    assert bc1["description"] == "Questionnaire « papier » ou en ligne – 20 questions. Note /20"
    assert bc2["description"] == "Questionnaire « papier » ou en ligne – 15 questions. Note /20"
    assert bc1["location"] == bc2["location"] == "« papier » ou en ligne"
    assert bc1["themes"] == (
        "Environnement réglementaire de mise en production d'un projet, numéros de comptes, "
        "spécificités des différentes conventions collectives,, connaissance des comptes "
        "sociaux à ouvrir, etc."
    )
    assert bc2["themes"] == (
        "Réglementation sur les droits d'auteur, éléments nécessaires pour réaliser une "
        "situation, etc."
    )
    for bloc in DATA["blocs"]:
        for assessment in bloc["assessments"]:
            if assessment["kind"] != "questionnaire":
                assert assessment["themes"] == "" and assessment["location"] == ""


def test_case_studies_and_orals():
    by_kind = {(code, a["kind"]): a for code, bloc in blocs().items() for a in bloc["assessments"]}
    assert by_kind["BC1", "etude_de_cas"]["description"].startswith(
        "Sur la base de documents fournis au candidat (ex : plan de travail, 2 contrats de "
        "travail (comédien et auteur), scénario du projet, ...), le candidat prépare"
    )
    assert by_kind["BC2", "etude_de_cas"]["description"].endswith(
        "Le candidat précisera quels sont les documents qu'il a utilisé pour réaliser l'étude "
        "de cas."
    )
    assert by_kind["BC3", "etude_de_cas"]["description"] == (
        "Sur la base de documents fournis au candidat, celui-ci réalise le rendu de compte du "
        "projet et prépare la situation finale, en utilisant les logiciels dédiés."
    )
    oral_after_two = (
        "Un temps de questions/réponses avec le jury sera organisé suite aux épreuves 1 et 2. "
        "Le candidat pourra expliquer ses choix et le jury pourra poser des questions sur des "
        "compétences qu'il n'aurait pas pu observer durant les épreuves précédentes."
    )
    assert by_kind["BC1", "soutenance"]["description"] == oral_after_two
    assert by_kind["BC2", "soutenance"]["description"] == oral_after_two
    assert by_kind["BC3", "soutenance"]["description"] == (
        "Un temps de questions/réponses avec le jury sera organisé suite à l'épreuve 1. "
        "Le candidat pourra expliquer ses choix et le jury pourra poser des questions sur des "
        "compétences qu'il n'aurait pas pu observer durant l'épreuve 1."
    )


def test_rules():
    for code, bloc in blocs().items():
        rule = dict(bloc["rule"])
        assert rule.pop("text") == RULE_TEXTS[code], code
        assert rule == RULES[code], code


def test_rules_are_consistent_with_the_blocs():
    for code, bloc in blocs().items():
        rule = bloc["rule"]
        n_competences = sum(len(a["competences"]) for a in bloc["activities"])
        assert rule["min_acquired"] + rule["max_partial"] + rule["max_not_acquired"] == (
            n_competences
        ), code
        assert f"{rule['min_acquired']} compétences / {n_competences}" in rule["text"], code
        has_questionnaire = any(a["kind"] == "questionnaire" for a in bloc["assessments"])
        assert (rule["min_questionnaire_score"] is not None) == has_questionnaire, code
        assert bool(rule["questionnaire_paths"]) == has_questionnaire, code
        if has_questionnaire:
            assert f"Obtient minimum {rule['min_questionnaire_score']}/20" in rule["text"]


# --------------------------------------------------------------------------------------
# Against the seed document
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("ident", "text"), VERBATIM, ids=[ident for ident, _ in VERBATIM])
def test_string_appears_verbatim_in_seed(seed_normalised, ident, text):
    for line in text.split("\n"):
        assert normalise(line) in seed_normalised, f"{ident}: not in the seed: {line!r}"


def test_verbatim_check_covers_every_criterion():
    n_criteria = sum(1 for ident, _ in VERBATIM if ".criterion-" in ident)
    assert n_criteria == sum(CRITERIA_COUNTS.values()) == 106
    assert sum(1 for ident, _ in VERBATIM if ident.endswith(".statement")) == 26
    assert sum(1 for ident, _ in VERBATIM if ident.endswith(".preamble")) == len(PREAMBLES)


def test_kept_seed_typography_is_the_documents_own(seed_text):
    """Each space kept before a comma exists, without markup around it, in the seed itself."""
    texts = [text for _, text in VERBATIM]
    for typo in SEED_TYPOGRAPHY:
        assert typo in seed_text
        assert any(typo in text for text in texts)


@pytest.mark.parametrize("code", ALL_CODES)
def test_competence_matches_its_seed_row(seed_competence_rows, code):
    """Statement complete, and preamble + criteria cover the whole criteria cell, in order."""
    assert list(seed_competence_rows) == ALL_CODES
    _bloc_code, activity_code, competence = competences()[code]
    seed_activity, seed_statement, seed_cell = seed_competence_rows[code]
    assert normalise(competence["statement"]) == seed_statement
    if seed_activity:  # first compétence of an activité carries its title in the seed row
        match = re.fullmatch(r"Activité (\d\.\d)\.? [–-] (.*)", seed_activity)
        assert match and match.group(1) == activity_code
        assert normalise(ACTIVITY_TITLES[activity_code]) == match.group(2)
    seed_items = re.sub(r"(^| )- ", r"\1", seed_cell)
    parts = [competence["preamble"], *competence["criteria"]]
    assert normalise(" ".join(p for p in parts if p)) == seed_items
