"""The certifier's process dashboard in the back office, and its PDF report for the CPNEF.

Certifiers only (``jury.admin_views.CertifierPage``, the same check as
``cohorts.dashboard.can_view`` for the PDF). The filters are a GET form: a period of
quarters of recevabilité and a bloc; anything a hand-typed address gets wrong is said in
French and the default period shown instead, never an error page.
"""

import re

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts import report_document
from cohorts.charts import chart_svg, dashboard_drawings, drawn_chart, remember_drawings
from cohorts.dashboard import (
    MAX_QUARTERS,
    Filters,
    Quarter,
    bloc_codes,
    cached_dashboard,
    default_filters,
)
from jury.admin_views import HOME, CertifierPage
from vae.documents.presentation import document_state
from vae.documents.views import serve_document

CHOOSE = gettext_lazy("Choisissez un trimestre de la liste.")
VERSION = re.compile(r"^[0-9a-f]{32}$")


class FiltersForm(forms.Form):
    # Left out, a bound of the period is the default one's.
    du = forms.ChoiceField(
        label=gettext_lazy("Recevables du trimestre"),
        required=False,
        error_messages={"invalid_choice": CHOOSE},
    )
    au = forms.ChoiceField(
        label=gettext_lazy("au trimestre"),
        required=False,
        error_messages={"invalid_choice": CHOOSE},
    )
    bloc = forms.ChoiceField(
        label=gettext_lazy("Bloc visé"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choisissez un bloc de la liste.")},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default_filters(today)
        last = Quarter.of(today)
        quarters = [(q.code, q.label) for q in last.shift(1 - MAX_QUARTERS).until(last)]
        self.fields["du"].choices = quarters
        self.fields["au"].choices = quarters
        self.fields["bloc"].choices = [("", _("Tous les blocs"))] + [
            (code, f"{code} — {title}") for code, title in bloc_codes()
        ]

    def clean(self):
        data = super().clean()
        if "du" in data:
            data["du"] = data["du"] or self.default.first.code
        if "au" in data:
            data["au"] = data["au"] or self.default.last.code
        first, last = Quarter.parse(data.get("du", "")), Quarter.parse(data.get("au", ""))
        if first and last and first > last:
            raise forms.ValidationError(
                _("Le premier trimestre de la période doit précéder le dernier (ou l'égaler).")
            )
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(Quarter.parse(data["du"]), Quarter.parse(data["au"]), data["bloc"])


def read_filters(request) -> tuple[Filters, FiltersForm, list[str]]:
    """The filters of the query string, or the default ones with the reasons why."""
    today = timezone.localdate()
    if not {"du", "au", "bloc"} & set(request.GET):
        filters = default_filters(today)
        return filters, FiltersForm(initial=filters.query, today=today), []
    form = FiltersForm(request.GET, today=today)
    if form.is_valid():
        return form.filters(), form, []
    errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
    filters = default_filters(today)
    return filters, FiltersForm(initial=filters.query, today=today), errors


class CertifierDashboardPage(CertifierPage):
    """The certifier's check first (``CertifierPage``), then the filters."""

    header_icon = "table"

    def get(self, request, *args, **kwargs):
        self.filters, self.form, errors = read_filters(request)
        if errors:
            messages.error(
                request,
                _("Filtres non valides (%(errors)s) : la période par défaut est affichée.")
                % {"errors": " ".join(dict.fromkeys(errors))},
            )
        return self.filtered_get(request)

    def filtered_get(self, request):
        return self.render_to_response(self.get_context_data())


class DashboardView(CertifierDashboardPage):
    template_name = "cohorts/dashboard/dashboard.html"
    page_title = gettext_lazy("Tableau de bord du processus")

    def get_context_data(self, **kwargs):
        board = cached_dashboard(self.filters)
        # The charts are images the browser asks for once it has the page (their own URL:
        # see ``cohorts.charts``), each naming the version of the figures it draws.
        drawings = dashboard_drawings(board)
        remember_drawings(drawings)
        charts = {
            name: drawing.image(chart_url(name, drawing.version, self.filters))
            for name, drawing in drawings.items()
        }
        return super().get_context_data(**kwargs) | {
            "board": board,
            "charts": charts,
            "form": self.form,
            "pdf_url": f"{reverse('cohorts_admin:dashboard_pdf')}?{urlencode(self.filters.query)}",
        }


def chart_url(name: str, version: str, filters: Filters) -> str:
    query = urlencode(filters.query | {"v": version})
    return f"{reverse('cohorts_admin:dashboard_chart', args=[name])}?{query}"


class DashboardChartView(CertifierDashboardPage):
    """One chart of the page, an SVG image. Its ``v`` is the version of the figures the
    page saw: the shared cache holds its SVG, or the drawing the page left there, which
    is drawn; either way without reading the figures again (nine requests a page).
    Neither there any more: the chart of today's figures, drawn. Filters or a name no
    page links to: 404 (an image has no room for a message). The browser does not keep
    it: Wagtail marks every admin response ``never_cache``, and the shared cache answers
    in one query."""

    def get(self, request, *args, **kwargs):
        filters, _form, errors = read_filters(request)
        if errors:
            raise Http404
        version = request.GET.get("v", "")
        svg = chart_svg(version) if VERSION.match(version) else None
        if svg is None:
            chart = drawn_chart(cached_dashboard(filters), kwargs["name"])
            if chart is None:
                raise Http404
            svg = chart.svg
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


class DashboardPdfView(CertifierDashboardPage):
    """« Exporter en PDF »: the report of the current filters, asked for here, rendered in
    a task and stored (``cohorts.report_document``); served once ready, « en préparation »
    with a live status until then."""

    template_name = "cohorts/dashboard/report_pending.html"
    page_title = gettext_lazy("Rapport PDF du tableau de bord")

    def get_breadcrumbs_items(self):
        dashboard_url = f"{reverse('cohorts_admin:dashboard')}?{urlencode(self.filters.query)}"
        return [
            HOME,
            {"url": dashboard_url, "label": DashboardView.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def filtered_get(self, request):
        document = report_document.request_report(self.filters)
        if document.is_ready:
            return serve_document(document, user=request.user)
        response = self.render_to_response(
            self.get_context_data(state=document_state(document), filters=self.filters)
        )
        response["Cache-Control"] = "private, no-store"
        return response
