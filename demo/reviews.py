"""Demo data of the review: four evaluators and two candidacies at two moments of it.

- Mathieu Roche (BC2 only: BC1 and BC3 validated in 2024) is « en cours d'évaluation ».
  Sandrine Olivier (eval.pro2) declared knowing him and was replaced by Hélène Dubois,
  the documented demo evaluator (evaluateur@demo.vae.local); Marc Lefort (eval.pro1) and
  Bertrand Nguyen (eval.certif) submitted their grid, Hélène Dubois and Pascale Girard
  (eval.of) are halfway: a few passages tied to criteria, some compétences rated.
- Sarah Benoît (BC3 only: BC1 and BC2 validated in 2024) has had her review completed:
  four grids with a divergence on C3.4, consolidated by the certifier's representative,
  closed by the certifier (« Évaluation terminée »).

Every step goes through the platform's services (livret 1 and 2, upload of the evidence
as PDF files, submission, panel, declarations, links, ratings, consolidation, state
transitions), so the logs and histories are those real use produces. Run again, it
changes nothing: a demo candidate who already has a candidacy is left as is.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from demo.candidacies import DEMO_CANDIDATE_PASSWORD
from demo.dossiers import DemoEvidence, employer_certificate, render_document, table_block
from livret.dossier.evidence.services import upload_evidence
from livret.dossier.links.services import add_link
from livret.dossier.services import dossier_for, sign
from livret.enums import Civility, Domain, EvidenceKind, Sector, Situation, WorkingTime
from livret.models import Narrative
from referentiel.models import Certification
from review import rules, services
from review.enums import AssignmentStatus, EvaluatorCategory, PassageKind
from review.models import Assignment, EvaluatorProfile
from vae import services as vae_services
from vae.enums import Role
from vae.models import AcquiredBloc, Candidacy, User
from vae.roles import assign_role

EVALUATOR_PASSWORD = "evaluateur-demo"
CERTIFIER_EMAIL = "certificateur@demo.vae.local"
HELENE = "evaluateur@demo.vae.local"
PRO1, PRO2 = "eval.pro1@demo.vae.local", "eval.pro2@demo.vae.local"
OF, CERTIF = "eval.of@demo.vae.local", "eval.certif@demo.vae.local"

# email, first name, last name, seat category, organisation
EVALUATORS = [
    (
        PRO1,
        "Marc",
        "Lefort",
        EvaluatorCategory.EXTERNAL_PROFESSIONAL,
        "Directeur de production indépendant",
    ),
    (
        PRO2,
        "Sandrine",
        "Olivier",
        EvaluatorCategory.EXTERNAL_PROFESSIONAL,
        "Administratrice de production, Les Films du Cap",
    ),
    (
        OF,
        "Pascale",
        "Girard",
        EvaluatorCategory.TRAINING_BODY,
        "Institut des métiers de l'image (organisme de formation)",
    ),
    (
        CERTIF,
        "Bertrand",
        "Nguyen",
        EvaluatorCategory.CERTIFIER,
        "CPNEF de l'audiovisuel",
    ),
    # The demo evaluator of the README holds a seat too (created by the demo command).
    (
        HELENE,
        "Hélène",
        "Dubois",
        EvaluatorCategory.EXTERNAL_PROFESSIONAL,
        "Administratrice de production indépendante",
    ),
]

FICTION_NOTE = (
    "Document fictif créé pour la démonstration de la plateforme VAE : personnes, sociétés "
    "et montants sont imaginaires."
)


def _eur(amount) -> str:
    whole, cents = divmod(round(amount * 100), 100)
    return f"{whole:,}".replace(",", "\u00a0") + f",{cents:02d}\u00a0€"


def _payslip(*, employee, job, period, hours, rate, overtime):
    base, extra = hours * rate, overtime * rate * 1.25
    gross = round(base + extra, 2)
    contributions = round(gross * 0.2215, 2)
    net = gross - contributions
    return {
        "title": "Bulletin de paie",
        "subtitle": f"« Les Vents contraires » — {period}",
        "recipient_lines": [employee, job, "Contrat à durée déterminée d'usage"],
        "blocks": [
            {
                "text": "Convention collective de la production audiovisuelle (IDCC 2642). "
                "Congés payés versés à la caisse des Congés Spectacles."
            },
            table_block(
                ["Rubrique", "Base", "Taux", "Montant"],
                [
                    ["Salaire de base", f"{hours} h", _eur(rate), _eur(base)],
                    [
                        "Heures supplémentaires à 25 %",
                        f"{overtime} h",
                        _eur(rate * 1.25),
                        _eur(extra),
                    ],
                    ["Salaire brut", "", "", _eur(gross)],
                    ["Cotisations salariales", _eur(gross), "22,15 %", "−" + _eur(contributions)],
                ],
                foot=["Net à payer avant impôt", "", "", _eur(net)],
                numeric=(1, 2, 3),
            ),
            {
                "note": "Bulletin établi par Mathieu Roche, anonymisé pour son dossier. "
                + FICTION_NOTE
            },
        ],
    }


def _cash_plan(*, film, months, note):
    balance, rows = 0, []
    for month, receipts, payments, comment in months:
        balance += receipts - payments
        rows.append([month, _eur(receipts), _eur(payments), _eur(balance), comment])
    return {
        "title": f"Plan de trésorerie — {film}",
        "subtitle": "Tenu au jour le jour, arrêté en fin de mois",
        "blocks": [
            {"text": note},
            table_block(
                ["Mois", "Encaissements", "Décaissements", "Solde", "Commentaire"],
                rows,
                numeric=(1, 2, 3),
            ),
            {"note": FICTION_NOTE},
        ],
    }


def _certificate(**fields):
    return employer_certificate(
        recipient_lines=["À l'attention de la CPNEF de l'audiovisuel", "Dossier de VAE"],
        **fields,
    )


SILLAGE = {
    "name": "Productions Sillage",
    "lines": [
        "SAS au capital de 40 000 € — RCS Nantes 000 000 000 (fictif)",
        "7 quai de la Fosse, 44000 Nantes",
    ],
}
NORD = {
    "name": "Atelier Nord Films",
    "lines": [
        "SARL au capital de 20 000 € — RCS Lille 000 000 000 (fictif)",
        "22 rue Gambetta, 59000 Lille",
    ],
}

# -- Mathieu Roche: BC2, under review -------------------------------------------------------

MATHIEU = {
    "email": "mathieu.roche@demo.vae.local",
    "first_name": "Mathieu",
    "last_name": "Roche",
    "acquired": ["BC1", "BC3"],
    "identity": {
        "civility": Civility.MONSIEUR,
        "birth_name": "Roche",
        "first_names": "Mathieu Pierre",
        "birth_date": datetime.date(1986, 9, 4),
        "birth_place": "Angers",
        "birth_country": "France",
        "nationality": "Française",
        "address": "15 rue Kervégan",
        "postal_code": "44000",
        "city": "Nantes",
        "country": "France",
        "phone": "06 31 52 74 96",
    },
    "experience": {
        "employer": "Productions Sillage",
        "sector": Sector.AUDIOVISUAL,
        "job_title": "Administrateur de production",
        "domains": [Domain.PRODUCTION_ADMINISTRATION, Domain.PAYROLL, Domain.TREASURY],
        "start_date": datetime.date(2013, 1, 7),
        "ongoing": True,
        "working_time": WorkingTime.FULL_TIME,
        "description": (
            "Administration de production de séries de fiction : paie des intermittents, "
            "comptabilité de tournage, trésorerie, déclarations sociales, encadrement d'une "
            "équipe de deux personnes."
        ),
    },
    "narratives": {
        "2.1": (
            "Sur « Les Vents contraires » (série de 6 × 52 minutes, 62 jours de tournage à "
            "Nantes et Saint-Nazaire), je collectais chaque lundi les feuilles d'heures des 74 "
            "techniciens et des comédiens, validées par les chefs de poste. Je vérifiais les "
            "heures de nuit et les dépassements avant de les saisir, et je conservais les "
            "feuilles dans un dossier partagé dont j'avais limité les accès.\n\n"
            "J'établissais ensuite la paie hebdomadaire dans le logiciel de paie du spectacle, "
            "ainsi que les notes de droits d'auteur des deux scénaristes et du réalisateur, "
            "pour un paiement chaque jeudi."
        ),
        "2.2": (
            "Pendant le tournage, je traitais les notes de frais de la régie et des "
            "départements (environ 120 par semaine) en les imputant selon le plan comptable du "
            "film, et je réglais les factures des prestataires après accord du directeur de "
            "production, en vérifiant chaque matin le solde disponible.\n\n"
            "Chaque vendredi, je produisais le coût de la semaine par département. Quand la "
            "décoration a dépassé son budget de 18 %, j'ai alerté le directeur de production, "
            "qui a remplacé la construction d'un décor par un décor naturel."
        ),
        "2.3": (
            "Je tenais le plan de trésorerie au jour le jour, en payant d'abord les salaires et "
            "les cotisations, puis les prestataires selon leurs échéances. J'ai préparé trois "
            "appels de fonds sur le crédit de trésorerie adossé au préachat de la chaîne.\n\n"
            "J'identifiais dans la comptabilité les dépenses éligibles au crédit d'impôt "
            "audiovisuel et celles engagées en Pays de la Loire pour le fonds régional, dont "
            "j'ai préparé l'état récapitulatif demandé par la Région."
        ),
        "2.4": (
            "Chaque mois, je réalisais la DSN et les déclarations auprès d'Audiens, des Congés "
            "Spectacles et de l'AFDAS, en rapprochant les montants déclarés des journaux de "
            "paie. J'ai corrigé avant l'envoi une erreur de taux de contribution chômage des "
            "intermittents.\n\n"
            "Le 5 de chaque mois, je transmettais au comptable de la société la TVA déductible "
            "sur les factures payées et la TVA collectée sur les refacturations au coproducteur."
        ),
        "2.5": (
            "Sur la série, j'encadrais une assistante d'administration et un alternant. J'ai "
            "réparti les tâches (notes de frais, contrats, classement), fixé un point quotidien "
            "de quinze minutes et contrôlé chaque semaine un échantillon de leurs saisies.\n\n"
            "Pour l'assistante, malentendante, j'ai remplacé les consignes orales par des "
            "consignes écrites dans notre messagerie et aménagé la disposition du bureau."
        ),
    },
    "evidence": [
        DemoEvidence(
            key="paie",
            title="Bulletins de paie — « Les Vents contraires »",
            kind=EvidenceKind.PAYSLIP,
            filename="bulletins-vents-contraires.pdf",
            issuer=SILLAGE,
            pages=[
                _payslip(
                    employee="Chef électricien (nom masqué)",
                    job="Chef électricien",
                    period="semaine du 11 mars 2024",
                    hours=39,
                    rate=27.40,
                    overtime=9,
                ),
                _payslip(
                    employee="Assistante réalisatrice (nom masqué)",
                    job="Première assistante réalisatrice",
                    period="semaine du 18 mars 2024",
                    hours=39,
                    rate=31.10,
                    overtime=6,
                ),
            ],
        ),
        DemoEvidence(
            key="tresorerie",
            title="Plan de trésorerie — « Les Vents contraires »",
            kind=EvidenceKind.CASH_PLAN,
            filename="tresorerie-vents-contraires.pdf",
            issuer=SILLAGE,
            pages=[
                _cash_plan(
                    film="« Les Vents contraires »",
                    note=(
                        "Financement : préachat de la chaîne 2 300 000 €, fonds régional "
                        "Pays de la Loire 350 000 €, crédit d'impôt audiovisuel 720 000 €, "
                        "apport du producteur 730 000 €."
                    ),
                    months=[
                        ("Janvier 2024", 1_150_000, 420_000, "Préachat, 1re tranche"),
                        ("Février 2024", 365_000, 780_000, "Apport producteur (50 %)"),
                        ("Mars 2024", 600_000, 910_000, "Appel de fonds n° 1"),
                        ("Avril 2024", 525_000, 860_000, "Région (50 %), appel n° 2"),
                        ("Mai 2024", 690_000, 540_000, "Préachat, solde"),
                    ],
                )
            ],
        ),
        DemoEvidence(
            key="attestation",
            title="Attestation employeur — Productions Sillage",
            kind=EvidenceKind.EMPLOYER_CERTIFICATE,
            filename="attestation-sillage.pdf",
            issuer=SILLAGE,
            pages=[
                _certificate(
                    place_date="Nantes, le 3 février 2026",
                    signatory="Anne Kerjean",
                    role="Présidente, productrice",
                    paragraphs=[
                        "Je soussignée Anne Kerjean atteste que Monsieur Mathieu Roche est "
                        "administrateur de production de notre société depuis janvier 2013 et "
                        "qu'il assure les missions suivantes :",
                        "Il encadre depuis 2021 une équipe d'administration de deux personnes, "
                        "dont il organise et contrôle le travail.",
                    ],
                    missions=[
                        ["Paie des intermittents et droits d'auteur", "Toutes nos séries"],
                        [
                            "Comptabilité de tournage : notes de frais, factures, coûts par "
                            "département",
                            "Toutes nos séries",
                        ],
                        ["Déclarations sociales et état de TVA", "Depuis 2015"],
                        ["Trésorerie et appels de fonds", "« Les Vents contraires » (2024)"],
                    ],
                )
            ],
        ),
    ],
    # compétence -> (evidence key, pages) or (None, activité narrated), justification
    "links": [
        ("C2.1", "paie", (1, 2), "Les heures payées viennent des feuilles que j'ai collectées."),
        ("C2.2", "paie", (1, 2), "Deux bulletins hebdomadaires que j'ai établis."),
        ("C2.3", "attestation", (1, 1), "La comptabilité de tournage est attestée."),
        ("C2.3", None, "2.2", "Mon récit décrit le traitement des notes de frais et factures."),
        ("C2.4", "attestation", (1, 1), "Le suivi des coûts par département est attesté."),
        ("C2.4", None, "2.2", "Le suivi hebdomadaire par département et l'alerte donnée."),
        ("C2.5", "tresorerie", (1, 1), "Le plan de trésorerie mensuel que je tenais."),
        ("C2.6", "tresorerie", (1, 1), "Le crédit d'impôt figure au plan de financement."),
        ("C2.7", "tresorerie", (1, 1), "Le fonds régional figure au plan de financement."),
        ("C2.7", None, "2.3", "L'état récapitulatif des dépenses en région, décrit ici."),
        ("C2.8", "attestation", (1, 1), "L'attestation cite les déclarations sociales."),
        ("C2.9", "attestation", (1, 1), "L'attestation cite l'état de TVA transmis."),
        ("C2.10", "attestation", (1, 1), "L'encadrement de l'équipe est attesté."),
    ],
}

# -- Sarah Benoît: BC3, review completed ----------------------------------------------------

SARAH = {
    "email": "sarah.benoit@demo.vae.local",
    "first_name": "Sarah",
    "last_name": "Benoît",
    "acquired": ["BC1", "BC2"],
    "identity": {
        "civility": Civility.MADAME,
        "birth_name": "Benoît",
        "first_names": "Sarah",
        "birth_date": datetime.date(1982, 2, 17),
        "birth_place": "Amiens",
        "birth_country": "France",
        "nationality": "Française",
        "address": "9 rue de la Clef",
        "postal_code": "59800",
        "city": "Lille",
        "country": "France",
        "phone": "06 27 41 85 03",
    },
    "experience": {
        "employer": "Atelier Nord Films",
        "sector": Sector.AUDIOVISUAL,
        "job_title": "Administratrice de production",
        "domains": [Domain.PRODUCTION_ADMINISTRATION, Domain.ACCOUNTING],
        "start_date": datetime.date(2010, 5, 3),
        "ongoing": True,
        "working_time": WorkingTime.FULL_TIME,
        "description": (
            "Administration de longs métrages et de documentaires, jusqu'à la clôture des "
            "comptes : rapprochements paie-comptabilité, situation finale, archivage."
        ),
    },
    "narratives": {
        "3.1": (
            "À la fin du tournage de « L'Heure bleue » (long métrage, 1,9 M€), j'ai collecté "
            "et classé tous les justificatifs : contrats de travail, notes de frais, factures "
            "en cours et chèques de caution restitués, puis archivé les pièces par chapitre "
            "du devis avant de remettre le dossier à la société de production.\n\n"
            "J'ai rapproché les journaux de paie de la comptabilité et corrigé deux écritures "
            "d'un mois mal imputé. J'ai vérifié les écritures dans le logiciel de comptabilité "
            "avant de les transmettre au comptable de la société, puis contrôlé les sauvegardes "
            "des logiciels de paie et de comptabilité et leur dépôt sur le serveur."
        ),
        "3.2": (
            "Avec le directeur de production, j'ai établi la situation finale de « L'Heure "
            "bleue » : dépenses réalisées, dépenses restant à venir et comparaison au devis "
            "initial, chapitre par chapitre, avec l'explication de chaque écart supérieur à "
            "5 %.\n\n"
            "J'ai transmis au producteur, par le comptable de la société, un historique complet "
            "du dossier trois semaines après la fin de la postproduction, avec la liste des "
            "en-cours et le litige en cours avec un loueur de matériel."
        ),
    },
    "evidence": [
        DemoEvidence(
            key="situation",
            title="Situation finale — « L'Heure bleue »",
            kind=EvidenceKind.BUDGET,
            filename="situation-finale-heure-bleue.pdf",
            issuer=NORD,
            pages=[
                {
                    "title": "Situation finale des coûts — « L'Heure bleue »",
                    "subtitle": "Coût définitif comparé au devis initial",
                    "blocks": [
                        table_block(
                            ["Chapitre", "Devis", "Coût définitif", "Écart"],
                            [
                                ["Personnel", _eur(512_000), _eur(526_400), "+2,8 %"],
                                ["Interprétation", _eur(344_000), _eur(338_900), "−1,5 %"],
                                ["Décors et costumes", _eur(198_000), _eur(221_700), "+12,0 %"],
                                ["Moyens techniques", _eur(176_500), _eur(169_300), "−4,1 %"],
                                ["Postproduction", _eur(158_000), _eur(161_200), "+2,0 %"],
                            ],
                            numeric=(1, 2, 3),
                        ),
                        {
                            "text": "Écart sur les décors : reconstruction du décor de la "
                            "gare après la tempête de février. En-cours : solde du mixage. "
                            "Litige : caution retenue par un loueur de matériel."
                        },
                        {"note": FICTION_NOTE},
                    ],
                }
            ],
        ),
        DemoEvidence(
            key="attestation",
            title="Attestation employeur — Atelier Nord Films",
            kind=EvidenceKind.EMPLOYER_CERTIFICATE,
            filename="attestation-atelier-nord.pdf",
            issuer=NORD,
            pages=[
                _certificate(
                    place_date="Lille, le 20 janvier 2026",
                    signatory="Olivier Deschamps",
                    role="Gérant, producteur",
                    paragraphs=[
                        "Je soussigné Olivier Deschamps atteste que Madame Sarah Benoît est "
                        "administratrice de production de notre société depuis mai 2010 et "
                        "qu'elle assure la clôture des comptes de nos films :",
                        "Elle met en place l'archivage des pièces et des sauvegardes des "
                        "logiciels de comptabilité et de paie à la fin de chaque production.",
                    ],
                    missions=[
                        ["Rapprochements paie et comptabilité", "Tous nos films depuis 2012"],
                        ["Classement et archivage des pièces du film", "Depuis 2010"],
                        ["Situation finale et historique du dossier", "« L'Heure bleue » (2025)"],
                    ],
                )
            ],
        ),
    ],
    "links": [
        ("C3.1", "attestation", (1, 1), "L'archivage des pièces en fin de film est attesté."),
        ("C3.1", None, "3.1", "Mon récit décrit la collecte, le classement et l'archivage."),
        ("C3.2", "attestation", (1, 1), "Les rapprochements paie-comptabilité sont attestés."),
        ("C3.3", "situation", (1, 1), "La situation est issue de la comptabilité vérifiée."),
        ("C3.4", "attestation", (1, 1), "L'attestation cite l'archivage des sauvegardes."),
        ("C3.5", "situation", (1, 1), "La situation finale que j'ai établie."),
        ("C3.6", "situation", (1, 1), "Les en-cours et le litige transmis au producteur."),
        ("C3.6", None, "3.2", "La transmission de l'historique au producteur."),
    ],
}

# Sarah Benoît's grids: every evaluator's rating and why, per compétence. C3.4 divides
# the panel (acquis next to non acquis): the consolidation settles it as « partiel ».
SARAH_GRIDS = {
    "C3.1": {
        "*": ("acquis", "Le récit décrit une collecte et un archivage complets, par chapitre."),
    },
    "C3.2": {
        "*": ("acquis", "Le rapprochement paie-comptabilité est décrit, avec l'erreur corrigée."),
        OF: ("partiel", "Le récit ne dit rien de la vérification des taux et plafonds."),
    },
    "C3.3": {
        "*": ("acquis", "La situation finale repose sur une comptabilité vérifiée et transmise."),
    },
    "C3.4": {
        PRO1: ("acquis", "L'attestation et le récit montrent le contrôle des sauvegardes."),
        PRO2: ("non_acquis", "Aucune pièce ne montre le système d'archivage mis en place."),
        OF: ("partiel", "Le contrôle est cité, mais pas l'organisation de l'archivage."),
        CERTIF: ("acquis", "L'attestation de l'employeur suffit à établir la pratique."),
    },
    "C3.5": {
        "*": ("acquis", "Situation finale détaillée, écarts expliqués au-delà de 5 %."),
    },
    "C3.6": {
        "*": ("acquis", "Historique transmis dans les délais, avec en-cours et litige."),
    },
}
SARAH_CONSOLIDATION = {
    "C3.4": (
        "partiel",
        "Le contrôle des sauvegardes est attesté, mais rien ne montre l'organisation de "
        "l'archivage : « partiellement acquis », à vérifier lors de l'entretien.",
    ),
}

# Mathieu Roche's grids so far: the two submitted ones in full, the two others partly.
MATHIEU_GRIDS = {
    PRO1: {"*": ("acquis", "Pratique décrite avec précision et appuyée par les pièces.")},
    CERTIF: {
        "*": ("acquis", "Les pièces et le récit établissent la compétence."),
        "C2.7": ("partiel", "L'état récapitulatif pour la Région n'est pas joint."),
    },
    OF: {
        "C2.1": ("acquis", "Collecte hebdomadaire et confidentialité décrites."),
        "C2.2": ("acquis", "Bulletins établis par le candidat, conformes."),
        "C2.5": ("partiel", "Le plan montre le suivi, pas les arbitrages de paiement."),
    },
    HELENE: {
        "C2.1": ("acquis", "Les feuilles d'heures sont vérifiées avant saisie."),
    },
}


# -- building blocks ------------------------------------------------------------------------


def _user(email, first_name, last_name, password, role) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
    assign_role(user, role)
    return user


def ensure_demo_evaluators() -> dict[str, User]:
    """The demo evaluators with their seat category, by e-mail."""
    evaluators = {}
    for email, first_name, last_name, category, organisation in EVALUATORS:
        user = _user(email, first_name, last_name, EVALUATOR_PASSWORD, Role.EVALUATOR)
        if not user.check_password(EVALUATOR_PASSWORD):
            # Keep the printed password true even if someone changed it.
            user.set_password(EVALUATOR_PASSWORD)
            user.save(update_fields=["password"])
        EvaluatorProfile.objects.update_or_create(
            user=user, defaults={"category": category, "organisation": organisation}
        )
        evaluators[email] = user
    return evaluators


def _certifier() -> User:
    return _user(CERTIFIER_EMAIL, "Sophie", "Lefèvre", "certificateur-demo", Role.CERTIFIER)


def _eligible_candidacy(story, certifier) -> Candidacy:
    """Livret 1 filled in, submitted and found recevable, like any candidate's."""
    candidate = _user(
        story["email"],
        story["first_name"],
        story["last_name"],
        DEMO_CANDIDATE_PASSWORD,
        Role.CANDIDATE,
    )
    version = Certification.objects.current()
    for bloc in version.blocs.filter(code__in=story["acquired"]):
        AcquiredBloc.objects.get_or_create(
            candidate=candidate,
            certification_code=version.code,
            bloc_code=bloc.code,
            defaults={"bloc_title": bloc.title, "acquired_on": datetime.date(2024, 6, 28)},
        )
    candidacy = vae_services.start_candidacy(candidate=candidate)
    request = candidacy.eligibility_request
    now = timezone.now()
    for field, value in story["identity"].items():
        setattr(request, field, value)
    request.identity_saved_at = request.situation_saved_at = now
    request.accommodation_saved_at = now
    request.situation = Situation.EMPLOYEE_PERMANENT
    request.no_training = True
    request.needs_accommodation = False
    request.experiences.create(**story["experience"])
    request.sign(name=candidate.get_full_name(), place=story["identity"]["city"])
    request.save()
    vae_services.submit_eligibility(candidacy=candidacy, by=candidate)
    vae_services.accept_eligibility(candidacy=candidacy, by=certifier)
    return candidacy


