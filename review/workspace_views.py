"""The evaluator's workspace, the dossier page and its writes (links, verdicts).

Thin views: who may see or write is ``review.permissions``' call, every write goes
through ``review.services``, every read through ``review.selectors``.

Someone who is not the evaluator of an assignment gets a 404 (the dossier's existence is
not disclosed); the evaluator is sent to the declaration until they have made it; a write
that the moment does not allow (review not started, grid submitted) is refused with a
message and writes nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from livret.dossier.services import dossier_for
from livret.models import CompetenceLink
from review import permissions, selectors, services
from review.enums import HOLDING_STATUSES, AssignmentStatus, PassageKind
from review.models import Assignment, CriterionLink
from review.workspace_forms import CriterionLinkForm, LinkVerdictForm
from vae.enums import CandidacyState
from vae.workflow import WorkflowError


@login_required
@require_safe
def workspace(request):
    if not permissions.is_evaluator(request.user):
        raise PermissionDenied(_("Cet espace est réservé aux évaluateurs."))
    assignments = selectors.workspace_assignments(request.user)
    for assignment in assignments:
        assignment.readable = permissions.can_read_dossier_as_evaluator(request.user, assignment)
        assignment.can_consolidate = permissions.can_consolidate(
            request.user, assignment, assignment.all_grids_in
        )
    return render(request, "review/workspace.html", {"assignments": assignments})


def read_only_reason(assignment) -> str:
    """Why the evaluator may read but not write, in their words (empty when they may)."""
    if assignment.grid_submitted:
        return _("Votre grille est remise : le dossier est présenté en lecture seule.")
    if assignment.candidacy.state == CandidacyState.DOSSIER_SUBMITTED:
        return _(
            "L'évaluation n'a pas encore commencé : vous pouvez lire le dossier, et vous "
            "pourrez relier des passages aux critères dès que le certificateur l'aura lancée."
        )
    if assignment.candidacy.state == CandidacyState.REVIEWED:
        return _("L'évaluation est terminée : le dossier est présenté en lecture seule.")
    return _("Le dossier est présenté en lecture seule.")


def evaluator_page(view):
    """Open ``view(request, assignment, **kwargs)`` to the assignment's evaluator once
    they have declared not to know the candidate and while the dossier is readable."""

    @login_required
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        assignment = get_object_or_404(
            Assignment.objects.select_related("candidacy"),
            pk=pk,
            evaluator=request.user,
            status__in=HOLDING_STATUSES,
        )
        if not permissions.is_evaluator(request.user):
            raise Http404
        reading = request.method in ("GET", "HEAD")
        if assignment.status == AssignmentStatus.AWAITING_DECLARATION:
            if not reading:
                raise PermissionDenied(_("Faites d'abord votre déclaration."))
            messages.info(
                request,
                _("Avant d'ouvrir le dossier, déclarez que vous ne connaissez pas le candidat."),
            )
            return redirect("review:declare", pk=assignment.pk)
        if not permissions.can_read_dossier_as_evaluator(request.user, assignment):
            if not reading:
                raise PermissionDenied(_("Ce dossier n'est plus ouvert à l'évaluation."))
            messages.warning(
                request,
                _("Le dossier %(ref)s n'est pas consultable dans son état actuel (« %(state)s »).")
                % {
                    "ref": assignment.candidacy.reference,
                    "state": assignment.candidacy.get_state_display(),
                },
            )
            return redirect("review:workspace")
        return view(request, assignment, *args, **kwargs)

    return wrapper


def _refuse_write(request, assignment):
    """The evaluator sent a write the moment no longer allows (another tab, a stale page):
    say why on the dossier page; nothing is written."""
    messages.error(request, read_only_reason(assignment))
    return redirect("review:dossier", pk=assignment.pk)


def _link_form(page_data, narratives, evidence, initial):
    return CriterionLinkForm(
        initial=initial,
        narratives=narratives,
        evidence=evidence,
        criteria=page_data.criteria,
        origin=initial["origin"],
    )


def _render_dossier(request, assignment, *, link_form=None, verdict_form=None):
    data = selectors.dossier_page(assignment, viewer=request.user)
    can_work = permissions.can_work_on(request.user, assignment)
    if verdict_form is not None:
        # The refused verdict is shown again in place, with what was typed.
        for link in data.candidate_links():
            if link.pk == verdict_form.link.pk:
                link.form = verdict_form
                link.form_reason = verdict_form["reason"].value() or ""
    narratives = list(data.narratives.values())
    if link_form is None:
        link_form = _link_form(
            data,
            narratives,
            data.evidence,
            initial={"origin": "dossier", "kind": PassageKind.NARRATIVE},
        )
    return render(
        request,
        "review/dossier.html",
        {
            "assignment": assignment,
            "candidacy": assignment.candidacy,
            "data": data,
            "can_work": can_work,
            "read_only_reason": "" if can_work else read_only_reason(assignment),
            "link_form": link_form,
            "checked_criteria": link_form.checked_criteria(),
            "open_blocs": link_form.open_blocs(),
            "verdict_form": verdict_form,
        },
    )


@require_safe
@evaluator_page
def dossier(request, assignment):
    return _render_dossier(request, assignment)


def _page_of(assignment, evidence_pk, number):
    evidence = selectors.evidence_of(assignment, evidence_pk)
    if evidence is None or not 1 <= number <= evidence.page_count:
        raise Http404
    return evidence


def _render_page(request, assignment, evidence, number, *, link_form=None):
    view = selectors.evidence_page(assignment, evidence, number)
    can_work = permissions.can_work_on(request.user, assignment)
    if link_form is None:
        link_form = _link_form(
            view,
            [],
            [evidence],
            initial={
                "origin": "page",
                "kind": PassageKind.PAGE_TEXT if view.text.text else PassageKind.PAGE,
                "evidence": evidence.pk,
                "page": number,
            },
        )
    return render(
        request,
        "review/dossier_page.html",
        {
            "assignment": assignment,
            "candidacy": assignment.candidacy,
            "reader": view,
            "evidence": evidence,
            "can_work": can_work,
            "read_only_reason": "" if can_work else read_only_reason(assignment),
            "link_form": link_form,
            "checked_criteria": link_form.checked_criteria(),
            "open_blocs": link_form.open_blocs(),
        },
    )


@require_safe
@evaluator_page
def evidence_page(request, assignment, evidence_pk, number):
    evidence = _page_of(assignment, evidence_pk, number)
    # « Aller à la page » is a plain GET form: it lands here with ?page=N.
    wanted = request.GET.get("page", "")
    if wanted:
        target = int(wanted) if wanted.isdigit() else 0
        if 1 <= target <= evidence.page_count:
            return redirect("review:evidence_page", assignment.pk, evidence.pk, target)
        messages.error(
            request,
            _("Choisissez une page entre 1 et %(n)d.") % {"n": evidence.page_count},
        )
    return _render_page(request, assignment, evidence, number)


@require_POST
@evaluator_page
def link_add(request, assignment):
    if not permissions.can_work_on(request.user, assignment):
        return _refuse_write(request, assignment)
    from_page = request.POST.get("link-origin") == "page"
    evidence = None
    if from_page:
        # The page the form came from is shown again with the errors; if it cannot be
        # found, the dossier page is.
        try:
            evidence = selectors.evidence_of(assignment, int(request.POST.get("link-evidence")))
            number = int(request.POST.get("link-page"))
        except (TypeError, ValueError):
            evidence = None
        if evidence is None or not 1 <= number <= evidence.page_count:
            evidence, from_page = None, False
    dossier = dossier_for(assignment.candidacy)
    narratives = selectors.narratives_of(dossier)
    current = selectors.current_evidence(dossier)
    criteria = selectors.structure(assignment.candidacy)[1]
    form = CriterionLinkForm(
        request.POST,
        narratives=narratives,
        evidence=current,
        criteria=criteria,
        origin="page" if from_page else "dossier",
    )
    if form.is_valid():
        try:
            link = services.add_criterion_link(
                assignment=assignment, by=request.user, **form.service_kwargs()
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            count = len(form.cleaned_data["criteria"])
            messages.success(
                request,
                ngettext("Passage relié à %(n)d critère.", "Passage relié à %(n)d critères.", count)
                % {"n": count},
            )
            # Back where the evaluator was reading, the new highlight in view.
            if link.kind == PassageKind.NARRATIVE:
                url = reverse("review:dossier", args=[assignment.pk])
                anchor = f"recit-{link.narrative_id}"
            elif from_page:
                url = reverse(
                    "review:evidence_page", args=[assignment.pk, link.evidence_id, link.page]
                )
                anchor = "texte-page"
            else:
                url = reverse("review:dossier", args=[assignment.pk])
                anchor = f"passage-{assignment.criterion_links.count()}"
            return redirect(f"{url}#{anchor}")
    if from_page:
        return _render_page(request, assignment, evidence, number, link_form=form)
    return _render_dossier(request, assignment, link_form=form)


@require_POST
@evaluator_page
def link_delete(request, assignment, link_pk):
    link = get_object_or_404(CriterionLink, pk=link_pk, assignment=assignment)
    if not permissions.can_work_on(request.user, assignment):
        return _refuse_write(request, assignment)
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


@require_POST
@evaluator_page
def candidate_link_verdict(request, assignment, link_pk):
    link = get_object_or_404(
        CompetenceLink.objects.select_related("dossier"),
        pk=link_pk,
        dossier__candidacy_id=assignment.candidacy_id,
    )
    if not permissions.can_work_on(request.user, assignment):
        return _refuse_write(request, assignment)
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
