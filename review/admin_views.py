"""The certifier's side of the review (Wagtail admin): the panel of a dossier, the
follow-up of the ratings, the evaluation grid PDF and the agreement report.

Thin views: who may come in is ``review.permissions``' call, what may happen is
``review.services``' for the panel; the views show, collect and relay, and repeat the
French refusals as they come. Starting and closing the review are decisions on the
candidacy, taken on its confirmation step (``portal.admin_views.CandidacyDecisionView``).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from referentiel.enums import Panel
from referentiel.models import Competence
from review import permissions, services
from review.admin_forms import PanelForm, RemoveForm, person_name
from review.enums import HOLDING_STATUSES, AssignmentStatus
from review.grid_pdf import build_grid, render_grid_pdf
from review.models import Assignment, ConsolidatedRating, ReviewEvent, ReviewSettings
from review.reports import agreement_report
from review.rules import consolidation_problems, panel_problems
from vae import permissions as vae_permissions
from vae.enums import CandidacyState, Transition
from vae.models import Candidacy
from vae.workflow import TransitionRefused, WorkflowError

S = CandidacyState

# Once the review has started, the ratings exist and staff may follow them.
REVIEW_STARTED_STATES = (
    S.UNDER_REVIEW,
    S.REVIEWED,
    S.JURY_SCHEDULED,
    S.INTERVIEWED,
    S.DECIDED,
)
# States in which the candidacy's page shows its « Évaluation » section.
REVIEW_SECTION_STATES = (S.DOSSIER_SUBMITTED, *REVIEW_STARTED_STATES)

BREADCRUMBS = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Accueil")}]


def review_started(candidacy) -> bool:
    """Whether ratings can exist: the review runs or ran (a withdrawal keeps them)."""
    if candidacy.state in REVIEW_STARTED_STATES:
        return True
    return (
        candidacy.state == S.WITHDRAWN
        and candidacy.transitions.filter(transition=Transition.START_REVIEW).exists()
    )


# -- seats ---------------------------------------------------------------------------


@dataclass
class SeatRow:
    """A seat of the référentiel's composition and the assignments made on it."""

    role: str
    label: str
    count: int
    holders: list = field(default_factory=list)  # holding now (awaiting or active)
    ended: list = field(default_factory=list)  # conflict declared or removed

    @property
    def free(self) -> int:
        return max(self.count - len(self.holders), 0)

    @property
    def free_range(self):
        return range(self.free)


def seat_rows(candidacy, assignments) -> list[SeatRow]:
    rows = {
        seat.role: SeatRow(seat.role, seat.label, seat.count)
        for seat in candidacy.certification.seats.filter(panel=Panel.EVALUATORS).order_by(
            "sort_order"
        )
    }
    for assignment in assignments:
        row = rows.get(assignment.category)
        if row is None:  # a seat the référentiel no longer has: show it, never hide it
            row = rows[assignment.category] = SeatRow(
                assignment.category, assignment.get_category_display(), 0
            )
        if assignment.status in HOLDING_STATUSES:
            row.holders.append(assignment)
        else:
            row.ended.append(assignment)
    return list(rows.values())


# -- base view -----------------------------------------------------------------------