def _upload(dossier, candidate, item: DemoEvidence):
    """Upload a rendered PDF through the candidate's own upload service, text read now."""
    from livret.dossier.evidence.tasks import extract_evidence_text

    data = render_document(item)
    change = upload_evidence(
        dossier=dossier,
        by=candidate,
        uploaded=SimpleUploadedFile(item.filename, data, content_type="application/pdf"),
        title=item.title,
        kind=item.kind,
    )
    # The upload queues the extraction after commit; the demo reads the pages right away.
    extract_evidence_text.call(change.evidence.pk)
    return change.evidence


def _submitted_dossier(story, candidacy):
    """Livret 2 written, linked, signed and submitted by the candidate."""
    candidate = candidacy.candidate
    dossier = dossier_for(candidacy)
    activities, competences = {}, {}
    for bloc in candidacy.referentiel_tree():
        for activity in bloc.activities.all():
            activities[activity.code] = activity
            competences.update({c.code: c for c in activity.competences.all()})
    narratives = {
        code: Narrative.objects.create(
            dossier=dossier, activity=activities[code], text=text, version=1, updated_by=candidate
        )
        for code, text in story["narratives"].items()
    }
    evidence = {item.key: _upload(dossier, candidate, item) for item in story["evidence"]}
    for code, key, target, justification in story["links"]:
        if key is None:
            add_link(
                dossier=dossier,
                by=candidate,
                competence=competences[code],
                narrative=narratives[target],
                justification=justification,
            )
        else:
            add_link(
                dossier=dossier,
                by=candidate,
                competence=competences[code],
                evidence=evidence[key],
                page_from=target[0],
                page_to=target[1],
                justification=justification,
            )
    sign(dossier=dossier, by=candidate, name=candidate.get_full_name(), place="Paris")
    vae_services.submit_dossier(candidacy=candidacy, by=candidate)
    return narratives, evidence, competences


