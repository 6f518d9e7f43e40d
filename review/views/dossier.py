"""The evaluator's dossier page, an evidence page, and their writes: a passage tied to
criteria (added, deleted) and a verdict on one of the candidate's links."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from livret.dossier.services import dossier_for
from livret.models import CompetenceLink
from referentiel.french import plural
from referentiel.ids import parse_id, parse_page
from review import permissions, services
from review.enums import PassageKind
from review.models import CriterionLink
from review.selectors.dossier import (
    current_evidence,
    dossier_page,
    dossier_page_version,
    narratives_of,
)
from review.selectors.evidence_page import evidence_of
from review.selectors.evidence_page import evidence_page as evidence_page_of
from review.selectors.passages import structure
from review.views.access import evaluator_page, read_only_reason, refuse_dossier_write
from review.workspace_forms import CriterionLinkForm, LinkVerdictForm
from vae import text_marks
from vae.fragments import cached_part
from vae.models import AccessedFile
from vae.personal_data.access_log import record_file_access
from vae.workflow import WorkflowError


def _work_context(request, assignment, link_form) -> dict:
    """What both reading pages show around the text: the header and the passage form."""
    can_work = permissions.can_work_on(request.user, assignment)
    return {
        "assignment": assignment,
        "candidacy": assignment.candidacy,
        "can_work": can_work,
        "read_only_reason": "" if can_work else read_only_reason(assignment),
        "link_form": link_form,
        "checked_criteria": link_form.checked_criteria(),
        "open_blocs": link_form.open_blocs(),
    }


BODY = "review/includes/dossier_body.html"


def _dossier_context(request, assignment, link_form=None, verdict_form=None) -> dict:
    data = dossier_page(assignment, viewer=request.user)
    if verdict_form is not None:
        # The refused verdict is shown again in place, with what was typed.
        data = data.with_refused_verdict(verdict_form)
    if link_form is None:
        link_form = CriterionLinkForm(
            initial={"origin": "dossier", "kind": PassageKind.NARRATIVE},
            narratives=data.narratives,
            evidence=data.evidence_items,
            criteria=data.criteria,
            origin="dossier",
        )
    context = _work_context(request, assignment, link_form)
    context.update(data=data, verdict_form=verdict_form)
    return context


def _render_dossier(request, assignment, *, link_form=None, verdict_form=None):
    if link_form is None and verdict_form is None:
        # A plain reading: the body as it was last rendered for this evaluator, unless
        # anything it shows changed since (the version is one query; the page, dozens).
        key = f"review-dossier:{assignment.pk}:{request.user.pk}:{dossier_page_version(assignment)}"
        body = cached_part(request, key, BODY, lambda: _dossier_context(request, assignment))
    else:
        body = render_to_string(
            BODY, _dossier_context(request, assignment, link_form, verdict_form), request
        )
    context = {
        "candidacy": assignment.candidacy,
        "body": body,
        "link_form": link_form,
        "verdict_form": verdict_form,
    }
    return render(request, "review/dossier.html", context)


@require_safe
@evaluator_page
def dossier(request, assignment):
    return _render_dossier(request, assignment)


def _render_page(request, assignment, evidence, number, *, link_form=None):
    reader = evidence_page_of(assignment, evidence, number, terms=text_marks.terms_of(request.GET))
    if link_form is None:
        link_form = CriterionLinkForm(
            initial={
                "origin": "page",
                "kind": PassageKind.PAGE_TEXT if reader.text.text else PassageKind.PAGE,
                "evidence": evidence.pk,
                "page": number,
            },
            narratives=[],
            evidence=[evidence],
            criteria=reader.criteria,
            origin="page",
        )
    context = _work_context(request, assignment, link_form)
    context.update(reader=reader, evidence=evidence)
    return render(request, "review/dossier_page.html", context)


def open_page(request, *, candidacy, evidence, number, url_name, owner_pk):
    """What every page-by-page reader (the evaluator's, the jury's) does before showing
    page ``number``: a page outside the piece is not found, « Aller à la page » (a plain
    GET form landing with ?page=N) is redirected to its page, and the reading is recorded.
    Returns the redirect, or None to show the page; ``url_name`` takes (``owner_pk``,
    piece, page)."""
    if evidence is None or not 1 <= number <= evidence.page_count:
        raise Http404
    wanted = request.GET.get("page", "")
    if wanted:
        target = parse_page(wanted)
        if target is not None and target <= evidence.page_count:
            return redirect(url_name, owner_pk, evidence.pk, target)
        messages.error(
            request,
            _("Choisissez une page entre 1 et %(n)d.") % {"n": evidence.page_count},
        )
    # The page's text is the piece's content: reading it is recorded like opening the file.
    record_file_access(
        user=request.user,
        candidacy=candidacy,
        kind=AccessedFile.EVIDENCE,
        object_id=evidence.pk,
        label=_("%(title)s (texte de la page %(n)d)") % {"title": evidence.title, "n": number},
    )
    return None


@require_safe
@evaluator_page
def evidence_page(request, assignment, evidence_pk, number):
    evidence = evidence_of(assignment, evidence_pk)
    jump = open_page(
        request,
        candidacy=assignment.candidacy,
        evidence=evidence,
        number=number,
        url_name="review:evidence_page",
        owner_pk=assignment.pk,
    )
    return jump or _render_page(request, assignment, evidence, number)


# -- passages -----------------------------------------------------------------------


def _posted_page(assignment, data):
    """The evidence page the passage form was sent from, as (piece, number), or None
    (the dossier page, or a page that cannot be found: the dossier page shows the form
    again then)."""
    if data.get("link-origin") != "page":
        return None
    evidence_pk, number = parse_id(data.get("link-evidence")), parse_page(data.get("link-page"))
    if evidence_pk is None or number is None:
        return None
    evidence = evidence_of(assignment, evidence_pk)
    if evidence is None or number > evidence.page_count:
        return None
    return evidence, number


def _add_passage(request, assignment, form):
    """The new passage, or None when the form or the service refused it (errors on the
    form)."""
    if not form.is_valid():
        return None
    try:
        link = services.add_criterion_link(
            assignment=assignment, by=request.user, **form.service_kwargs()
        )
    except WorkflowError as error:
        for message in (error.message, *error.problems):
            form.add_error(None, message)
        return None
    count = len(form.cleaned_data["criteria"])
    messages.success(
        request,
        f"Passage relié à {plural(count, 'critère')}.",
    )
    return link


def _landing(assignment, link, from_page) -> str:
    """Back where the evaluator was reading, the new highlight in view."""
    if link.kind == PassageKind.NARRATIVE:
        url = reverse("review:dossier", args=[assignment.pk])
        return f"{url}#recit-{link.narrative_id}"
    if from_page:
        url = reverse("review:evidence_page", args=[assignment.pk, link.evidence_id, link.page])
        return f"{url}#texte-page"
    url = reverse("review:dossier", args=[assignment.pk])
    return f"{url}#passage-{assignment.criterion_links.count()}"


@require_POST
@evaluator_page
def link_add(request, assignment):
    if not permissions.can_work_on(request.user, assignment):
        return refuse_dossier_write(request, assignment)
    page = _posted_page(assignment, request.POST)
    dossier = dossier_for(assignment.candidacy)
    form = CriterionLinkForm(
        request.POST,
        narratives=narratives_of(dossier),
        evidence=current_evidence(dossier),
        criteria=structure(assignment.candidacy)[1],
        origin="page" if page else "dossier",
    )
    link = _add_passage(request, assignment, form)
    if link is not None:
        return redirect(_landing(assignment, link, page is not None))
    if page:
        return _render_page(request, assignment, *page, link_form=form)
    return _render_dossier(request, assignment, link_form=form)


@require_POST
@evaluator_page
def link_delete(request, assignment, link_pk):
    link = get_object_or_404(CriterionLink, pk=link_pk, assignment=assignment)
    if not permissions.can_work_on(request.user, assignment):
        return refuse_dossier_write(request, assignment)
    back = (
        reverse("review:evidence_page", args=[assignment.pk, link.evidence_id, link.page])
        if request.POST.get("origin") == "page" and link.evidence_id
        else reverse("review:dossier", args=[assignment.pk])
    )
    try:
        services.delete_criterion_link(link=link, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le passage est supprimé."))
    return redirect(f"{back}#mes-passages")


# -- the candidate's links ------------------------------------------------------------


@require_POST
@evaluator_page
def candidate_link_verdict(request, assignment, link_pk):
    link = get_object_or_404(
        CompetenceLink.objects.select_related("dossier"),
        pk=link_pk,
        dossier__candidacy_id=assignment.candidacy_id,
    )
    if not permissions.can_work_on(request.user, assignment):
        return refuse_dossier_write(request, assignment)
    form = LinkVerdictForm(request.POST, link=link)
    if form.is_valid():
        try:
            services.set_link_verdict(
                assignment=assignment,
                link=link,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Votre avis sur ce lien est enregistré."))
            url = reverse("review:dossier", args=[assignment.pk])
            return redirect(f"{url}#lien-candidat-{link.pk}")
    return _render_dossier(request, assignment, verdict_form=form)
