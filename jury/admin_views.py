"""The certifier's side of the jury (Wagtail admin): sessions (list, create, compose, the
agenda with declarations and convocations), the candidacies waiting for a session, and
scheduling or rescheduling one. Certifiers only (``jury.permissions.can_manage``); what
may happen is ``jury.services``' and the candidacy machine's call."""

from dataclasses import replace

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from jury import minutes, permissions, rectification, rules, selectors, services
from jury.admin_forms import CompositionForm, ScheduleForm, SessionForm
from jury.enums import SESSION_TRANSITIONS, SessionTransition
from jury.forms import AbsenceForm, RectificationForm
from jury.models import JurySession
from referentiel import french as fr
from referentiel.models import Certification
from vae import services as vae_services
from vae.enums import CandidacyState, Transition
from vae.models import Candidacy
from vae.workflow import WorkflowError

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": gettext_lazy("Accueil")}
SESSIONS = {"url": reverse_lazy("jury_admin:sessions"), "label": gettext_lazy("Sessions du jury")}


class CertifierPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        # Permission first: a refused user learns nothing about which rows exist.
        if not permissions.can_manage(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [HOME, {"url": "", "label": self.get_page_title()}]


class SessionListView(CertifierPage):
    template_name = "jury/admin/sessions.html"
    page_title = gettext_lazy("Sessions du jury")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | selectors.staff_sessions()


class SessionCreateView(CertifierPage):
    template_name = "jury/admin/session_form.html"
    page_title = gettext_lazy("Nouvelle session du jury")

    def get_breadcrumbs_items(self):
        return [HOME, SESSIONS, {"url": "", "label": self.get_page_title()}]

    def post(self, request, *args, **kwargs):
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = services.create_session(
                    by=request.user,
                    certification=Certification.objects.current(),
                    **form.cleaned_data,
                )
            except WorkflowError as error:
                return self.render_to_response(self.get_context_data(form=form, error=error))
            messages.success(request, _("Session créée : désignez maintenant ses membres."))
            return redirect("jury_admin:compose", pk=session.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SessionForm())
        return super().get_context_data(**kwargs)


class SessionPage(CertifierPage):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = kwargs["pk"]

    def dispatch(self, request, *args, **kwargs):
        if permissions.can_manage(request.user):
            self.session = get_object_or_404(
                JurySession.objects.select_related("certification", "president__user"),
                pk=self.pk,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Session du %(date)s") % {"date": fr.date(self.session.date)}

    def get_breadcrumbs_items(self):
        return [HOME, SESSIONS, {"url": "", "label": self.get_page_title()}]


def absence_form(slot, data=None) -> AbsenceForm:
    # One form per candidate on the session page: the prefix keeps their ids apart.
    return AbsenceForm(data, prefix=f"absence-{slot.candidacy_id}")


class SessionDetailView(SessionPage):
    template_name = "jury/admin/session.html"

    def get_context_data(self, *, absence=None, **kwargs):
        """The page, with an « Absent(e) » form per candidate still convoked; ``absence``
        is a refused one (slot, bound form), shown again open in its place."""
        data = selectors.staff_session_page(self.session)
        refused_slot, refused_form = absence or (None, None)
        data["lines"] = [
            replace(
                line,
                absence_form=refused_form
                if refused_slot is not None and line.slot.pk == refused_slot.pk
                else absence_form(line.slot),
            )
            if line.absence_possible
            else line
            for line in data["lines"]
        ]
        data["minutes"] = minutes.minutes_of(self.session)
        data["status_actions"] = [
            (reverse(f"jury_admin:{name}", args=[self.session.pk]), rule.button)
            for name, rule in SESSION_TRANSITIONS.items()
            if self.session.status in rule.sources
        ]
        return super().get_context_data(**kwargs) | data


class AbsenceView(SessionDetailView):
    """« Absent(e) » for a candidate of the session: the form, then its confirmation,
    then ``record_absence``. POST only; a form or a refusal comes back on the session
    page with what was typed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        # Only a candidate of this session: any other is not found here.
        slot = (
            self.session.slots.filter(candidacy_id=kwargs["candidacy_pk"])
            .select_related("candidacy__candidate")
            .order_by("-pk")
            .first()
        )
        if slot is None:
            raise Http404
        form = absence_form(slot, request.POST)
        if not form.is_valid():
            return self.refused(slot, form)
        refusal = vae_services.transition_refusal(
            candidacy=slot.candidacy, name=Transition.RECORD_ABSENCE, by=request.user
        )
        if refusal is not None:
            return self.refused(slot, form, refusal)
        if "edit" in request.POST:
            return self.render_to_response(self.get_context_data(absence=(slot, form)))
        if "confirm" not in request.POST:
            self.template_name = "jury/admin/absence_confirm.html"
            return self.render_to_response(self.get_context_data(slot=slot, form=form))
        try:
            services.record_absence(candidacy=slot.candidacy, by=request.user, **form.cleaned_data)
        except WorkflowError as error:
            return self.refused(slot, form, error)
        messages.success(
            request,
            _("%(ref)s : absence enregistrée ; la candidature attend une nouvelle session.")
            % {"ref": slot.candidacy.reference},
        )
        return redirect("jury_admin:session", pk=self.session.pk)

    def refused(self, slot, form, error=None):
        context = self.get_context_data(absence=(slot, form), error=error, form=form)
        return self.render_to_response(context, status=400)


class SessionStatusView(SessionPage):
    """A button of the session page moving the session along its life; POST only."""

    http_method_names = ["post"]
    transition: SessionTransition | None = None  # given by the URL

    def post(self, request, *args, **kwargs):
        try:
            services.change_session_status(
                session=self.session, name=self.transition, by=request.user
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(action)s.") % {"action": self.transition.label})
        return redirect("jury_admin:session", pk=self.session.pk)


class SessionComposeView(SessionPage):
    template_name = "jury/admin/compose.html"

    def form(self, data=None):
        spec = selectors.seat_spec(self.session.certification)
        return CompositionForm(data, session=self.session, spec=spec)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(session=self.session, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                problems = services.compose_session(
                    session=self.session,
                    by=request.user,
                    members_by_role=form.members_by_role(),
                    president=form.cleaned_data["president"],
                )
            except WorkflowError as error:
                return self.render_to_response(self.get_context_data(form=form, error=error))
            if problems:
                messages.warning(request, _("Composition enregistrée, encore incomplète."))
            else:
                messages.success(request, _("Composition enregistrée."))
            return redirect("jury_admin:session", pk=self.session.pk)
        return self.render_to_response(self.get_context_data(form=form))


class WaitingView(CertifierPage):
    template_name = "jury/admin/waiting.html"
    page_title = gettext_lazy("Candidatures en attente d'un jury")

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=selectors.waiting_for_session(), **kwargs)


class CandidacyActionPage(CertifierPage):
    """A certifier's action on one candidacy (``pk`` in the URL), never their own: the
    candidacy is read once permission to manage is established."""

    def dispatch(self, request, *args, **kwargs):
        if permissions.can_manage(request.user):
            self.candidacy = get_object_or_404(
                Candidacy.objects.select_related(
                    "candidate", "eligibility_request", "certification"
                ),
                pk=kwargs["pk"],
            )
            if not permissions.can_schedule(request.user, self.candidacy):
                raise PermissionDenied
            self.setup_candidacy()
        return super().dispatch(request, *args, **kwargs)

    def setup_candidacy(self) -> None:
        """What the page reads once the candidacy is known (raise Http404 if nothing)."""


class ScheduleView(CandidacyActionPage):
    """Place a reviewed candidacy in a session, or move a convoked one (with a reason)."""

    template_name = "jury/admin/schedule.html"

    @property
    def rescheduling(self) -> bool:
        return self.candidacy.state == CandidacyState.JURY_SCHEDULED

    def get_page_title(self):
        verb = _("Déplacer") if self.rescheduling else _("Convoquer")
        return f"{verb} — {self.candidacy.reference}"

    def get_breadcrumbs_items(self):
        waiting = {"url": reverse("jury_admin:waiting"), "label": WaitingView.page_title}
        return [HOME, waiting, {"url": "", "label": self.get_page_title()}]

    def form(self, data=None):
        return ScheduleForm(data, candidacy=self.candidacy, rescheduling=self.rescheduling)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        facts = selectors.scheduling_facts(
            self.candidacy, changeover=settings.VAE_JURY_CHANGEOVER_MINUTES
        )
        open_ = self.candidacy.state in (CandidacyState.REVIEWED, CandidacyState.JURY_SCHEDULED)
        return super().get_context_data(candidacy=self.candidacy, facts=facts, open=open_, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        arguments = {
            "candidacy": self.candidacy,
            "session": data["session"],
            "start": data["start"],
            "by": request.user,
            "extra_minutes": data["extra_minutes"] or 0,
            "accommodation_note": data["accommodation_note"],
        }
        try:
            if self.rescheduling:
                services.reschedule(reason=data["reason"], **arguments)
            else:
                services.schedule(**arguments)
        except WorkflowError as error:
            return self.render_to_response(self.get_context_data(form=form, error=error))
        warning = rules.delay_warning(
            filed_on=selectors.filed_on(self.candidacy), session_date=data["session"].date
        )
        messages.success(
            request, _("%(ref)s : convocation envoyée.") % {"ref": self.candidacy.reference}
        )
        if warning:
            messages.warning(request, warning)
        return redirect("jury_admin:session", pk=data["session"].pk)


class InterviewView(CandidacyActionPage):
    """The record of a heard candidate's interview, read only: presence and times, each
    bloc's notes and the jury's revisions of the ratings (``selectors.interview_record``:
    what the members wrote, without the dossier they read). Where a certifier's search
    leads for a jury note or a revision (indexed as soon as written); linked from the
    session's agenda. A record still open (the interview under way) is shown as it
    stands, and said to be open."""

    template_name = "jury/admin/interview.html"

    def setup_candidacy(self) -> None:
        self.slot = selectors.recorded_slot(self.candidacy)
        if self.slot is None:
            raise Http404

    def get_page_title(self):
        return _("Compte rendu d'entretien — %(ref)s") % {"ref": self.candidacy.reference}

    def get_breadcrumbs_items(self):
        session = self.slot.session
        return [
            HOME,
            SESSIONS,
            {
                "url": reverse("jury_admin:session", args=[session.pk]),
                "label": _("Session du %(date)s") % {"date": fr.date(session.date)},
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | selectors.interview_record(self.slot)


class RectifyView(CandidacyActionPage):
    """Rectify a signed decision (``jury.rectification``): every bloc's outcome, the texts
    for the candidate and the reason, prefilled with the decision as it stands; the
    earlier versions are shown above. A refusal comes back with what was typed."""

    template_name = "jury/admin/rectify.html"

    def setup_candidacy(self) -> None:
        self.decision = selectors.candidate_decision(self.candidacy)
        if self.decision is None:
            raise Http404

    def get_page_title(self):
        return _("Rectifier la décision — %(ref)s") % {"ref": self.candidacy.reference}

    def form(self, data=None):
        decision = self.decision
        initial = {
            "observations": decision.observations,
            "recommendations": decision.recommendations,
        }
        for row in decision.blocs:
            initial[f"bloc_{row.bloc.code}"] = "oui" if row.validated else "non"
        return RectificationForm(
            data, initial=initial, blocs=[row.bloc for row in self.decision.blocs]
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        return super().get_context_data(candidacy=self.candidacy, decision=self.decision, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            rectification.rectify_decision(
                candidacy=self.candidacy,
                by=request.user,
                outcomes=form.outcomes(),
                observations=form.cleaned_data["observations"],
                recommendations=form.cleaned_data["recommendations"],
                reason=form.cleaned_data["reason"],
            )
        except WorkflowError as error:
            context = self.get_context_data(form=form, error=error)
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _(
                "%(ref)s : décision rectifiée. Le candidat est prévenu par e-mail ; une "
                "nouvelle version du procès-verbal est établie."
            )
            % {"ref": self.candidacy.reference},
        )
        return redirect("candidacy_admin:detail", self.candidacy.pk)
