"""Demo data of the review: four evaluators and two candidacies at two moments of it.

- Mathieu Roche (BC2 only: BC1 and BC3 validated in 2024) is « en cours d'évaluation ».
  Sandrine Olivier (eval.pro2) declared knowing him and was replaced by Hélène Dubois,
  the documented demo evaluator (evaluateur@demo.vae.local); Marc Lefort (eval.pro1) and
  Bertrand Nguyen (eval.certif) submitted their grid, Hélène Dubois and Pascale Girard
  (eval.of) are halfway: a few passages tied to criteria, some compétences rated.
- Sarah Benoît (BC3 only: BC1 and BC2 validated in 2024) has had her review completed:
  four grids with a divergence on C3.4, consolidated by the certifier's representative,
  closed by the certifier (« Évaluation terminée »).

Every step goes through the platform's services (``demo.stories`` for the livrets, then
panel, declarations, passages, ratings, consolidation and transitions), each taken by
the person who would: the certifier forms the panel and closes the review, each
evaluator declares, selects passages and rates; each on its day (``demo.timeline``): found
recevable months ago, the livret 2 filed weeks ago, the review under way since. Run
again, it changes nothing: a demo candidate who already has a candidacy is left as is.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from demo.content.evaluators import (
    CERTIF,
    EVALUATOR_PASSWORD,
    EVALUATORS,
    HELENE,
    OF,
    PRO1,
    PRO2,
)
from demo.content.mathieu import MATHIEU, MATHIEU_DOSSIER, MATHIEU_GRIDS
from demo.content.sarah import SARAH, SARAH_CONSOLIDATION, SARAH_DOSSIER, SARAH_GRIDS
from demo.people import demo_account, evaluator_seat, role_account
from demo.stories import eligible_candidacy, submit_dossier, write_dossier
from demo.timeline import path_to_session
from review import rules, services
from review.enums import AssignmentStatus, PassageKind
from review.models import Assignment
from vae import services as vae_services
from vae.enums import Role
from vae.models import Candidacy, User


def ensure_demo_evaluators() -> dict[str, User]:
    """The demo evaluators with their seat category, by e-mail."""
    evaluators = {}
    for email, first_name, last_name, category, organisation in EVALUATORS:
        user = demo_account(email, first_name, last_name, EVALUATOR_PASSWORD, Role.EVALUATOR)
        evaluator_seat(user, category=category, organisation=organisation)
        evaluators[email] = user
    return evaluators


# -- what each evaluator does ---------------------------------------------------------------


def _declare_all(candidacy):
    """Every evaluator still to declare says they do not know the candidate."""
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
    ``criteria``, as the evaluator selecting it on the dossier page would."""
    if narrative is not None:
        start = narrative.text.index(phrase)
        passage = {
            "kind": PassageKind.NARRATIVE,
            "narrative": narrative,
            "start": start,
            "end": start + len(phrase),
            "comment": "Passage probant.",
        }
    else:
        text = evidence.pages.filter(number=page).values_list("text", flat=True).first() or ""
        passage = {"kind": PassageKind.PAGE, "evidence": evidence, "page": page}
        if phrase and phrase in text:
            start = text.index(phrase)
            passage.update(kind=PassageKind.PAGE_TEXT, start=start, end=start + len(phrase))
    return services.add_criterion_link(
        assignment=assignment, by=assignment.evaluator, criteria=criteria, **passage
    )


def _rate_all(assignment, grid, competences):
    """The evaluator rates each compétence of ``grid`` (``"*"``: every other one)."""
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


def _submitted(person, content, certifier, pace):
    """A candidacy whose dossier the candidate wrote, signed and submitted."""
    candidacy = eligible_candidacy(person, certifier)
    written = write_dossier(candidacy, content)
    pace("submitted")
    submit_dossier(candidacy, place=person.identity["city"])
    criteria = {code: list(c.criteria.all()) for code, c in written.competences.items()}
    return candidacy, written, criteria


# -- the two stories ------------------------------------------------------------------------


