"""The certifier's back office for candidacies (Wagtail admin).

Thin views: who may come in is ``vae.permissions``' call, what may happen is the state
machine's (``vae.services``); these views list, show, and relay the certifier's decisions.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin

from jury import rectification
from jury import selectors as jury_selectors
from portal import selectors
from portal.admin_filters import CandidacyFilterSet
from portal.admin_forms import ACTIONS, DecisionForm, restate
from vae import permissions, services
from vae.enums import AWAITING_DECISION, JURY_SCHEDULING_STATES, CandidacyState, Role
from vae.models import Candidacy
from vae.workflow import ConcurrentDecision, TransitionForbidden, WorkflowError

OWN_CANDIDACY = gettext_lazy(
    "Vous ne pouvez pas prendre de décision sur votre propre candidature : un autre "
    "certificateur doit s'en charger."
)

BREADCRUMBS = [{"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Accueil")}]


class CertifierRequiredMixin:
    """Certifiers only. Wagtail turns the refusal into a redirect with a message."""

    def dispatch(self, request, *args, **kwargs):
        if not permissions.is_certifier(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def blocs_display(candidacy) -> str:
    return ", ".join(bloc.code for bloc in candidacy.targeted_blocs.all())


class CandidateColumn(Column):
    cell_template_name = "portal/admin/cells/candidate.html"


class CandidacyListView(CertifierRequiredMixin, BaseListingView):
    model = Candidacy
    page_title = gettext_lazy("Candidatures")
    header_icon = "group"
    breadcrumbs_items = BREADCRUMBS
    index_url_name = "candidacy_admin:list"
    index_results_url_name = "candidacy_admin:list_results"
    results_template_name = "portal/admin/candidacy_list_results.html"
    is_searchable = True
    filterset_class = CandidacyFilterSet
    paginate_by = 25
    # Work waiting for a certifier first, then the most recent activity: the order of the
    # index ``candidacy_list_order`` (``awaiting_decision`` is kept by the candidacy).
    default_ordering = ("-awaiting_decision", "-state_changed_at", "-pk")
    verbose_name = gettext_lazy("candidature")
    verbose_name_plural = gettext_lazy("candidatures")
    columns = [
        TitleColumn(
            "reference",
            label=gettext_lazy("Référence"),
            url_name="candidacy_admin:detail",
            sort_key="pk",
        ),
        CandidateColumn(
            "candidate",
            label=gettext_lazy("Candidat"),
            sort_key="candidate__last_name",
        ),
        StatusTagColumn(
            "state",
            label=gettext_lazy("État"),
            accessor="get_state_display",
            primary=lambda candidacy: candidacy.awaiting_decision,
        ),
        Column("blocs", label=gettext_lazy("Blocs visés"), accessor=blocs_display),
        DateColumn(
            "state_changed_at",
            label=gettext_lazy("Dernier changement d'état"),
            sort_key="state_changed_at",
        ),
        DateColumn("created_at", label=gettext_lazy("Créée le"), sort_key="created_at"),
    ]

    def get_base_queryset(self):
        return selectors.candidacies()

    def search_queryset(self, queryset):
        # By name or e-mail, as the candidates' own records hold them.
        if not self.is_searching:
            return queryset
        return selectors.search(queryset, self.search_query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["awaiting_count"] = Candidacy.objects.filter(awaiting_decision=True).count()
        return context


class CandidacyListResultsView(CandidacyListView):
    """The results fragment Wagtail swaps in when a filter or the search changes."""

    results_only = True


class CandidacyPageMixin(WagtailAdminTemplateMixin):
    """A page about one candidacy: certifiers only, the candidacy loaded after that check."""

    header_icon = "group"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def dispatch(self, request, *args, **kwargs):
        # Permission first: a refused user learns nothing about which candidacies exist.
        if not permissions.is_certifier(request.user):
            raise PermissionDenied
        self.candidacy = get_object_or_404(selectors.candidacies(), pk=self.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.candidacy.candidate.get_full_name() or self.candidacy.candidate.email

    def candidacy_crumbs(self):
        return [
            *BREADCRUMBS,
            {"url": reverse("candidacy_admin:list"), "label": _("Candidatures")},
        ]

    @cached_property
    def own_candidacy(self) -> bool:
        return permissions.is_owner(self.request.user, self.candidacy)

    def offered_actions(self):
        """The actions the certifier may take now, as certifier (never on their own file)."""
        if self.own_candidacy:
            return []
        user = self.request.user
        available = services.available_transitions(self.candidacy, user)
        return [
            action
            for name, action in ACTIONS.items()
            if name in available
            and permissions.acting_role(user, self.candidacy, name) == Role.CERTIFIER
        ]


@dataclass(frozen=True)
class ActionLink:
    """One decision in the candidacy page's action panel: where it leads, what blocks it."""

    action: object
    url: str
    refusal: object = None  # the state machine's reason, when a guard is not met yet


