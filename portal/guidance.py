"""What a candidate reads about their candidacy in each state: where it stands, what next.

Plain French for people who are not lawyers; the state's label alone ("Recevable") does
not say what to do.
"""

from django.utils.translation import gettext_lazy as _

from vae.enums import CandidacyState as S

NEXT_STEP = {
    S.DRAFT: _(
        "Remplissez votre livret 1 (demande de recevabilité) section par section, signez la "
        "déclaration sur l'honneur puis envoyez votre demande."
    ),
    S.ELIGIBILITY_SUBMITTED: _(
        "Votre demande est en cours d'examen par le certificateur. Vous recevrez un e-mail "
        "dès qu'une décision sera prise ; vous n'avez rien à faire d'ici là."
    ),
    S.ELIGIBLE: _(
        "Votre demande est recevable. Vous pouvez rédiger votre dossier de validation "
        "(livret 2) et y joindre vos pièces justificatives."
    ),
    S.INELIGIBLE: _(
        "Votre demande n'est pas recevable ; le motif est indiqué ci-dessous. Vous pourrez "
        "déposer une nouvelle demande lorsque votre expérience y répondra."
    ),
    S.DOSSIER_SUBMITTED: _(
        "Votre dossier de validation est déposé. Le certificateur le vérifie puis le confie "
        "à quatre évaluateurs."
    ),
    S.UNDER_REVIEW: _("Votre dossier est en cours d'évaluation. Vous n'avez rien à faire."),
    S.REVIEWED: _(
        "L'évaluation de votre dossier est terminée. Vous serez convoqué devant le jury."
    ),
    S.JURY_SCHEDULED: _(
        "Vous êtes convoqué à un entretien avec le jury : la date, l'heure et le lieu "
        "figurent dans votre convocation."
    ),
    S.INTERVIEWED: _("Le jury délibère ; la décision vous sera communiquée."),
    S.DECIDED: _("Le jury a rendu sa décision ; elle est indiquée ci-dessous par bloc."),
    S.WITHDRAWN: _("Cette candidature est close. Vous pouvez en commencer une nouvelle."),
}

# States in which the candidate must act (the dashboard highlights them).
CANDIDATE_TO_ACT = frozenset({S.DRAFT, S.ELIGIBLE})