class CandidacyReviewView(WagtailAdminTemplateMixin, TemplateView):
    """A review page of one candidacy: certifiers only, never on their own candidacy."""

    header_icon = "clipboard-list"
    page_heading = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def dispatch(self, request, *args, **kwargs):
        # Permission first: a refused user learns nothing about which candidacies exist.
        if not vae_permissions.is_certifier(request.user):
            raise PermissionDenied
        self.candidacy = get_object_or_404(
            Candidacy.objects.select_related("candidate", "certification"), pk=self.pk
        )
        if not permissions.can_manage_panel(request.user, self.candidacy):
            messages.error(
                request,
                _(
                    "C'est votre propre candidature : un autre certificateur s'occupe de son "
                    "évaluation."
                ),
            )
            return redirect("candidacy_admin:detail", pk=self.candidacy.pk)
        refusal = self.state_refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect("review_admin:panel", pk=self.candidacy.pk)
        return super().dispatch(request, *args, **kwargs)

    def state_refusal(self) -> str:
        """Why this page cannot be shown in the candidacy's state ("" when it can)."""
        return ""

    def get_page_title(self):
        return f"{self.page_heading} — {self.candidacy.reference}"

    def get_page_subtitle(self):
        return person_name(self.candidacy.candidate)

    def get_breadcrumbs_items(self):
        return [
            *BREADCRUMBS,
            {"url": reverse("candidacy_admin:list"), "label": _("Candidatures")},
            {
                "url": reverse("candidacy_admin:detail", args=[self.candidacy.pk]),
                "label": self.candidacy.reference,
            },
            {"url": "", "label": self.page_heading, "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidacy = self.candidacy
        context.update(
            candidacy=candidacy,
            candidate=candidacy.candidate,
            state_label=CandidacyState(candidacy.state).label,
            started=review_started(candidacy),
            panel_url=reverse("review_admin:panel", args=[candidacy.pk]),
            ratings_url=reverse("review_admin:ratings", args=[candidacy.pk]),
            grid_pdf_url=reverse("review_admin:grid_pdf", args=[candidacy.pk]),
            detail_url=reverse("candidacy_admin:detail", args=[candidacy.pk]),
        )
        return context


def _not_started_message(candidacy) -> str:
    return _(
        "Les appréciations des évaluateurs se consultent une fois l'évaluation lancée "
        "(état actuel : « %(state)s »)."
    ) % {"state": CandidacyState(candidacy.state).label}


# -- the panel -----------------------------------------------------------------------


class PanelView(CandidacyReviewView):
    """Seats and holders, assignment and replacement, removal; the way to the start and the
    end of the review, which are confirmed on the candidacy's decision page."""

    template_name = "review/admin/panel.html"
    page_heading = gettext_lazy("Jury d'évaluation")

    # Starting and closing the review are decisions on the candidacy: they go through its
    # confirmation step (candidacy_admin:decide), which this page links to.
    ACTIONS = ("assign", "remove")

    # -- what the page shows ---------------------------------------------------------

    def assignments(self):
        if not hasattr(self, "_assignments"):
            self._assignments = list(
                Assignment.objects.filter(candidacy=self.candidacy)
                .select_related("evaluator__evaluator_profile", "assigned_by")
                .order_by("assigned_at", "pk")
            )
        return self._assignments

    @property
    def can_change_panel(self) -> bool:
        return self.candidacy.state in services.PANEL_STATES

    def seats(self):
        return seat_rows(self.candidacy, self.assignments())

    def panel_form(self, data=None):
        free = [seat for seat in self.seats() if seat.free]
        return PanelForm(
            data,
            candidacy=self.candidacy,
            free_seats=free,
            default_due_date=timezone.localdate()
            + datetime.timedelta(days=ReviewSettings.load(self.request).review_days),
        )

    def get_context_data(
        self, *, panel_form=None, remove_form=None, error=None, error_anchor="", **kwargs
    ):
        context = super().get_context_data(**kwargs)
        candidacy = self.candidacy
        seats = self.seats()
        free = sum(seat.free for seat in seats)
        if panel_form is None and self.can_change_panel and free:
            panel_form = self.panel_form()
        remove_forms = {}
        if self.can_change_panel:
            for seat in seats:
                for assignment in seat.holders:
                    bound = remove_form is not None and remove_form.target.pk == assignment.pk
                    remove_forms[assignment.pk] = (
                        remove_form if bound else RemoveForm(assignment=assignment)
                    )
        for seat in seats:
            for assignment in seat.holders:
                assignment.remove_form = remove_forms.get(assignment.pk)
        state = candidacy.state
        context.update(
            seats=seats,
            ended=[(seat.label, a) for seat in seats for a in seat.ended],
            free_count=free,
            holding_count=sum(len(seat.holders) for seat in seats),
            wanted_count=sum(seat.count for seat in seats),
            panel_form=panel_form if self.can_change_panel else None,
            can_change_panel=self.can_change_panel,
            replacing=any(seat.ended or seat.holders for seat in seats) and free > 0,
            events=ReviewEvent.objects.filter(candidacy=candidacy).select_related(
                "actor", "assignment__evaluator"
            ),
            can_start=state == S.DOSSIER_SUBMITTED,
            start_problems=panel_problems(candidacy) if state == S.DOSSIER_SUBMITTED else [],
            can_complete=state == S.UNDER_REVIEW,
            complete_problems=(
                consolidation_problems(candidacy) if state == S.UNDER_REVIEW else []
            ),
            grids_in=(
                services.all_grids_submitted(candidacy) if state == S.UNDER_REVIEW else False
            ),
            start_url=self.decision_url(Transition.START_REVIEW),
            complete_url=self.decision_url(Transition.COMPLETE_REVIEW),
            panel_note=self.panel_note(),
            error=error,
            error_anchor=error_anchor,
            profiles_url=reverse("evaluator_profiles:index"),
        )
        return context

    def decision_url(self, transition) -> str:
        """The confirmation step of a decision, carrying the version shown on this page."""
        query = urlencode({"seen": self.candidacy.version_token})
        return f"{reverse('candidacy_admin:decide', args=[self.candidacy.pk, transition])}?{query}"

    def panel_note(self) -> str:
        """Why the panel cannot be changed now ("" when it can)."""
        if self.can_change_panel:
            return ""
        state = CandidacyState(self.candidacy.state)
        if state in (S.DRAFT, S.ELIGIBILITY_SUBMITTED, S.ELIGIBLE):
            return _(
                "Le jury d'évaluation se constitue une fois le dossier de validation déposé "
                "(état actuel : « %(state)s »)."
            ) % {"state": state.label}
        return _("Le jury d'évaluation ne se modifie plus à l'état « %(state)s ».") % {
            "state": state.label
        }

    # -- the certifier's actions -----------------------------------------------------

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            return self.render_page(
                error=TransitionRefused(_("Cette action n'existe pas.")), status=400
            )
        return getattr(self, f"post_{action}")(request)

    def render_page(self, status=200, **kwargs):
        # The services reload the candidacy after a refusal; so does the page, to show
        # the state and the panel as they are now.
        self.candidacy.refresh_from_db()
        self.__dict__.pop("_assignments", None)
        return self.render_to_response(self.get_context_data(**kwargs), status=status)

    def post_assign(self, request):
        form = self.panel_form(request.POST)
        valid = form.is_valid()
        if not valid and self.can_change_panel:
            return self.render_page(panel_form=form, error_anchor="assign-form")
        try:
            # Outside the states where a panel is set up, the service refuses and says
            # why, whatever was chosen.
            created = services.assign_panel(
                candidacy=self.candidacy,
                evaluators=form.evaluators() if valid else [],
                by=request.user,
                due_date=form.cleaned_data.get("due_date") if valid else None,
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
            for problem in error.problems:
                form.add_error(None, problem)
            anchor = "assign-form" if self.can_change_panel else ""
            return self.render_page(panel_form=form, error=error, error_anchor=anchor)
        names = ", ".join(person_name(a.evaluator) for a in created)
        messages.success(
            request,
            _(
                "%(names)s : affectation enregistrée. Chacun est invité par e-mail à déclarer "
                "ne pas connaître le candidat."
            )
            % {"names": names},
        )
        return redirect("review_admin:panel", pk=self.candidacy.pk)

    def post_remove(self, request):
        try:
            pk = int(request.POST.get("assignment", ""))
        except ValueError:
            pk = None
        assignment = get_object_or_404(
            Assignment.objects.select_related("evaluator", "candidacy"),
            pk=pk,
            candidacy=self.candidacy,
        )
        form = RemoveForm(request.POST, assignment=assignment)
        anchor = f"assignment-{assignment.pk}"
        if not self.can_change_panel:
            # The record of a finished review stays as it was.
            error = TransitionRefused(
                _(
                    "On ne retire plus d'évaluateur une fois l'évaluation terminée (état actuel "
                    ": « %(state)s »)."
                )
                % {"state": CandidacyState(self.candidacy.state).label}
            )
            return self.render_page(error=error)
        if not form.is_valid():
            return self.render_page(remove_form=form, error_anchor=anchor)
        try:
            services.remove_assignment(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
            return self.render_page(remove_form=form, error=error, error_anchor=anchor)
        messages.success(
            request,
            _("%(name)s est retiré(e) du jury d'évaluation : le siège est à pourvoir.")
            % {"name": person_name(assignment.evaluator)},
        )
        return redirect("review_admin:panel", pk=self.candidacy.pk)


# -- staff follow-up of the ratings --------------------------------------------------


class RatingsView(CandidacyReviewView):
    """Every evaluator's rating, the divergences, the consolidation and the outcome."""

    template_name = "review/admin/ratings.html"
    page_heading = gettext_lazy("Appréciations des évaluateurs")

    def state_refusal(self):
        if not permissions.can_view_all_ratings_as_staff(self.request.user, self.candidacy):
            raise PermissionDenied
        return "" if review_started(self.candidacy) else _not_started_message(self.candidacy)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        threshold = ReviewSettings.load(self.request).divergence_spread
        context["grid"] = build_grid(self.candidacy, threshold=threshold)
        return context


class GridPdfView(CandidacyReviewView):
    """The evaluation grid as a PDF, for the file and for the jury's certifier."""

    page_heading = gettext_lazy("Grille d'évaluation")

    def state_refusal(self):
        if not permissions.can_view_all_ratings_as_staff(self.request.user, self.candidacy):
            raise PermissionDenied
        if review_started(self.candidacy):
            return ""
        return _(
            "La grille d'évaluation s'édite une fois l'évaluation lancée (état actuel : "
            "« %(state)s »)."
        ) % {"state": CandidacyState(self.candidacy.state).label}

    def get(self, request, *args, **kwargs):
        threshold = ReviewSettings.load(request).divergence_spread
        grid = build_grid(self.candidacy, threshold=threshold)
        response = HttpResponse(render_grid_pdf(grid), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{grid.filename}"'
        # Named individual ratings: never kept by a shared cache.
        response["Cache-Control"] = "private, no-store"
        return response


# -- agreement report ----------------------------------------------------------------


class AgreementView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "review/admin/agreement.html"
    page_title = gettext_lazy("Accord entre évaluateurs")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not vae_permissions.is_certifier(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*BREADCRUMBS, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = agreement_report()
        user = self.request.user
        for row in report.dossiers:
            # No link into one's own candidacy: its review is another certifier's work.
            row.url = (
                reverse("review_admin:ratings", args=[row.candidacy.pk])
                if permissions.can_view_all_ratings_as_staff(user, row.candidacy)
                else ""
            )
        context["report"] = report
        return context


# -- the « Évaluation » section of the candidacy's page -------------------------------


def candidacy_review_context(candidacy, user) -> dict | None:
    """What the candidacy's back-office page shows of its review (None: nothing yet).

    A fixed handful of queries: the page is opened often.
    """
    assignments = list(Assignment.objects.filter(candidacy=candidacy).select_related("evaluator"))
    if candidacy.state not in REVIEW_SECTION_STATES and not assignments:
        return None
    seats = seat_rows(candidacy, assignments)
    holding = [a for seat in seats for a in seat.holders]
    started = review_started(candidacy)
    competences = consolidated = 0
    if started:
        competences = Competence.objects.filter(activity__bloc__candidacies=candidacy).count()
        consolidated = ConsolidatedRating.objects.filter(candidacy=candidacy).count()
    can_manage = permissions.can_manage_panel(user, candidacy)
    return {
        "seats": seats,
        "wanted": sum(seat.count for seat in seats),
        "holding": len(holding),
        "free": sum(seat.free for seat in seats),
        "awaiting": sum(1 for a in holding if a.status == AssignmentStatus.AWAITING_DECLARATION),
        "active": sum(1 for a in holding if a.status == AssignmentStatus.ACTIVE),
        "submitted": sum(1 for a in holding if a.grid_submitted),
        "conflicts": sum(1 for a in assignments if a.status == AssignmentStatus.CONFLICT),
        "started": started,
        "competences": competences,
        "consolidated": consolidated,
        "can_manage": can_manage,
        "panel_url": reverse("review_admin:panel", args=[candidacy.pk]) if can_manage else "",
        "ratings_url": (
            reverse("review_admin:ratings", args=[candidacy.pk]) if can_manage and started else ""
        ),
        "grid_pdf_url": (
            reverse("review_admin:grid_pdf", args=[candidacy.pk]) if can_manage and started else ""
        ),
    }