def _declare_all(candidacy):
    for assignment in Assignment.objects.filter(
        candidacy=candidacy, status=AssignmentStatus.AWAITING_DECLARATION
    ).select_related("evaluator"):
        services.declare(assignment=assignment, by=assignment.evaluator, knows_candidate=False)


def _assignment(candidacy, user) -> Assignment:
    return (
        Assignment.objects.holding()
        .select_related("candidacy")
        .get(candidacy=candidacy, evaluator=user)
    )


def _link_passage(assignment, criteria, *, narrative=None, phrase="", evidence=None, page=1):
    """Tie ``phrase`` of a narrative (or of an evidence page, or the whole page) to
    ``criteria``, as an evaluator selecting it on the dossier page would."""
    user = assignment.evaluator
    if narrative is not None:
        start = narrative.text.index(phrase)
        return services.add_criterion_link(
            assignment=assignment,
            by=user,
            kind=PassageKind.NARRATIVE,
            criteria=criteria,
            narrative=narrative,
            start=start,
            end=start + len(phrase),
            comment="Passage probant.",
        )
    page_text = evidence.pages.filter(number=page).values_list("text", flat=True).first() or ""
    if phrase and phrase in page_text:
        start = page_text.index(phrase)
        return services.add_criterion_link(
            assignment=assignment,
            by=user,
            kind=PassageKind.PAGE_TEXT,
            criteria=criteria,
            evidence=evidence,
            page=page,
            start=start,
            end=start + len(phrase),
        )
    return services.add_criterion_link(
        assignment=assignment,
        by=user,
        kind=PassageKind.PAGE,
        criteria=criteria,
        evidence=evidence,
        page=page,
    )


