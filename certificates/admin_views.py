"""The certifier's list of issued documents, and rectifying or cancelling one (Wagtail
admin). Certifiers only; what may happen is ``certificates.services``' call."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from certificates import selectors, services
from certificates.enums import CredentialStatus
from certificates.forms import ReasonForm
from certificates.models import Credential
from jury.admin_views import HOME, CertifierPage
from vae.pagination import paginate
from vae.workflow import WorkflowError

LIST = {"url": reverse_lazy("certificates_admin:list"), "label": gettext_lazy("Documents délivrés")}
ACTIONS = {"rectify": services.rectify, "cancel": services.cancel}
# Decisions awaiting their documents shown above the list: a handful at most in practice.
WAITING_SHOWN = 50


class IssueView(CertifierPage):
    """« Délivrer » for a decided candidacy whose documents wait (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, candidacy_pk, **kwargs):
        candidacy = get_object_or_404(selectors.awaiting_issue(), pk=candidacy_pk)
        try:
            issued = services.issue_for_decision(candidacy, by=request.user)
        except WorkflowError as error:
            messages.error(request, " ".join([error.message, *error.problems]))
        else:
            messages.success(
                request,
                _("Documents délivrés pour %(reference)s : %(numbers)s.")
                % {
                    "reference": candidacy.reference,
                    "numbers": ", ".join(credential.number for credential in issued),
                },
            )
        return redirect("certificates_admin:list")


class CredentialListView(CertifierPage):
    template_name = "certificates/admin/credentials.html"
    page_title = gettext_lazy("Documents délivrés")
    header_icon = "tick-inverse"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("statut", "")
        query = self.request.GET.get("q", "")[:60]
        rows = selectors.staff_credentials(status=status, query=query)
        waiting = services.issuing_problems_of(selectors.awaiting_issue()[:WAITING_SHOWN])
        return super().get_context_data(**kwargs) | {
            "waiting": waiting,
            "pages": paginate(rows, self.request.GET.get("page")),
            "status": status,
            "query": query,
            "statuses": CredentialStatus.choices,
        }


class CredentialView(CertifierPage):
    template_name = "certificates/admin/credential.html"
    header_icon = "tick-inverse"

    def get_page_title(self):
        return _("Document n° %(number)s") % {"number": self.credential.number}

    def get_breadcrumbs_items(self):
        return [HOME, LIST, {"url": "", "label": self.get_page_title()}]

    def _load(self, pk):
        self.credential = get_object_or_404(
            Credential.objects.select_related("candidacy", "replaces", "replaced_by"), pk=pk
        )

    def get(self, request, *args, pk, **kwargs):
        self._load(pk)
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, pk, **kwargs):
        self._load(pk)
        action = request.POST.get("action")
        form = ReasonForm(request.POST)
        if action not in ACTIONS:
            messages.error(request, _("Action inconnue."))
        elif form.is_valid():
            try:
                result = ACTIONS[action](
                    self.credential, by=request.user, reason=form.cleaned_data["reason"]
                )
            except WorkflowError as error:
                messages.error(request, " ".join([error.message, *error.problems]))
            else:
                if action == "rectify":
                    messages.success(
                        request,
                        _("Document rectifié : le document corrigé porte le n° %(number)s.")
                        % {"number": result.number},
                    )
                else:
                    messages.success(request, _("Document annulé."))
                return redirect(reverse("certificates_admin:detail", args=[result.pk]))
        return self.render_to_response(self.get_context_data(form=form, action=action))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "credential": self.credential,
            "form": kwargs.get("form") or ReasonForm(),
            "action": kwargs.get("action", ""),
        }
