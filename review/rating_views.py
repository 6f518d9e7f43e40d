"""The evaluator's rating grid, its submission, and the consolidation of the four grids.

Blind review: nothing of another evaluator's grid is even queried until the viewer has
submitted their own (``permissions.can_see_other_ratings``); the consolidation page is
the certifier's representative's, once every grid is in. Writes go through
``review.services``; a refused save re-renders the page with everything that was typed.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from referentiel.enums import Rating
from review import permissions, rules, services
from review.enums import AssignmentStatus, EvaluatorCategory
from review.models import (
    Assignment,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
    ReviewSettings,
)
from review.rating_forms import ConsolidationForm, RatingForm
from vae.workflow import TransitionForbidden, WorkflowError

RATING_ORDER = (Rating.ACQUIRED, Rating.PARTIAL, Rating.NOT_ACQUIRED)


def majority_rating(values) -> str | None:
    """The rating given by more than half of the evaluators, if any.

    A strict majority only: with four evaluators a 2-1-1 split proposes nothing, so that
    the certifier's representative decides rather than accepting a plurality by default.
    """
    values = list(values)
    if not values:
        return None
    rating, count = Counter(values).most_common(1)[0]
    return rating if count * 2 > len(values) else None


def divergence_text(values) -> str:
    """« Divergence : acquis / non acquis », the ratings present from best to worst."""
    present = [Rating(r).label for r in RATING_ORDER if r in set(values)]
    return _("Divergence : %(ratings)s") % {"ratings": " / ".join(str(p) for p in present)}


def counts_text(values) -> str:
    counts = rules.rating_counts(values)
    return ", ".join(
        f"{count} {Rating(rating).label}"
        for rating, count in zip(RATING_ORDER, counts, strict=True)
        if count
    )


def _display_name(user) -> str:
    return user.get_full_name() or user.email


# -- access -------------------------------------------------------------------------------


def _own_assignment(request, pk) -> Assignment:
    """The requester's own assignment; anyone else's is not found (nothing disclosed)."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("candidacy__candidate", "candidacy__certification"),
        pk=pk,
    )
    if assignment.evaluator_id != request.user.pk or not permissions.is_evaluator(request.user):
        raise Http404
    return assignment


def _closed_reason(assignment) -> str:
    if assignment.status == AssignmentStatus.CONFLICT:
        return _("Vous avez déclaré connaître le candidat : ce dossier ne vous est plus confié.")
    if assignment.status == AssignmentStatus.REMOVED:
        return _("Le certificateur vous a retiré de l'évaluation de ce dossier.")
    return _("Ce dossier n'est pas en cours d'évaluation (état : « %(state)s »).") % {
        "state": assignment.candidacy.get_state_display()
    }


def _check_readable(request, assignment):
    """None when the evaluator may read their grid, else the response to send instead."""
    if permissions.can_read_dossier_as_evaluator(request.user, assignment):
        return None
    if permissions.can_declare(request.user, assignment) and request.method in ("GET", "HEAD"):
        messages.info(request, _("Déclarez d'abord que vous ne connaissez pas le candidat."))
        return redirect("review:declare", pk=assignment.pk)
    raise PermissionDenied(_closed_reason(assignment))


def _refuse_write(request, assignment):
    """A write the grid no longer accepts: a submitted grid says so, anything else is 403."""
    if assignment.grid_submitted:
        messages.error(request, _("Votre grille est remise : elle ne se modifie plus."))
        return redirect("review:grid", pk=assignment.pk)
    raise PermissionDenied(_("L'évaluation de ce dossier n'est pas ouverte aux appréciations."))


# -- grid ---------------------------------------------------------------------------------


@dataclass
class OtherRating:
    evaluator: str
    seat: str
    rating: str
    rating_label: str
    justification: str


@dataclass
class CompetenceRow:
    competence: object
    own: CompetenceRating | None = None
    form: object = None
    criteria: list = field(default_factory=list)  # (criterion, passages linked)
    passages: int = 0
    others: list = field(default_factory=list)


def _passage_counts(assignment) -> dict[int, int]:
    """How many passages this evaluator tied to each criterion."""
    through = CriterionLink.criteria.through
    return dict(
        through.objects.filter(criterionlink__assignment=assignment)
        .order_by()
        .values("criterion_id")
        .annotate(n=Count("pk"))
        .values_list("criterion_id", "n")
    )


def _seat_order(candidacy) -> list[str]:
    return list(rules.seats(candidacy)) or [c.value for c in EvaluatorCategory]


