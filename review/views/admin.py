"""The certifier's side of the review (Wagtail admin): the panel of a dossier, the
follow-up of the ratings, the evaluation grid PDF and the agreement report.

Who may come in is ``review.permissions``' call, what may happen is ``review.services``'
for the panel; what the panel page offers of the review's start and end comes from the
candidacy machine (``review.selectors.staff.panel_page``). Starting and closing the review
are decisions on the candidacy, taken on its confirmation step
(``portal.admin_views.CandidacyDecisionView``), which the panel page links to.
"""

import datetime
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from referentiel.ids import parse_id
from review import permissions, services
from review.admin_forms import PanelForm, RemoveForm, person_name
from review.grid_document import request_grid_pdf
from review.grid_pdf import build_grid
from review.models import Assignment, ReviewSettings
from review.selectors.staff import (
    agreement_page,
    evaluator_notes,
    panel_note,
    panel_page,
    review_started,
)
from vae import permissions as vae_permissions
from vae.documents.presentation import document_state
from vae.documents.views import serve_document
from vae.enums import CandidacyState, Transition
from vae.models import Candidacy
from vae.workflow import TransitionRefused, WorkflowError

BREADCRUMBS = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Accueil")}]


def _state_label(candidacy) -> str:
    return CandidacyState(candidacy.state).label


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
            state_label=_state_label(candidacy),
            started=review_started(candidacy),
            panel_url=reverse("review_admin:panel", args=[candidacy.pk]),
            ratings_url=reverse("review_admin:ratings", args=[candidacy.pk]),
            grid_pdf_url=reverse("review_admin:grid_pdf", args=[candidacy.pk]),
            detail_url=reverse("candidacy_admin:detail", args=[candidacy.pk]),
        )
        return context


# -- the panel -----------------------------------------------------------------------


class PanelView(CandidacyReviewView):
    """Seats and holders, assignment and replacement, removal; the way to the start and the
    end of the review, which are confirmed on the candidacy's decision page."""

    template_name = "review/admin/panel.html"
    page_heading = gettext_lazy("Jury d'évaluation")

    # Starting and closing the review are decisions on the candidacy: they go through its
    # confirmation step (candidacy_admin:decide), which this page links to.
    ACTIONS = ("assign", "remove")

    def page(self):
        if not hasattr(self, "_page"):
            self._page = panel_page(self.candidacy, user=self.request.user)
        return self._page

    def panel_form(self, data=None):
        return PanelForm(
            data,
            candidacy=self.candidacy,
            free_seats=self.page().free_seats,
            default_due_date=timezone.localdate()
            + datetime.timedelta(days=ReviewSettings.load(self.request).review_days),
        )

    def decision_url(self, transition) -> str:
        """The confirmation step of a decision, carrying the version shown on this page."""
        query = urlencode({"seen": self.candidacy.version_token})
        return f"{reverse('candidacy_admin:decide', args=[self.candidacy.pk, transition])}?{query}"

    def get_context_data(
        self, *, panel_form=None, remove_form=None, error=None, error_anchor="", **kwargs
    ):
        context = super().get_context_data(**kwargs)
        page = self.page()
        if page.can_change_panel:
            if panel_form is None and page.free_count:
                panel_form = self.panel_form()
            page = page.with_remove_forms(
                lambda assignment: (
                    remove_form
                    if remove_form is not None and remove_form.target.pk == assignment.pk
                    else RemoveForm(assignment=assignment)
                )
            )
        context.update(
            page=page,
            panel_form=panel_form if page.can_change_panel else None,
            start_url=self.decision_url(Transition.START_REVIEW),
            complete_url=self.decision_url(Transition.COMPLETE_REVIEW),
            panel_note=panel_note(self.candidacy),
            error=error,
            error_anchor=error_anchor,
            profiles_url=reverse("evaluator_profiles:index"),
        )
        return context

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
        self.__dict__.pop("_page", None)
        return self.render_to_response(self.get_context_data(**kwargs), status=status)

    def post_assign(self, request):
        form = self.panel_form(request.POST)
        valid = form.is_valid()
        can_change = permissions.panel_can_change(self.candidacy)
        if not valid and can_change:
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
            for message in (error.message, *error.problems):
                form.add_error(None, message)
            anchor = "assign-form" if can_change else ""
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
        pk = parse_id(request.POST.get("assignment"))
        assignment = get_object_or_404(
            Assignment.objects.select_related("evaluator", "candidacy"),
            pk=pk,
            candidacy=self.candidacy,
        )
        form = RemoveForm(request.POST, assignment=assignment)
        anchor = f"assignment-{assignment.pk}"
        if not permissions.panel_can_change(self.candidacy):
            # The record of a finished review stays as it was.
            error = TransitionRefused(
                _(
                    "On ne retire plus d'évaluateur une fois l'évaluation terminée (état actuel "
                    ": « %(state)s »)."
                )
                % {"state": _state_label(self.candidacy)}
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
    """Every evaluator's rating, the divergences, the consolidation and the outcome; their
    passages and their verdicts on the candidate's links."""

    template_name = "review/admin/ratings.html"
    page_heading = gettext_lazy("Appréciations des évaluateurs")

    def state_refusal(self):
        if not permissions.can_view_all_ratings_as_staff(self.request.user, self.candidacy):
            raise PermissionDenied
        if review_started(self.candidacy):
            return ""
        return _(
            "Les appréciations des évaluateurs se consultent une fois l'évaluation lancée "
            "(état actuel : « %(state)s »)."
        ) % {"state": _state_label(self.candidacy)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        threshold = ReviewSettings.load(self.request).divergence_spread
        context["grid"] = build_grid(self.candidacy, threshold=threshold)
        context["notes"] = evaluator_notes(self.candidacy)
        return context


class GridPdfView(CandidacyReviewView):
    """The evaluation grid as a PDF, for the file and for the jury's certifier: asked for
    here, rendered in a task, served from storage once ready (« en préparation » until
    then, with a live status)."""

    template_name = "review/admin/grid_pending.html"
    page_heading = gettext_lazy("Grille d'évaluation")

    def state_refusal(self):
        if not permissions.can_view_all_ratings_as_staff(self.request.user, self.candidacy):
            raise PermissionDenied
        if review_started(self.candidacy):
            return ""
        return _(
            "La grille d'évaluation s'édite une fois l'évaluation lancée (état actuel : "
            "« %(state)s »)."
        ) % {"state": _state_label(self.candidacy)}

    def get(self, request, *args, **kwargs):
        threshold = ReviewSettings.load(request).divergence_spread
        document = request_grid_pdf(self.candidacy, threshold=threshold)
        if document.is_ready:
            return serve_document(document, user=request.user)
        response = self.render_to_response(self.get_context_data(state=document_state(document)))
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
        context["report"] = agreement_page(self.request.user, page=self.request.GET.get("page"))
        return context
