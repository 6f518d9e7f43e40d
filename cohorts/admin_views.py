"""The certifier's promotions and insertion tables (Wagtail admin), and their exports.

Certifiers only (``jury.admin_views.CertifierPage`` checks before anything is read)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from cohorts import exports, promotions, surveys
from cohorts.admin_forms import SurveyFiltersForm
from cohorts.enums import SurveyState
from cohorts.rules import SMALL_NUMBERS_THRESHOLD
from jury.admin_views import HOME, CertifierPage
from referentiel import french as fr

PROMOTIONS = {
    "url": reverse_lazy("cohorts_admin:promotions"),
    "label": gettext_lazy("Promotions et insertion"),
}


class PromotionPage(CertifierPage):
    header_icon = "calendar-alt"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "threshold": SMALL_NUMBERS_THRESHOLD,
            "settings_url": reverse("wagtailsettings:edit", args=["cohorts", "promotionsettings"]),
        }


class PromotionListView(PromotionPage):
    template_name = "cohorts/promotions/index.html"
    page_title = gettext_lazy("Promotions et insertion")

    def get_context_data(self, **kwargs):
        month = promotions.start_month()
        table = promotions.promotion_table(month)
        return super().get_context_data(**kwargs) | {
            "table": table,
            "waves": table[0].paths[0].waves if table else (),
            "start_month": month,
            "start_month_name": fr.MONTHS[month - 1],
        }


class PromotionView(PromotionPage):
    template_name = "cohorts/promotions/detail.html"

    def get_page_title(self):
        return _("Promotion %(label)s") % {"label": self.figures.promotion.label}

    def get_breadcrumbs_items(self):
        return [HOME, PROMOTIONS, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, year, **kwargs):
        self.figures = promotions.promotion_of_year(year)
        if self.figures is None:
            raise Http404("Aucune promotion ne commence cette année-là.")
        return self.render_to_response(self.get_context_data(figures=self.figures))


class ExportView(CertifierPage):
    """A download of the promotions' figures (``cohorts.exports.EXPORTS``)."""

    def get(self, request, *args, name, **kwargs):
        if name not in exports.EXPORTS:
            raise Http404("Export inconnu.")
        content_type, filename, content = exports.export(
            name, promotions.promotion_table(), timezone.localdate()
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


SURVEYS_PER_PAGE = 50


class SurveyListView(CertifierPage):
    """Every follow-up survey and where it stands (« Enquêtes de suivi »): the state of
    each and the counts by state, filtered by wave and state. No answer is shown: the
    answers serve the statistics only (the promotions' tables)."""

    template_name = "cohorts/surveys/index.html"
    page_title = gettext_lazy("Enquêtes de suivi")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        form = SurveyFiltersForm(self.request.GET or None)
        filters = surveys.SurveyFilters()
        if form.is_bound and not form.is_valid():
            # The form keeps what was chosen, with the field's message beside it.
            messages.error(
                self.request, _("Filtres non valides : toutes les enquêtes sont affichées.")
            )
        elif form.is_bound:
            filters = surveys.SurveyFilters(form.cleaned_data["vague"], form.cleaned_data["etat"])
        today = timezone.localdate()
        page = Paginator(surveys.surveys(filters, today), SURVEYS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        page.object_list = list(page.object_list)
        for survey in page.object_list:
            survey.state_label = SurveyState(survey.listed_state).label
        query = urlencode(
            {
                "vague": filters.wave.pk if filters.wave else "",
                "etat": filters.state,
            }
        )
        return super().get_context_data(**kwargs) | {
            "form": form,
            "page": page,
            "counts": surveys.state_counts(filters, today),
            "filtered": bool(filters.wave or filters.state),
            "query": query,
        }