def _under_review(certifier, evaluators) -> Candidacy:
    # As if heading for a jury in ten weeks: found recevable about three months ago, his
    # livret 2 filed two weeks ago, the panel named since; the evaluators read these days.
    with path_to_session(timezone.localdate() + dt.timedelta(days=70), 0) as pace:
        candidacy, written, criteria = _submitted(MATHIEU, MATHIEU_DOSSIER, certifier, pace)
        pace("review")
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
    narratives, evidence = written.narratives, written.evidence
    pro1, helene = (
        _assignment(candidacy, evaluators[PRO1]),
        _assignment(candidacy, evaluators[HELENE]),
    )
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
        _rate_all(_assignment(candidacy, evaluators[email]), grid, written.competences)
    for email in (PRO1, CERTIF):
        assignment = _assignment(candidacy, evaluators[email])
        services.submit_grid(assignment=assignment, by=assignment.evaluator)
    return candidacy


def review_completed(
    person,
    content,
    grids,
    certifier,
    evaluators,
    *,
    session_day,
    index=0,
    consolidation=None,
    passages=None,
) -> Candidacy:
    """``person``'s dossier submitted, reviewed by the four seats (``passages(candidacy,
    written, criteria)`` tied by them first, if given), every grid submitted, consolidated
    (``consolidation``'s ratings, else « acquis ») and the review closed by the certifier.

    Each step on its day, as for the ``index``-th candidate of a jury on ``session_day``
    (``demo.timeline.path_to_session``): found recevable months before, livret 2 written
    for weeks, then the panel named, the evaluators reading, the consolidation."""
    with path_to_session(session_day, index) as pace:
        candidacy, written, criteria = _submitted(person, content, certifier, pace)
        competences = written.competences
        pace("review")
        panel = [evaluators[e] for e in (PRO1, PRO2, OF, CERTIF)]
        services.assign_panel(candidacy=candidacy, evaluators=panel, by=certifier)
        _declare_all(candidacy)
        vae_services.start_review(candidacy=candidacy, by=certifier)
        if passages is not None:
            passages(candidacy, written, criteria)
        pace("rated")
        for email in (PRO1, PRO2, OF, CERTIF):
            assignment = _assignment(candidacy, evaluators[email])
            grid = {code: ratings.get(email) or ratings["*"] for code, ratings in grids.items()}
            _rate_all(assignment, grid, competences)
            services.submit_grid(assignment=assignment, by=assignment.evaluator)
        pace("reviewed")
        # The certifier's representative on the panel settles the grids.
        seat = _assignment(candidacy, evaluators[CERTIF])
        for code, competence in competences.items():
            rating, justification = (consolidation or {}).get(
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


def _reviewed(certifier, evaluators) -> Candidacy:
    def passages(candidacy, written, criteria):
        _link_passage(
            _assignment(candidacy, evaluators[PRO2]),
            criteria["C3.4"][:1],
            narrative=written.narratives["3.1"],
            phrase="contrôlé les sauvegardes",
        )
        _link_passage(
            _assignment(candidacy, evaluators[CERTIF]),
            criteria["C3.5"][:1],
            evidence=written.evidence["situation"],
            phrase="Coût définitif",
        )

    # As if heading for a jury in about six weeks: her review closed yesterday.
    return review_completed(
        SARAH,
        SARAH_DOSSIER,
        SARAH_GRIDS,
        certifier,
        evaluators,
        session_day=timezone.localdate() + dt.timedelta(days=39),
        consolidation=SARAH_CONSOLIDATION,
        passages=passages,
    )


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
    certifier = certifier or role_account(Role.CERTIFIER)
    evaluators = ensure_demo_evaluators()
    stories = [(MATHIEU, _under_review), (SARAH, _reviewed)]
    for person, create in stories:
        if not Candidacy.objects.filter(candidate__email=person.email).exists():
            create(certifier, evaluators)
    lines = [
        f"  {email:<32} mot de passe : {EVALUATOR_PASSWORD:<16} {category.label}"
        for email, _first, _last, category, _organisation in EVALUATORS
    ]
    for person, _create in stories:
        candidacy = (
            Candidacy.objects.filter(candidate__email=person.email)
            .select_related("candidate")
            .first()
        )
        if candidacy is not None:
            lines.append(_summary(candidacy))
    return lines