def _sorted_by_seat(assignments, candidacy) -> list:
    order = _seat_order(candidacy)
    return sorted(
        assignments,
        key=lambda a: (order.index(a.category) if a.category in order else len(order), a.pk),
    )


def _others_ratings(assignment) -> tuple[dict, list]:
    """Ratings of the other evaluators who submitted their grid, by compétence, and the
    others still working. Called only once the viewer's own grid is submitted."""
    others = _sorted_by_seat(
        Assignment.objects.active()
        .filter(candidacy=assignment.candidacy)
        .exclude(pk=assignment.pk)
        .select_related("evaluator"),
        assignment.candidacy,
    )
    submitted = [a for a in others if a.grid_submitted]
    by_competence = defaultdict(list)
    rows = CompetenceRating.objects.filter(assignment__in=submitted)
    ratings = {(r.assignment_id, r.competence_id): r for r in rows}
    competence_ids = {r.competence_id for r in rows}
    for competence_id in competence_ids:
        for other in submitted:
            row = ratings.get((other.pk, competence_id))
            if row is not None:
                by_competence[competence_id].append(
                    OtherRating(
                        evaluator=_display_name(other.evaluator),
                        seat=other.get_category_display(),
                        rating=row.rating,
                        rating_label=row.get_rating_display(),
                        justification=row.justification,
                    )
                )
    waiting = [a for a in others if not a.grid_submitted]
    return by_competence, waiting


def _grid_forms(assignment, competences, own, data=None) -> dict:
    return {
        c.pk: RatingForm(
            data,
            competence=c,
            initial=(
                {"rating": own[c.pk].rating, "justification": own[c.pk].justification}
                if c.pk in own
                else None
            ),
        )
        for c in competences
    }


def _own_ratings(assignment) -> dict:
    return {r.competence_id: r for r in CompetenceRating.objects.filter(assignment=assignment)}


def _competences(blocs) -> list:
    return [c for b in blocs for a in b.activities.all() for c in a.competences.all()]


def _save_changed(forms, save_one) -> tuple[int, list]:
    """Save each form the user changed; return how many were saved and the refused ones."""
    saved, refused = 0, []
    for form in forms:
        if not form.has_changed():
            continue
        if not form.is_valid():
            refused.append(form)
            continue
        try:
            save_one(form)
        except TransitionForbidden as error:
            raise PermissionDenied(error.message) from error
        except WorkflowError as error:
            form.add_error(None, error.message)
            refused.append(form)
        else:
            saved += 1
    return saved, refused


def _save_grid(request, assignment, forms) -> tuple[int, list]:
    def save_one(form):
        services.rate(
            assignment=assignment,
            competence=form.competence,
            rating=form.cleaned_data["rating"],
            justification=form.cleaned_data["justification"],
            by=request.user,
        )

    return _save_changed(forms.values(), save_one)