class CandidacyDetailView(CandidacyPageMixin, TemplateView):
    template_name = "portal/admin/candidacy_detail.html"

    def get_page_title(self):
        return self.candidacy.reference

    def get_breadcrumbs_items(self):
        return [
            *self.candidacy_crumbs(),
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def action_links(self):
        """Each decision open now, leading to its confirmation step.

        The link carries the version of the candidacy shown here, so that a colleague's
        decision taken meanwhile is caught at the confirmation step.
        """
        query = urlencode({"seen": self.candidacy.version_token})
        return [
            ActionLink(
                action,
                f"{reverse('candidacy_admin:decide', args=[self.pk, action.slug])}?{query}",
                services.transition_refusal(
                    candidacy=self.candidacy, name=action.transition, by=self.request.user
                ),
            )
            for action in self.offered_actions()
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = selectors.certifier_page(self.candidacy, self.request.user)
        context.update(
            candidacy=self.candidacy,
            candidate=self.candidacy.candidate,
            state_label=CandidacyState(self.candidacy.state).label,
            awaiting=self.candidacy.state in AWAITING_DECISION,
            eligibility_request=page.eligibility_request,
            precheck=page.precheck,
            section_statuses=page.section_statuses,
            livret1_complete=page.livret1_complete,
            transitions=page.transitions,
            show_actor_names=True,
            actions=self.action_links(),
            own_candidacy=self.own_candidacy,
            list_url=reverse("candidacy_admin:list"),
            review=page.review,
            dossier=page.dossier,
            jury_open=self.candidacy.state in JURY_SCHEDULING_STATES and not self.own_candidacy,
            jury_slot=jury_selectors.scheduled_slot(self.candidacy),
        )
        if self.candidacy.state == CandidacyState.DECIDED:
            context.update(
                decision=jury_selectors.candidate_decision(self.candidacy),
                can_rectify=rectification.can_rectify(self.request.user, self.candidacy),
            )
        return context


class CandidacyDecisionView(CandidacyPageMixin, TemplateView):
    """One decision, in two steps: the comment, then a page that restates what will happen
    and who is told, and « Confirmer ». Nothing is written before « Confirmer »; what the
    certifier typed travels with the form and comes back on every refusal.
    """

    template_name = "portal/admin/decision.html"

    def dispatch(self, request, *args, **kwargs):
        self.action = ACTIONS.get(kwargs["action"])
        if self.action is None and permissions.is_certifier(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.action.label)

    def get_breadcrumbs_items(self):
        return [
            *self.candidacy_crumbs(),
            {
                "url": reverse("candidacy_admin:detail", args=[self.pk]),
                "label": self.candidacy.reference,
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get(self, request, *args, **kwargs):
        seen = request.GET.get("seen") or self.candidacy.version_token
        refusal = self.refusal()
        if refusal is not None:
            return self.render_step(form=None, error=refusal)
        form = DecisionForm(action=self.action, initial={"seen": seen})
        return self.render_step(form=form)

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST, action=self.action)
        try:
            self.check_not_own_candidacy()
            services.check_not_stale(candidacy=self.candidacy, seen=request.POST.get("seen", ""))
            refusal = self.refusal()
            if refusal is not None:
                raise refusal
            if "edit" in request.POST or not form.is_valid():
                return self.render_step(form=form)
            if not form.cleaned_data["confirm"]:
                return self.render_step(form=form, confirming=True)
            services.run_transition(
                candidacy=self.candidacy,
                name=self.action.transition,
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except WorkflowError as error:
            status = 409 if isinstance(error, ConcurrentDecision) else 200
            return self.render_error(error, status=status)
        messages.success(
            request,
            _("%(reference)s : %(what)s.")
            % {"reference": self.candidacy.reference, "what": self.action.transition.label},
        )
        return redirect("candidacy_admin:detail", pk=self.candidacy.pk)

    def refusal(self):
        """Why this decision cannot be taken now (None when it can), nothing written."""
        if self.own_candidacy:
            return TransitionForbidden(str(OWN_CANDIDACY))
        return services.transition_refusal(
            candidacy=self.candidacy, name=self.action.transition, by=self.request.user
        )

    def check_not_own_candidacy(self):
        if self.own_candidacy:
            raise TransitionForbidden(str(OWN_CANDIDACY))

    def render_step(self, *, form, confirming=False, error=None, lost_comment="", status=200):
        context = self.get_context_data(
            action=self.action,
            candidacy=self.candidacy,
            candidate=self.candidacy.candidate,
            state_label=CandidacyState(self.candidacy.state).label,
            restatement=restate(self.action, self.candidacy),
            form=form,
            confirming=confirming,
            comment=form.cleaned_data.get("comment", "") if confirming else "",
            error=error,
            lost_comment=lost_comment,
            detail_url=reverse("candidacy_admin:detail", args=[self.pk]),
        )
        return self.render_to_response(context, status=status)

    def render_error(self, error, *, status):
        """The refusal, with the state as it is now; what the certifier typed is not lost."""
        # The service reloads the candidacy after a refusal; reload here too so the page
        # shows the state as it is now.
        self.candidacy.refresh_from_db()
        comment = (self.request.POST.get("comment") or "").strip()
        if self.refusal() is not None:
            # The decision is no longer open: no form, the comment shown to be copied.
            return self.render_step(form=None, error=error, lost_comment=comment, status=status)
        # Still open (a colleague acted, then the file came back to the same state):
        # the form again, with the page's new version so the next try is not stale.
        data = self.request.POST.copy()
        data["seen"] = self.candidacy.version_token
        data.pop("confirm", None)
        form = DecisionForm(data, action=self.action)
        form.is_valid()
        return self.render_step(form=form, error=error, status=status)
