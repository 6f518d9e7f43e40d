"""The candidate's livret 1 pages: summary, one page per section, experiences and trainings.

Thin: who may do what is asked of ``livret.permissions``, reads go through
``livret.selectors`` and every write through ``livret.services`` (or ``vae.services`` for
the submission).
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from livret import forms, selectors, services
from livret.completeness import section_statuses
from livret.eligibility import precheck
from livret.permissions import can_edit_livret1, can_open_livret1
from vae import notifications
from vae import services as candidacy_services
from vae.enums import CandidacyState, Transition
from vae.models import Candidacy
from vae.permissions import acting_role
from vae.workflow import WorkflowError

UNSIGNED_MESSAGE = gettext_lazy(
    "Comme vous avez modifié votre livret, votre déclaration sur l'honneur a été annulée : "
    "vous devrez la signer de nouveau avant d'envoyer votre demande."
)


def _load(request, candidacy_pk):
    """The candidacy and its livret 1, or 404 for anyone but the candidate."""
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("candidate", "certification"), pk=candidacy_pk
    )
    if not can_open_livret1(request.user, candidacy):
        raise Http404
    eligibility_request = selectors.eligibility_request_for(candidacy)
    if eligibility_request is None:
        if not can_edit_livret1(request.user, candidacy):
            raise Http404
        services.ensure_eligibility_request(candidacy=candidacy, by=request.user)
        eligibility_request = selectors.eligibility_request_for(candidacy)
    return candidacy, eligibility_request


def _not_editable_message(candidacy) -> str:
    return _(
        "Votre livret 1 ne peut plus être modifié : votre candidature est à l'état "
        "« %(state)s ». Il est affiché ci-dessous en lecture seule."
    ) % {"state": CandidacyState(candidacy.state).label}


def livret1_editor(view):
    """Open the view to the candidate only while livret 1 is editable.

    Anyone else gets a 404 (the candidacy's existence is not revealed). The candidate of a
    livret no longer editable is sent back to the read-only summary on GET, and refused
    (403) on POST: nothing is written.
    """

    @login_required
    @wraps(view)
    def wrapper(request, candidacy_pk, *args, **kwargs):
        candidacy, eligibility_request = _load(request, candidacy_pk)
        if not can_edit_livret1(request.user, candidacy):
            if request.method != "GET":
                raise PermissionDenied(_not_editable_message(candidacy))
            messages.warning(request, _not_editable_message(candidacy))
            return redirect("livret:livret1", candidacy_pk=candidacy.pk)
        return view(request, candidacy, eligibility_request, *args, **kwargs)

    return wrapper


def _saved(request, outcome, text=None):
    messages.success(request, text or _("Section enregistrée."))
    if outcome.unsigned:
        messages.warning(request, UNSIGNED_MESSAGE)


def _page_context(candidacy, eligibility_request, **extra):
    return {"candidacy": candidacy, "eligibility_request": eligibility_request, **extra}


# -- summary and submission ----------------------------------------------------------------


def _summary(request, candidacy, eligibility_request, *, submit_error=None, status=200):
    editable = can_edit_livret1(request.user, candidacy)
    statuses = section_statuses(eligibility_request)
    # A livret sent back for correction: the certifier's comment says what to change.
    last = candidacy.transitions.order_by("-created_at", "-pk").first() if editable else None
    context = _page_context(
        candidacy,
        eligibility_request,
        editable=editable,
        returned=last if last and last.transition == Transition.RETURN_ELIGIBILITY else None,
        statuses=statuses,
        complete=all(status.complete for status in statuses),
        precheck=precheck(eligibility_request) if editable else None,
        submit_error=submit_error,
        submit_problems=(
            selectors.problems_by_section(eligibility_request, submit_error.problems)
            if submit_error
            else []
        ),
    )
    return render(request, "livret/livret1.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def livret1(request, candidacy_pk):
    candidacy, eligibility_request = _load(request, candidacy_pk)
    return _summary(request, candidacy, eligibility_request)


# The confirmation button posts this; a POST without it only shows the confirmation.
CONFIRMATION = "oui"


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, candidacy_pk):
    """Sending livret 1: first a page that says what sending does, then « Confirmer ».

    A livret that cannot be sent (incomplete, or no longer a draft) gets the summary with
    what is missing and the state machine's words instead; nothing is written before the
    confirmation.
    """
    candidacy, eligibility_request = _load(request, candidacy_pk)
    name, user = Transition.SUBMIT_ELIGIBILITY, request.user
    refusal = candidacy_services.transition_refusal(candidacy=candidacy, name=name, by=user)
    if refusal is not None:
        return _summary(request, candidacy, eligibility_request, submit_error=refusal)
    if request.POST.get("confirmation") != CONFIRMATION:
        role = acting_role(user, candidacy, name)
        context = _page_context(
            candidacy,
            eligibility_request,
            notices=notifications.notices(name, actor_role=role),
            confirmation=CONFIRMATION,
        )
        return render(request, "livret/livret1_submit.html", context)
    try:
        candidacy_services.submit_eligibility(candidacy=candidacy, by=user)
    except WorkflowError as error:
        candidacy.refresh_from_db()
        return _summary(request, candidacy, eligibility_request, submit_error=error)
    messages.success(
        request,
        _(
            "Votre demande de recevabilité a été envoyée. Le certificateur va l'examiner ; "
            "vous serez prévenu(e) par e-mail de sa décision."
        ),
    )
    return redirect("livret:livret1", candidacy_pk=candidacy.pk)


# -- sections saved through one form -------------------------------------------------------


@dataclass(frozen=True)
class FormSection:
    """How one section builds its form and hands its cleaned data to its service.

    ``partial``: the valid answers are saved even when others are refused (the form's
    ``partial_data()``); the other sections (blocs, the sworn statement) are one answer.
    """

    template: str
    build: object  # (eligibility_request, candidacy, data) -> form
    save: object  # (eligibility_request, user, cleaned_data) -> services.Saved
    intro: str = ""
    partial: bool = False


def _build_blocs(er, candidacy, data):
    return forms.BlocsForm(
        data,
        candidacy=candidacy,
        acquired=selectors.acquired_blocs(candidacy),
        initial={"blocs": [bloc.pk for bloc in er.candidacy.targeted_blocs.all()]},
    )


FORM_SECTIONS = {
    "identite": FormSection(
        "livret/section_form.html",
        lambda er, c, data: forms.IdentityForm(data, instance=er),
        lambda er, user, cd: services.save_identity(eligibility_request=er, by=user, data=cd),
        gettext_lazy(
            "Votre état civil et vos coordonnées, tels qu'ils figurent sur votre pièce d'identité."
        ),
        partial=True,
    ),
    "situation": FormSection(
        "livret/section_form.html",
        lambda er, c, data: forms.SituationForm(data, instance=er),
        lambda er, user, cd: services.save_situation(eligibility_request=er, by=user, data=cd),
        gettext_lazy("Votre situation professionnelle au moment de la demande."),
        partial=True,
    ),
    "blocs": FormSection(
        "livret/section_form.html",
        _build_blocs,
        lambda er, user, cd: services.save_blocs(
            eligibility_request=er, by=user, blocs=cd["blocs"]
        ),
        gettext_lazy(
            "Vous pouvez viser tous les blocs de la certification ou seulement certains "
            "d'entre eux. Le CQP est obtenu lorsque tous les blocs sont validés."
        ),
    ),
    "amenagements": FormSection(
        "livret/section_form.html",
        lambda er, c, data: forms.AccommodationForm(data, instance=er),
        lambda er, user, cd: services.save_accommodations(eligibility_request=er, by=user, data=cd),
        gettext_lazy(
            "Si vous êtes en situation de handicap, vous pouvez demander des aménagements "
            "des épreuves. Ces informations ne sont lues que par le certificateur."
        ),
        partial=True,
    ),
    "declaration": FormSection(
        "livret/section_declaration.html",
        lambda er, c, data: forms.DeclarationForm(data, instance=er),
        lambda er, user, cd: services.sign_declaration(
            eligibility_request=er, by=user, name=cd["sworn_name"], place=cd["sworn_place"]
        ),
    ),
}


@livret1_editor
@require_http_methods(["GET", "POST"])
def section(request, candidacy, eligibility_request, slug):
    if slug == "experiences":
        return _experience_list(request, candidacy, eligibility_request)
    if slug == "formations":
        return _training_list(request, candidacy, eligibility_request)
    spec = FORM_SECTIONS.get(slug)
    if spec is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = spec.build(eligibility_request, candidacy, data)
    posted = request.method == "POST"
    outcome = _save_section(request, spec, form, eligibility_request) if posted else None
    if outcome is not None and not form.errors:
        if slug == "declaration":
            messages.success(request, _("Déclaration sur l'honneur signée."))
            return redirect("livret:livret1", candidacy_pk=candidacy.pk)
        _saved(request, outcome)
        return _after_save(request, candidacy, slug)
    if outcome is not None and outcome.unsigned:
        messages.warning(request, UNSIGNED_MESSAGE)
    context = _page_context(
        candidacy,
        eligibility_request,
        form=form,
        slug=slug,
        section_label=selectors.section_label(slug),
        intro=spec.intro,
        next_slug=selectors.next_section(slug),
        partly_saved=_partly_saved_text(form) if outcome is not None else "",
    )
    if slug == "declaration":
        context["missing_sections"] = services.incomplete_sections_before_signing(
            eligibility_request
        )
    return render(request, spec.template, context)


def _save_section(request, spec, form, eligibility_request):
    """Save the posted section: whole when valid, else (``spec.partial``) every valid
    answer. The outcome, or None when nothing was saved (the reason is on the form)."""
    valid = form.is_valid()
    if not (valid or spec.partial):
        return None
    try:
        return spec.save(
            eligibility_request,
            request.user,
            form.cleaned_data if valid else form.partial_data(),
        )
    except WorkflowError as error:
        form.add_error(None, error.message)
        return None


def _partly_saved_text(form) -> str:
    count = form.refused_count
    return ngettext(
        "Section enregistrée en partie : %(n)d champ est à corriger.",
        "Section enregistrée en partie : %(n)d champs sont à corriger.",
        count,
    ) % {"n": count}


def _after_save(request, candidacy, slug):
    """To the next section when asked (« Enregistrer et continuer »), else to the summary."""
    following = selectors.next_section(slug)
    if "next" in request.POST and following:
        return redirect("livret:section", candidacy_pk=candidacy.pk, slug=following)
    return redirect("livret:livret1", candidacy_pk=candidacy.pk)


# -- experiences ---------------------------------------------------------------------------


def _experience_list(request, candidacy, eligibility_request):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "livret/section_experiences.html",
        _page_context(
            candidacy,
            eligibility_request,
            slug="experiences",
            section_label=selectors.section_label("experiences"),
            experiences=eligibility_request.experiences.all(),
            next_slug=selectors.next_section("experiences"),
        ),
    )


def _item_page(request, candidacy, eligibility_request, *, form, kind, item=None):
    return render(
        request,
        "livret/item_form.html",
        _page_context(candidacy, eligibility_request, form=form, kind=kind, item=item),
    )


ITEM_KINDS = {
    "experience": {
        "form": forms.ExperienceForm,
        "list_slug": "experiences",
        "add": services.add_experience,
        "update": lambda item, by, data: services.update_experience(
            experience=item, by=by, data=data
        ),
        "delete": lambda item, by: services.delete_experience(experience=item, by=by),
        "related": "experiences",
        "added": gettext_lazy("Expérience ajoutée."),
        "updated": gettext_lazy("Expérience modifiée."),
        "deleted": gettext_lazy("Expérience supprimée."),
    },
    "training": {
        "form": forms.TrainingForm,
        "list_slug": "formations",
        "add": services.add_training,
        "update": lambda item, by, data: services.update_training(training=item, by=by, data=data),
        "delete": lambda item, by: services.delete_training(training=item, by=by),
        "related": "trainings",
        "added": gettext_lazy("Formation ajoutée."),
        "updated": gettext_lazy("Formation modifiée."),
        "deleted": gettext_lazy("Formation supprimée."),
    },
}


def _to_list(candidacy, spec):
    return redirect("livret:section", candidacy_pk=candidacy.pk, slug=spec["list_slug"])


def _add(request, candidacy, eligibility_request, kind):
    spec = ITEM_KINDS[kind]
    form = spec["form"](request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = spec["add"](
                eligibility_request=eligibility_request, by=request.user, data=form.cleaned_data
            )
        except (WorkflowError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or error.messages)
        else:
            _saved(request, outcome, spec["added"])
            return _to_list(candidacy, spec)
    return _item_page(request, candidacy, eligibility_request, form=form, kind=kind)


def _item(eligibility_request, kind, pk):
    related = getattr(eligibility_request, ITEM_KINDS[kind]["related"])
    return get_object_or_404(related.model.objects.filter(request=eligibility_request), pk=pk)


def _edit(request, candidacy, eligibility_request, kind, pk):
    spec = ITEM_KINDS[kind]
    item = _item(eligibility_request, kind, pk)
    form = spec["form"](request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            # The service reads the stored row again (the form has already copied the new
            # values onto ``item`` in memory) to tell whether anything changed.
            outcome = spec["update"](item, request.user, form.cleaned_data)
        except (WorkflowError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or error.messages)
        else:
            if outcome.changed:
                _saved(request, outcome, spec["updated"])
            else:
                messages.info(request, _("Aucune modification à enregistrer."))
            return _to_list(candidacy, spec)
    return _item_page(request, candidacy, eligibility_request, form=form, kind=kind, item=item)


def _delete(request, candidacy, eligibility_request, kind, pk):
    spec = ITEM_KINDS[kind]
    item = _item(eligibility_request, kind, pk)
    if request.method == "POST":
        try:
            outcome = spec["delete"](item, request.user)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            _saved(request, outcome, spec["deleted"])
        return _to_list(candidacy, spec)
    return render(
        request,
        "livret/item_confirm_delete.html",
        _page_context(candidacy, eligibility_request, kind=kind, item=item),
    )


@livret1_editor
@require_http_methods(["GET", "POST"])
def experience_add(request, candidacy, eligibility_request):
    return _add(request, candidacy, eligibility_request, "experience")


@livret1_editor
@require_http_methods(["GET", "POST"])
def experience_edit(request, candidacy, eligibility_request, pk):
    return _edit(request, candidacy, eligibility_request, "experience", pk)


@livret1_editor
@require_http_methods(["GET", "POST"])
def experience_delete(request, candidacy, eligibility_request, pk):
    return _delete(request, candidacy, eligibility_request, "experience", pk)


# -- trainings -----------------------------------------------------------------------------


def _training_list(request, candidacy, eligibility_request):
    trainings = eligibility_request.trainings.all()
    form = forms.NoTrainingForm(
        request.POST if request.method == "POST" else None,
        has_trainings=bool(trainings),
        initial={"no_training": eligibility_request.no_training},
        prefix="aucune",
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.set_no_training(
                eligibility_request=eligibility_request,
                by=request.user,
                no_training=form.cleaned_data["no_training"],
            )
        except WorkflowError as error:
            form.add_error("no_training", error.message)
        else:
            _saved(request, outcome)
            return _after_save(request, candidacy, "formations")
    return render(
        request,
        "livret/section_formations.html",
        _page_context(
            candidacy,
            eligibility_request,
            form=form,
            slug="formations",
            section_label=selectors.section_label("formations"),
            trainings=trainings,
            next_slug=selectors.next_section("formations"),
        ),
    )


@livret1_editor
@require_http_methods(["GET", "POST"])
def training_add(request, candidacy, eligibility_request):
    return _add(request, candidacy, eligibility_request, "training")


@livret1_editor
@require_http_methods(["GET", "POST"])
def training_edit(request, candidacy, eligibility_request, pk):
    return _edit(request, candidacy, eligibility_request, "training", pk)


@livret1_editor
@require_http_methods(["GET", "POST"])
def training_delete(request, candidacy, eligibility_request, pk):
    return _delete(request, candidacy, eligibility_request, "training", pk)