def _render_grid(request, assignment, blocs, forms=None, status=200, **extra):
    user = request.user
    own = _own_ratings(assignment)
    counts = _passage_counts(assignment)
    show_others = permissions.can_see_other_ratings(user, assignment)
    others, waiting = _others_ratings(assignment) if show_others else ({}, [])
    sections, missing = [], []
    for bloc in blocs:
        activities = []
        for activity in bloc.activities.all():
            rows = []
            for competence in activity.competences.all():
                criteria = [(c, counts.get(c.pk, 0)) for c in competence.criteria.all()]
                row = CompetenceRow(
                    competence=competence,
                    own=own.get(competence.pk),
                    form=(forms or {}).get(competence.pk),
                    criteria=criteria,
                    passages=sum(n for _c, n in criteria),
                    others=others.get(competence.pk, []),
                )
                if row.own is None:
                    missing.append(competence)
                rows.append(row)
            activities.append({"activity": activity, "rows": rows})
        sections.append({"bloc": bloc, "activities": activities})
    total = sum(len(a["rows"]) for s in sections for a in s["activities"])
    refused = [f for f in (forms or {}).values() if f.errors]
    return render(
        request,
        "review/rating_grid.html",
        {
            "assignment": assignment,
            "candidacy": assignment.candidacy,
            "sections": sections,
            "editable": forms is not None,
            "rated": total - len(missing),
            "total": total,
            "missing": missing,
            "show_others": show_others,
            "waiting": waiting,
            "refused_forms": refused,
            "is_certifier_seat": assignment.category == EvaluatorCategory.CERTIFIER,
            **extra,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def grid(request, pk):
    assignment = _own_assignment(request, pk)
    response = _check_readable(request, assignment)
    if response is not None:
        return response
    editable = permissions.can_work_on(request.user, assignment)
    if request.method == "POST" and not editable:
        return _refuse_write(request, assignment)
    blocs = assignment.candidacy.referentiel_tree()
    if not editable:
        return _render_grid(request, assignment, blocs)
    own = _own_ratings(assignment)
    data = request.POST if request.method == "POST" else None
    forms = _grid_forms(assignment, _competences(blocs), own, data)
    if data is None:
        return _render_grid(request, assignment, blocs, forms)
    saved, refused = _save_grid(request, assignment, forms)
    if refused:
        return _render_grid(request, assignment, blocs, forms, saved=saved)
    if saved:
        messages.success(
            request,
            ngettext("%(n)d appréciation enregistrée.", "%(n)d appréciations enregistrées.", saved)
            % {"n": saved},
        )
    else:
        messages.info(request, _("Aucune modification à enregistrer."))
    return redirect("review:grid", pk=assignment.pk)


@login_required
@require_POST
def grid_submit(request, pk):
    """« Remettre ma grille »: saves what the page posted, then submits the whole grid."""
    assignment = _own_assignment(request, pk)
    _check_readable(request, assignment)
    if not permissions.can_work_on(request.user, assignment):
        return _refuse_write(request, assignment)
    blocs = assignment.candidacy.referentiel_tree()
    # The grid's own form posts its fields along (marked by « grid »): they are saved
    # first, so that pressing « Remettre » right after typing loses nothing.
    posted = request.POST if request.POST.get("grid") else None
    forms = _grid_forms(assignment, _competences(blocs), _own_ratings(assignment), posted)
    saved, refused = (0, [])
    if posted is not None:
        saved, refused = _save_grid(request, assignment, forms)
    if refused:
        return _render_grid(
            request,
            assignment,
            blocs,
            forms,
            saved=saved,
            submit_error=_("Votre grille n'est pas remise : corrigez d'abord les erreurs."),
        )
    try:
        services.submit_grid(assignment=assignment, by=request.user)
    except TransitionForbidden as error:
        raise PermissionDenied(error.message) from error
    except WorkflowError as error:
        return _render_grid(
            request, assignment, blocs, forms, saved=saved, submit_error=error.message
        )
    messages.success(
        request,
        _(
            "Votre grille est remise. Vous voyez maintenant les appréciations des autres "
            "évaluateurs qui ont remis la leur."
        ),
    )
    return redirect("review:grid", pk=assignment.pk)


# -- consolidation ------------------------------------------------------------------------


@dataclass
class ConsolidationRow:
    competence: object
    evaluations: list  # OtherRating of each active evaluator, in seat order
    values: list
    spread: int
    divergent: bool
    divergence: str
    counts: str
    majority: str | None
    majority_label: str
    consolidated: ConsolidatedRating | None
    form: object = None
    criteria: list = field(default_factory=list)  # (criterion, None): for reference only


def _consolidation_rows(candidacy, panel, threshold, consolidated, data, writable):
    ratings = {
        (r.assignment_id, r.competence_id): r
        for r in CompetenceRating.objects.filter(assignment__in=panel)
    }
    sections, rows = [], {}
    for bloc in candidacy.referentiel_tree():
        activities = []
        for activity in bloc.activities.all():
            activity_rows = []
            for competence in activity.competences.all():
                evaluations = []
                for assignment in panel:
                    rating = ratings.get((assignment.pk, competence.pk))
                    if rating is None:
                        continue
                    evaluations.append(
                        OtherRating(
                            evaluator=_display_name(assignment.evaluator),
                            seat=assignment.get_category_display(),
                            rating=rating.rating,
                            rating_label=rating.get_rating_display(),
                            justification=rating.justification,
                        )
                    )
                values = [e.rating for e in evaluations]
                majority = majority_rating(values)
                done = consolidated.get(competence.pk)
                if done is not None:
                    initial = {"rating": done.rating, "justification": done.justification}
                else:
                    initial = {"rating": majority} if majority else None
                row = ConsolidationRow(
                    competence=competence,
                    evaluations=evaluations,
                    values=values,
                    spread=rules.spread(values),
                    divergent=rules.is_divergent(values, threshold),
                    divergence=divergence_text(values),
                    counts=counts_text(values),
                    majority=majority,
                    majority_label=Rating(majority).label if majority else "",
                    consolidated=done,
                    criteria=[(c, None) for c in competence.criteria.all()],
                    form=(
                        ConsolidationForm(data, competence=competence, initial=initial)
                        if writable
                        else None
                    ),
                )
                rows[competence.pk] = row
                activity_rows.append(row)
            activities.append({"activity": activity, "rows": activity_rows})
        sections.append({"bloc": bloc, "activities": activities})
    return sections, rows


def _outcomes(candidacy, rows) -> list[dict]:
    outcomes = []
    for bloc, outcome in rules.provisional_outcomes(candidacy):
        codes = [c for a in bloc.activities.all() for c in a.competences.all()]
        done = sum(1 for c in codes if rows.get(c.pk) and rows[c.pk].consolidated)
        outcomes.append({"bloc": bloc, "outcome": outcome, "done": done, "total": len(codes)})
    return outcomes


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consolidation(request, pk):
    assignment = _own_assignment(request, pk)
    response = _check_readable(request, assignment)
    if response is not None:
        return response
    if assignment.category != EvaluatorCategory.CERTIFIER:
        raise PermissionDenied(
            _("Seul le représentant du certificateur consolide les grilles des évaluateurs.")
        )
    candidacy = assignment.candidacy
    ready = services.all_grids_submitted(candidacy)
    writable = permissions.can_consolidate(request.user, assignment, ready)
    if request.method == "POST" and not writable:
        raise PermissionDenied(_("La consolidation de ce dossier n'est pas ouverte."))
    context = {"assignment": assignment, "candidacy": candidacy, "ready": ready}
    if not ready:
        holding = _sorted_by_seat(
            Assignment.objects.holding().filter(candidacy=candidacy).select_related("evaluator"),
            candidacy,
        )
        # Blind review: who else is done is the others' work too, named only once the
        # seat's own grid is in.
        show_others = permissions.can_see_others_work(request.user, assignment)
        context.update(
            own_grid_missing=not show_others,
            waiting=[
                {"name": _display_name(a.evaluator), "seat": a.get_category_display()}
                for a in holding
                if not a.grid_submitted
            ]
            if show_others
            else [],
            seat_problems=rules.composition_problems(candidacy, [a.category for a in holding]),
        )
        return render(request, "review/consolidation.html", context)

    panel = _sorted_by_seat(
        Assignment.objects.active().filter(candidacy=candidacy).select_related("evaluator"),
        candidacy,
    )
    threshold = ReviewSettings.load(request).divergence_spread
    consolidated = {
        c.competence_id: c
        for c in ConsolidatedRating.objects.filter(candidacy=candidacy).select_related("decided_by")
    }
    data = request.POST if request.method == "POST" else None
    sections, rows = _consolidation_rows(candidacy, panel, threshold, consolidated, data, writable)
    saved = 0
    if data is not None:

        def save_one(form):
            services.consolidate(
                assignment=assignment,
                competence=form.competence,
                rating=form.cleaned_data["rating"],
                justification=form.cleaned_data["justification"],
                by=request.user,
            )

        saved, refused = _save_changed([r.form for r in rows.values()], save_one)
        if not refused:
            if saved:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d appréciation consolidée enregistrée.",
                        "%(n)d appréciations consolidées enregistrées.",
                        saved,
                    )
                    % {"n": saved},
                )
            else:
                messages.info(request, _("Aucune modification à enregistrer."))
            return redirect("review:consolidation", pk=assignment.pk)
        # Refused forms keep what was typed; the saved ones are now consolidated.
        consolidated = {
            c.competence_id: c for c in ConsolidatedRating.objects.filter(candidacy=candidacy)
        }
        for row in rows.values():
            row.consolidated = consolidated.get(row.competence.pk)
    all_rows = list(rows.values())
    context.update(
        panel=[
            {"name": _display_name(a.evaluator), "seat": a.get_category_display()} for a in panel
        ],
        sections=sections,
        threshold=threshold,
        writable=writable,
        divergent_rows=[r for r in all_rows if r.divergent],
        consolidated_count=sum(1 for r in all_rows if r.consolidated),
        total=len(all_rows),
        all_consolidated=not rules.consolidation_problems(candidacy),
        outcomes=_outcomes(candidacy, rows),
        refused_forms=[r.form for r in all_rows if r.form is not None and r.form.errors],
        saved=saved,
    )
    return render(request, "review/consolidation.html", context)