def _rate_all(assignment, grid, competences):
    for code, competence in competences.items():
        rating = grid.get(code) or grid.get("*")
        if rating is None:
            continue
        services.rate(
            assignment=assignment,
            competence=competence,
            rating=rating[0],
            justification=rating[1],
            by=assignment.evaluator,
        )


# -- the two stories ------------------------------------------------------------------------


def _under_review(certifier, evaluators) -> Candidacy:
    candidacy = _eligible_candidacy(MATHIEU, certifier)
    narratives, evidence, competences = _submitted_dossier(MATHIEU, candidacy)
    services.assign_panel(
        candidacy=candidacy,
        evaluators=[evaluators[e] for e in (PRO1, PRO2, OF, CERTIF)],
        by=certifier,
    )
    services.declare(
        assignment=_assignment(candidacy, evaluators[PRO2]),
        by=evaluators[PRO2],
        knows_candidate=True,
        details="Mathieu Roche a été mon assistant sur une série en 2019.",
    )
    services.assign_panel(candidacy=candidacy, evaluators=[evaluators[HELENE]], by=certifier)
    _declare_all(candidacy)
    vae_services.start_review(candidacy=candidacy, by=certifier)

    pro1, helene = (
        _assignment(candidacy, evaluators[PRO1]),
        _assignment(candidacy, evaluators[HELENE]),
    )
    criteria = {code: list(c.criteria.all()) for code, c in competences.items()}
    _link_passage(
        pro1,
        criteria["C2.1"][:2],
        narrative=narratives["2.1"],
        phrase="je collectais chaque lundi les feuilles d'heures des 74 techniciens",
    )
    _link_passage(pro1, criteria["C2.2"][:1], evidence=evidence["paie"], phrase="Salaire brut")
    _link_passage(pro1, criteria["C2.5"][:1], evidence=evidence["tresorerie"])
    _link_passage(
        helene,
        criteria["C2.4"][:1],
        narrative=narratives["2.2"],
        phrase="j'ai alerté le directeur de production",
    )
    _link_passage(helene, criteria["C2.10"][:1], evidence=evidence["attestation"])
    for email, grid in MATHIEU_GRIDS.items():
        _rate_all(_assignment(candidacy, evaluators[email]), grid, competences)
    for email in (PRO1, CERTIF):
        assignment = _assignment(candidacy, evaluators[email])
        services.submit_grid(assignment=assignment, by=assignment.evaluator)
    return candidacy


