"""The demo evaluators: four seats of a panel (two external professionals, a training
body's representative, the certifier's), plus the README's demo evaluator, who replaces
a professional who declared knowing a candidate."""

from review.enums import EvaluatorCategory

EVALUATOR_PASSWORD = "evaluateur-demo"
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
