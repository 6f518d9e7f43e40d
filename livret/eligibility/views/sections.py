"""The section pages of livret 1: one form per section, and the two lists (experiences,
trainings) whose items have their own pages (``items``)."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from livret.eligibility import forms, selectors, services
from livret.eligibility.access import UNSIGNED_MESSAGE, livret1_editor, page_context, saved
from referentiel.french import plural
from vae.workflow import WorkflowError


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
        saved(request, outcome)
        return _after_save(request, candidacy, slug)
    if outcome is not None and outcome.unsigned:
        messages.warning(request, UNSIGNED_MESSAGE)
    context = page_context(
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
    return (
        f"Section enregistrée en partie : {plural(count, 'champ est', 'champs sont')} à corriger."
    )


def _after_save(request, candidacy, slug):
    """To the next section when asked (« Enregistrer et continuer »), else to the summary."""
    following = selectors.next_section(slug)
    if "next" in request.POST and following:
        return redirect("livret:section", candidacy_pk=candidacy.pk, slug=following)
    return redirect("livret:livret1", candidacy_pk=candidacy.pk)


# -- the lists -----------------------------------------------------------------------------


def _experience_list(request, candidacy, eligibility_request):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "livret/section_experiences.html",
        page_context(
            candidacy,
            eligibility_request,
            slug="experiences",
            section_label=selectors.section_label("experiences"),
            experiences=eligibility_request.experiences.all(),
            next_slug=selectors.next_section("experiences"),
        ),
    )


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
            saved(request, outcome)
            return _after_save(request, candidacy, "formations")
    return render(
        request,
        "livret/section_formations.html",
        page_context(
            candidacy,
            eligibility_request,
            form=form,
            slug="formations",
            section_label=selectors.section_label("formations"),
            trainings=trainings,
            next_slug=selectors.next_section("formations"),
        ),
    )