def _reviewed(certifier, evaluators) -> Candidacy:
    candidacy = _eligible_candidacy(SARAH, certifier)
    narratives, evidence, competences = _submitted_dossier(SARAH, candidacy)
    panel = [evaluators[e] for e in (PRO1, PRO2, OF, CERTIF)]
    services.assign_panel(candidacy=candidacy, evaluators=panel, by=certifier)
    _declare_all(candidacy)
    vae_services.start_review(candidacy=candidacy, by=certifier)
    criteria = {code: list(c.criteria.all()) for code, c in competences.items()}
    _link_passage(
        _assignment(candidacy, evaluators[PRO2]),
        criteria["C3.4"][:1],
        narrative=narratives["3.1"],
        phrase="contrôlé les sauvegardes",
    )
    _link_passage(
        _assignment(candidacy, evaluators[CERTIF]),
        criteria["C3.5"][:1],
        evidence=evidence["situation"],
        phrase="Coût définitif",
    )
    for email in (PRO1, PRO2, OF, CERTIF):
        assignment = _assignment(candidacy, evaluators[email])
        grid = {code: ratings.get(email) or ratings["*"] for code, ratings in SARAH_GRIDS.items()}
        _rate_all(assignment, grid, competences)
        services.submit_grid(assignment=assignment, by=assignment.evaluator)
    seat = _assignment(candidacy, evaluators[CERTIF])
    for code, competence in competences.items():
        rating, justification = SARAH_CONSOLIDATION.get(
            code, ("acquis", "Les quatre évaluateurs concordent : compétence établie.")
        )
        services.consolidate(
            assignment=seat,
            competence=competence,
            rating=rating,
            justification=justification,
            by=seat.evaluator,
        )
    vae_services.complete_review(
        candidacy=candidacy,
        by=certifier,
        comment="Grilles consolidées ; dossier prêt pour le jury.",
    )
    return candidacy


