"""The certifier's promotions and insertion tables (Wagtail admin), and their exports.

Certifiers only (``jury.admin_views.CertifierPage`` checks before anything is read)."""

from django.http import Http404, HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts import exports, promotions
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
