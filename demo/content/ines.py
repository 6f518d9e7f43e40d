"""Inès Lambert's livret 2: a complete dossier on the three blocs, which her story
signs and submits (``demo.candidacies``)."""

from demo.content.maree_basse import EVIDENCE
from demo.stories import DemoDossier, DemoLink

INES_DOSSIER = DemoDossier(
    narratives={
        "1.1": (
            "Pour « Marée basse » (long métrage, 2,8 M€, 38 jours de tournage entre Saint-Malo "
            "et Cancale), j'ai ouvert le dossier comptable du film dès la signature de la "
            "convention de coproduction : récupération du plan de financement, des contrats "
            "de coproduction et de la convention avec la Région Bretagne, puis création du "
            "plan comptable analytique du film à partir du plan comptable général adapté à la "
            "production audiovisuelle.\n\n"
            "Avant la préparation, j'ai rencontré le directeur de production et la régisseuse "
            "générale pour comprendre l'organisation du plateau : qui valide les dépenses de "
            "chaque département, à quel rythme remontent les feuilles d'heures et les notes "
            "de frais, comment circulent les bons de commande."
        ),
        "1.2": (
            "Le financement de « Marée basse » reposait sur un apport du producteur, un "
            "préachat de chaîne, un coproducteur belge, l'aide de la Région Bretagne "
            "(conditionnée à des dépenses en région) et le crédit d'impôt cinéma. J'ai traduit "
            "ces mécanismes en règles de suivi : un code analytique « dépense en Bretagne » et "
            "un code « éligible au crédit d'impôt » sur chaque ligne du devis.\n\n"
            "J'ai mis en place un tableau de bord hebdomadaire (coûts engagés, payés, reste à "
            "engager par poste) et une procédure de validation des factures. Quand le tournage "
            "a été décalé d'une journée à cause d'une tempête, j'ai recalculé le plan de "
            "trésorerie et l'échéancier des salaires dans la journée."
        ),
        "1.3": (
            "J'ai saisi dans Movie Magic Budgeting le devis établi par le directeur de "
            "production (2 814 600 €) et je l'ai contrôlé au regard du dépouillement du "
            "scénario. J'ai relevé deux erreurs représentant 18 400 € au total : quatre jours "
            "de location de grue comptés deux fois, et des heures de nuit de l'équipe "
            "électrique non majorées. Nous les avons corrigées ensemble avant le dépôt du "
            "devis à la Région.\n\n"
            "J'ai ensuite paramétré la paie dans le logiciel de paie du spectacle (fiches "
            "salariés, convention collective, taux Audiens et Congés Spectacles) et créé avec "
            "la secrétaire de production les modèles de feuilles d'heures et de notes de frais "
            "utilisés pendant le tournage."
        ),
        "1.4": (
            "À partir du devis, j'ai établi l'échéancier des dépenses par poste et par mois, "
            "transmis au producteur, à la banque (crédit de trésorerie adossé au préachat) et "
            "à la Région pour organiser les versements. J'ai ouvert les comptes du film auprès "
            "de l'URSSAF, d'Audiens, des Congés Spectacles et de France Travail six semaines "
            "avant le premier jour de tournage, pour pouvoir déclarer dès la première paie."
        ),
        "1.5": (
            "Je suis abonnée aux lettres d'information d'Audiens et du CNC, et je consulte "
            "chaque mois le Bulletin officiel de la sécurité sociale et les avenants de la "
            "convention collective de la production cinématographique. En janvier 2024, j'ai "
            "ainsi intégré avant la première paie la revalorisation des salaires minima "
            "conventionnels et le nouveau plafond de la sécurité sociale, et j'ai informé "
            "l'équipe de production du changement de taux de la contribution formation."
        ),
        "2.1": (
            "Chaque lundi du tournage, je collectais auprès des chefs de poste les feuilles "
            "d'heures de la semaine écoulée, signées par le salarié et son chef de poste. Je "
            "vérifiais les heures supplémentaires, les heures de nuit et les jours fériés au "
            "regard de la convention collective, puis j'établissais les bulletins de paie des "
            "62 salariés intermittents et les notes de droits d'auteur du réalisateur et de la "
            "scénariste.\n\n"
            "Les documents restaient dans une armoire fermée à clé et dans un dossier partagé "
            "dont j'étais seule à gérer les accès."
        ),
        "2.2": (
            "J'ai tenu la comptabilité du film : saisie des factures et des notes de frais, "
            "rapprochement bancaire hebdomadaire, paiement des fournisseurs selon les échéances "
            "négociées. Chaque vendredi, j'adressais au directeur de production l'état des "
            "coûts par département (engagé, payé, reste à engager, prévision de fin). En "
            "quatrième semaine, le dépassement de 12 % du poste décors m'a conduite à proposer "
            "un report d'économies sur la régie, validé par la production."
        ),
        "2.3": (
            "Je mettais à jour le plan de trésorerie chaque jour du tournage, en classant les "
            "paiements par priorité : salaires et cotisations d'abord, puis loueurs et "
            "prestataires. J'ai préparé les appels de fonds auprès de la banque et du "
            "coproducteur belge, et qualifié dans la comptabilité les dépenses éligibles au "
            "crédit d'impôt cinéma et à l'aide de la Région Bretagne, avec un état récapitulatif "
            "transmis au producteur à chaque fin de mois."
        ),
        "2.4": (
            "J'ai établi et transmis chaque mois la DSN du film (URSSAF, Audiens, Congés "
            "Spectacles, France Travail) et contrôlé les comptes rendus de traitement ; une "
            "anomalie sur le taux accident du travail d'un salarié a été corrigée dans la DSN "
            "suivante. À chaque clôture mensuelle, j'ai transmis au cabinet comptable de la "
            "société le montant de TVA déductible par taux, avec la liste des factures payées."
        ),
        "2.5": (
            "Sur la série documentaire « Les Bâtisseurs » (6 × 52 minutes), j'ai encadré une "
            "assistante d'administration et une stagiaire : répartition des tâches (saisie des "
            "factures, préparation des feuilles d'heures), point hebdomadaire et contrôle de "
            "chaque bulletin avant envoi. Pour la stagiaire, dyslexique, nous avions défini "
            "ensemble des modèles de saisie simplifiés et un double contrôle systématique."
        ),
        "3.1": (
            "À la fin de la postproduction de « Marée basse », j'ai rassemblé et classé les "
            "contrats de travail, les bulletins, les notes de frais, les factures et les chèques "
            "de caution, archivés sur papier et en numérique selon le plan de classement de la "
            "société.\n\n"
            "J'ai rapproché le journal de paie et la comptabilité : deux écarts (une indemnité "
            "de repas mal imputée, un taux de retraite complémentaire erroné) ont été corrigés "
            "avant la clôture. J'ai vérifié les sauvegardes des logiciels de comptabilité et de "
            "paie, puis je les ai déposées sur le serveur de la société."
        ),
        "3.2": (
            "J'ai établi la situation finale du film : 2 796 300 € dépensés pour un devis de "
            "2 814 600 €, soit une économie de 18 300 €, avec l'explication des principaux "
            "écarts par chapitre (décors +9 %, régie −14 %). Je l'ai présentée au directeur de "
            "production, puis transmise au producteur par le comptable de la société avec "
            "l'historique du dossier, les factures encore attendues et le suivi d'un litige "
            "avec un loueur de véhicules."
        ),
    },
    evidence=EVIDENCE,
    links=[
        DemoLink(
            "C1.1",
            "L'attestation indique que j'ai ouvert et paramétré le plan comptable analytique du "
            "film dès la préparation.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C1.2",
            "Mon employeur atteste de ma présence sur le plateau et de l'organisation de la "
            "remontée des feuilles d'heures et des notes de frais que j'ai mise en place.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C1.3",
            "Le plan de trésorerie fait apparaître chaque source de financement et son "
            "calendrier, que j'ai intégrés au suivi du film.",
            "tresorerie",
            (1, 1),
        ),
        DemoLink(
            "C1.4",
            "Le récapitulatif du devis porte les colonnes « en Bretagne » et « éligible CI » que "
            "j'ai créées pour suivre chaque poste de dépense.",
            "devis",
            (1, 1),
        ),
        DemoLink(
            "C1.5",
            "Ce devis est l'export de l'enregistrement que j'ai fait dans Movie Magic Budgeting ; "
            "il a servi de référence au suivi des coûts.",
            "devis",
            (1, 2),
        ),
        DemoLink(
            "C1.6",
            "La page 2 montre les deux corrections que j'ai proposées au directeur de production "
            "après avoir contrôlé le devis.",
            "devis",
            (2, 2),
        ),
        DemoLink(
            "C1.7",
            "Mon récit de l'activité 1.3 décrit le paramétrage de la paie et des modèles de "
            "feuilles d'heures préparés avec la secrétaire de production.",
            activity="1.3",
        ),
        DemoLink(
            "C1.7",
            "Ces bulletins sont produits avec le paramétrage (convention collective, taux) que "
            "j'ai établi avant le tournage.",
            "paie",
            (1, 2),
        ),
        DemoLink(
            "C1.8",
            "L'échéancier, établi à partir du devis, a été transmis au producteur, à la banque et "
            "à la Région.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C1.9",
            "Les quatre premières lignes sont les comptes du film que j'ai ouverts auprès de "
            "l'URSSAF, d'Audiens, des Congés Spectacles et de France Travail.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C1.10",
            "Mon récit de l'activité 1.5 décrit mes sources de veille et la mise à jour des taux "
            "de janvier 2024.",
            activity="1.5",
        ),
        DemoLink(
            "C2.1",
            "Mon employeur atteste que je collectais chaque semaine les feuilles d'heures signées "
            "et que j'en assurais la confidentialité.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C2.2",
            "Deux bulletins que j'ai établis pendant le tournage, avec les heures supplémentaires "
            "et de nuit majorées selon la convention collective.",
            "paie",
            (1, 2),
        ),
        DemoLink(
            "C2.3",
            "L'attestation mentionne la tenue de la comptabilité du tournage, le paiement des "
            "fournisseurs et les rapprochements bancaires.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C2.4",
            "Les écarts par chapitre sont ceux que je signalais chaque semaine au directeur de "
            "production pendant le tournage.",
            "situation",
            (1, 1),
        ),
        DemoLink(
            "C2.5",
            "Le plan de trésorerie, mis à jour chaque jour du tournage, montre les appels de "
            "fonds auprès de la banque et du coproducteur.",
            "tresorerie",
            (1, 1),
        ),
        DemoLink(
            "C2.6",
            "La colonne « éligible CI » du devis vient de la qualification des dépenses que j'ai "
            "faite dans la comptabilité.",
            "devis",
            (1, 1),
        ),
        DemoLink(
            "C2.7",
            "La colonne « en Bretagne » du devis reprend les dépenses que j'ai qualifiées pour "
            "l'état transmis à la Région.",
            "devis",
            (1, 1),
        ),
        DemoLink(
            "C2.8",
            "L'échéancier liste les DSN mensuelles du film que j'ai établies et transmises.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C2.9",
            "Les transmissions mensuelles de la TVA déductible au cabinet comptable figurent sur "
            "l'échéancier.",
            "echeancier",
            (1, 1),
        ),
        DemoLink(
            "C2.10",
            "Mon employeur atteste que j'ai encadré une assistante d'administration et une "
            "stagiaire sur « Les Bâtisseurs ».",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C3.1",
            "L'attestation confirme que j'ai remis à la société un dossier de clôture complet et "
            "archivé.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C3.2",
            "Ces bulletins font partie de ceux que j'ai rapprochés avec la comptabilité à la "
            "clôture (taux et plafonds vérifiés).",
            "paie",
            (1, 2),
        ),
        DemoLink(
            "C3.3",
            "La situation finale est issue de la comptabilité du film que j'ai vérifiée et "
            "transmise au comptable de la société.",
            "situation",
            (1, 1),
        ),
        DemoLink(
            "C3.4",
            "L'attestation mentionne la vérification des sauvegardes des logiciels de "
            "comptabilité et de paie.",
            "attestation",
            (1, 1),
        ),
        DemoLink(
            "C3.4",
            "Mon récit de l'activité 3.1 décrit l'archivage et le dépôt des sauvegardes sur le "
            "serveur de la société.",
            activity="3.1",
        ),
        DemoLink(
            "C3.5",
            "La situation finale que j'ai établie : coût définitif comparé au devis, écarts "
            "expliqués par chapitre.",
            "situation",
            (1, 1),
        ),
        DemoLink(
            "C3.6",
            "Le bas de la page liste les en-cours et le litige transmis au producteur avec "
            "l'historique du dossier.",
            "situation",
            (1, 1),
        ),
    ],
    no_evidence={
        "C1.10": (
            "Ma veille ne produit pas de document à mon nom : elle repose sur des abonnements "
            "(Audiens, CNC, Bulletin officiel de la sécurité sociale) dont je pourrai montrer "
            "les courriels lors de l'entretien avec le jury."
        ),
    },
)
