"""The candidate's links from evidence and narratives to compétences, and the reasons a
compétence has no evidence.

Thin: forms validate, ``services`` writes (under the dossier's lock, unsigning the sworn
statement on any change), ``selectors`` reads, ``@dossier_page`` decides who may open and
who may write.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from livret.dossier.access import dossier_context, dossier_page
from livret.dossier.links import selectors
from livret.dossier.links import services as links
from livret.dossier.links.forms import LinkForm, NoEvidenceForm, link_initial, preselection
from livret.dossier.models import CompetenceLink
from vae.workflow import TransitionForbidden, WorkflowError

UNSIGNED_MESSAGE = gettext_lazy(
    "Comme vous avez modifié votre dossier, votre déclaration sur l'honneur a été annulée : "
    "signez-la de nouveau avant de déposer votre dossier."
)


def _saved(request, outcome, text):
    if outcome.changed:
        messages.success(request, text)
    else:
        messages.info(request, _("Aucune modification à enregistrer."))
    if outcome.unsigned:
        messages.warning(request, UNSIGNED_MESSAGE)


def _back(candidacy, return_to, competence_pk=None):
    """Back to the page the candidate came from, at the compétence they worked on."""
    name = "livret:dossier" if return_to == "overview" else "livret:links"
    url = reverse(name, kwargs={"candidacy_pk": candidacy.pk})
    return redirect(f"{url}#competence-{competence_pk}" if competence_pk else url)


def _forbidden(error):
    # The dossier stopped being editable between the page's check and the lock (it was
    # submitted in another tab): the same refusal as the decorator's, nothing written.
    return PermissionDenied(error.message)


# -- list ----------------------------------------------------------------------------------


@dossier_page
@require_GET
def link_list(request, candidacy, dossier):
    blocs = selectors.links_by_competence(candidacy, dossier)
    context = dossier_context(
        candidacy,
        dossier,
        "links",
        blocs=blocs,
        link_count=sum(len(item.links) for bloc in blocs for item in bloc.competences),
    )
    return render(request, "livret/dossier/links.html", context)


# -- add, edit, delete ---------------------------------------------------------------------


def _form_page(request, candidacy, dossier, form, link=None):
    context = dossier_context(
        candidacy,
        dossier,
        "links",
        form=form,
        link=link,
        stale_source=bool(
            link and link.evidence_id and link.evidence_id not in form.current_evidence
        ),
        return_to=form["return_to"].value() or "links",
    )
    return render(request, "livret/dossier/link_form.html", context)


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def link_add(request, candidacy, dossier):
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        dossier=dossier,
        blocs=candidacy.referentiel_tree(),
        initial=preselection(request.GET),
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = links.add_link(dossier=dossier, by=request.user, **form.link_values())
        except TransitionForbidden as error:
            raise _forbidden(error) from error
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            _saved(request, outcome, _("Lien enregistré."))
            return _back(candidacy, form.cleaned_data["return_to"], outcome.link.competence_id)
    return _form_page(request, candidacy, dossier, form)


def _own_link(dossier, pk):
    return get_object_or_404(
        CompetenceLink.objects.select_related("competence", "evidence", "narrative__activity"),
        pk=pk,
        dossier=dossier,
    )


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def link_edit(request, candidacy, dossier, pk):
    link = _own_link(dossier, pk)
    initial = link_initial(link)
    initial.update({k: v for k, v in preselection(request.GET).items() if k == "return_to"})
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        dossier=dossier,
        blocs=candidacy.referentiel_tree(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = links.update_link(link=link, by=request.user, **form.link_values())
        except TransitionForbidden as error:
            raise _forbidden(error) from error
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            _saved(request, outcome, _("Lien modifié."))
            return _back(candidacy, form.cleaned_data["return_to"], outcome.link.competence_id)
    return _form_page(request, candidacy, dossier, form, link=link)


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def link_delete(request, candidacy, dossier, pk):
    link = _own_link(dossier, pk)
    return_to = request.POST.get("return_to") or request.GET.get("retour") or "links"
    if request.method == "POST":
        try:
            outcome = links.delete_link(link=link, by=request.user)
        except TransitionForbidden as error:
            raise _forbidden(error) from error
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            _saved(request, outcome, _("Lien supprimé."))
        return _back(candidacy, return_to, link.competence_id)
    context = dossier_context(
        candidacy,
        dossier,
        "links",
        link=link,
        return_to="overview" if return_to == "overview" else "links",
    )
    return render(request, "livret/dossier/link_confirm_delete.html", context)


# -- no-evidence reason --------------------------------------------------------------------


def _no_evidence_page(request, candidacy, dossier, form, *, competence, existing, return_to):
    context = dossier_context(
        candidacy,
        dossier,
        "links",
        form=form,
        bloc=competence.activity.bloc,
        activity=competence.activity,
        competence=competence,
        existing=existing,
        evidence_links=selectors.evidence_links(dossier, competence),
        return_to=return_to,
    )
    return render(request, "livret/dossier/link_no_evidence.html", context)


@dossier_page(editable=True)
@require_http_methods(["GET", "POST"])
def no_evidence(request, candidacy, dossier, competence_pk):
    competence = selectors.targeted_competence_or_404(candidacy, competence_pk)
    existing = dossier.no_evidence.filter(competence=competence).first()
    return_to = request.POST.get("return_to") or request.GET.get("retour") or "overview"
    return_to = return_to if return_to in ("overview", "links") else "overview"
    clearing = request.method == "POST" and "clear" in request.POST
    form = NoEvidenceForm(
        request.POST if request.method == "POST" and not clearing else None,
        initial={"reason": existing.reason if existing else ""},
    )
    try:
        if clearing:
            outcome = links.clear_no_evidence_reason(
                dossier=dossier, by=request.user, competence=competence
            )
            _saved(request, outcome, _("Explication supprimée."))
            return _back(candidacy, return_to, competence.pk)
        if request.method == "POST" and form.is_valid():
            reason = form.cleaned_data["reason"]
            outcome = links.save_no_evidence_reason(
                dossier=dossier, by=request.user, competence=competence, reason=reason
            )
            _saved(request, outcome, _("Explication enregistrée."))
            return _back(candidacy, return_to, competence.pk)
    except TransitionForbidden as error:
        raise _forbidden(error) from error
    except WorkflowError as error:
        form.add_error(None, error.message)
    return _no_evidence_page(
        request,
        candidacy,
        dossier,
        form,
        competence=competence,
        existing=existing,
        return_to=return_to,
    )
