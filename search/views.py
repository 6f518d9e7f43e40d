"""The search pages: one view for every space, the space deciding the page around the
results (``search.spaces``), the engine deciding what the person may read
(``search.search(..., user=...)``: the scope is in the query, never filtered after)."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from livret.dossier.access import not_editable_message
from livret.dossier.links.forms import LinkForm
from livret.dossier.services import dossier_for
from livret.permissions import can_edit_dossier
from referentiel.ids import parse_page
from search import api as engine
from search import parts, presentation
from search.forms import FACET_PARAMS, SearchForm, read_filters
from search.spaces import CANDIDATE, CERTIFIER, EVALUATOR, JURY
from vae.models import Candidacy


def _search(request, raw, filters):
    """The engine's results for the page asked, or for the last page when asked past it."""
    asked = parse_page(request.GET.get("page") or "1") or 1
    results = engine.search(raw, user=request.user, filters=filters, page=max(asked, 1))
    last = presentation.last_page(results.total, results.per_page)
    if results.total and asked > last:
        results = engine.search(raw, user=request.user, filters=filters, page=last)
        results.page = asked  # the paginator says the page did not exist
    return results


def _kept(filters, candidacy) -> list[tuple[str, str]]:
    """The chosen facets as hidden fields: a new search keeps them (the candidate's
    candidacy is in the URL, not in the form)."""
    return [
        (param, getattr(filters, field))
        for field, (param, _label) in FACET_PARAMS.items()
        if getattr(filters, field) is not None and not (field == "candidacy" and candidacy)
    ]


def search_context(request, space, *, candidacy=None) -> dict:
    """Everything a search page shows; ``candidacy``: the search is limited to it."""
    form = SearchForm(request.GET or None)
    filters, problems = read_filters(request.GET)
    if candidacy is not None:
        filters = replace(filters, candidacy=candidacy.pk)
    context = {
        "space": space,
        "form": form,
        "problems": problems,
        "kept": _kept(filters, candidacy),
        "candidacy": candidacy,
        "back_url": reverse(
            space.back_url_name, **({"args": [candidacy.pk]} if space is CANDIDATE else {})
        ),
    }
    raw = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if not raw:
        return context
    results = _search(request, raw, filters)
    links = space.links(request.user, results.hits, raw)
    pages = presentation.pages_of(results)
    return context | {
        "raw": raw,
        "results": results,
        "summary": presentation.summary(results, raw),
        "rows": presentation.rows(results, links, with_name=space.with_name),
        "facets": presentation.facets(
            results,
            filters,
            request.GET,
            with_name=space.with_name,
            hidden=("candidacy",) if space is CANDIDATE else (),
        ),
        "pages": pages,
    }


def _page(request, space, **kwargs):
    if not space.holds(request.user):
        raise PermissionDenied(space.refusal)
    return render(request, "search/page.html", search_context(request, space, **kwargs))


@login_required
@require_safe
def evaluator_search(request):
    return _page(request, EVALUATOR)


@login_required
@require_safe
def jury_search(request):
    return _page(request, JURY)


@login_required
@require_safe
def candidate_search(request, candidacy_pk):
    # Another person's candidacy is not found: nothing disclosed.
    candidacy = get_object_or_404(Candidacy, pk=candidacy_pk, candidate=request.user)
    return _page(request, CANDIDATE, candidacy=candidacy)


@login_required
@require_safe
def link_suggestions(request, candidacy_pk):
    """The suggestions of the candidate's link form for another piece (``source``, with
    its ``page_from``/``page_to``) or narrative, as an HTML fragment fetched by
    static/js/competence-suggestions.js: their own candidacy, while the link form is
    open, and one of its own pieces or narratives (a list of the form); 404 otherwise,
    nothing disclosed. No choice: an empty fragment."""
    candidacy = get_object_or_404(Candidacy, pk=candidacy_pk, candidate=request.user)
    if not can_edit_dossier(request.user, candidacy):
        raise PermissionDenied(not_editable_message(candidacy))
    form = LinkForm(request.GET, dossier=dossier_for(candidacy), blocs=())
    # The form's own list: the current pieces and the narratives with text of this dossier.
    offered = {
        value
        for _group, options in form.fields["source"].widget.choices[1:]
        for value, _ in options
    }
    if request.GET.get("source") and request.GET["source"] not in offered:
        raise Http404
    return HttpResponse(parts.link_suggestions_body(request, form, candidacy))


class CertifierSearchView(WagtailAdminTemplateMixin, TemplateView):
    """Across every dossier, in the back office."""

    template_name = "search/admin_page.html"
    page_title = "Recherche dans les dossiers"
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not CERTIFIER.holds(request.user):
            raise PermissionDenied(CERTIFIER.refusal)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | search_context(self.request, CERTIFIER)