def _summary(candidacy) -> str:
    active = Assignment.objects.active().filter(candidacy=candidacy)
    submitted = sum(1 for a in active if a.grid_submitted)
    line = (
        f"  {candidacy.candidate.email:<32} {candidacy.reference}  "
        f"{candidacy.get_state_display()} — grilles remises : {submitted}/{len(active)}"
    )
    outcomes = [
        f"{bloc.code} {'validé' if outcome.validated else 'non validé'}"
        for bloc, outcome in rules.provisional_outcomes(candidacy)
        if outcome is not None
    ]
    if outcomes:
        line += " — résultat provisoire : " + ", ".join(outcomes)
    return line


@transaction.atomic
def create_demo_reviews(certifier=None) -> list[str]:
    """The demo evaluators, then the two review stories, created once.

    Returns the lines the demo command prints: the evaluators' accounts, then each
    demo candidacy of the review with its state.
    """
    certifier = certifier or _certifier()
    evaluators = ensure_demo_evaluators()
    stories = [(MATHIEU, _under_review), (SARAH, _reviewed)]
    for story, create in stories:
        if not Candidacy.objects.filter(candidate__email=story["email"]).exists():
            create(certifier, evaluators)
    lines = [
        f"  {email:<32} mot de passe : {EVALUATOR_PASSWORD:<16} {category.label}"
        for email, _first, _last, category, _organisation in EVALUATORS
    ]
    for story, _create in stories:
        candidacy = (
            Candidacy.objects.filter(candidate__email=story["email"])
            .select_related("candidate")
            .first()
        )
        if candidacy is not None:
            lines.append(_summary(candidacy))
    return lines
