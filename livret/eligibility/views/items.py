"""The pages of one experience or one training of livret 1: add, edit, delete.

Both lists work the same way; ``ITEM_KINDS`` says what differs (form, services, messages).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from livret.eligibility import forms, services
from livret.eligibility.access import livret1_editor, page_context, saved
from livret.eligibility.models import Experience, Training
from vae.workflow import WorkflowError


@dataclass(frozen=True)
class ItemKind:
    form: type
    model: type
    list_slug: str  # the section page that lists the items
    add: Callable  # (*, eligibility_request, by, data) -> services.Saved
    update: Callable  # (item, by, data) -> services.Saved
    delete: Callable  # (item, by) -> services.Saved
    added: str
    updated: str
    deleted: str


ITEM_KINDS = {
    "experience": ItemKind(
        form=forms.ExperienceForm,
        model=Experience,
        list_slug="experiences",
        add=services.add_experience,
        update=lambda item, by, data: services.update_experience(experience=item, by=by, data=data),
        delete=lambda item, by: services.delete_experience(experience=item, by=by),
        added=gettext_lazy("Expérience ajoutée."),
        updated=gettext_lazy("Expérience modifiée."),
        deleted=gettext_lazy("Expérience supprimée."),
    ),
    "training": ItemKind(
        form=forms.TrainingForm,
        model=Training,
        list_slug="formations",
        add=services.add_training,
        update=lambda item, by, data: services.update_training(training=item, by=by, data=data),
        delete=lambda item, by: services.delete_training(training=item, by=by),
        added=gettext_lazy("Formation ajoutée."),
        updated=gettext_lazy("Formation modifiée."),
        deleted=gettext_lazy("Formation supprimée."),
    ),
}


def _to_list(candidacy, spec):
    return redirect("livret:section", candidacy_pk=candidacy.pk, slug=spec.list_slug)


def _item_page(request, candidacy, eligibility_request, *, form, kind, item=None):
    return render(
        request,
        "livret/item_form.html",
        page_context(candidacy, eligibility_request, form=form, kind=kind, item=item),
    )


def _error_text(error):
    # A WorkflowError carries one French message; a model's ValidationError its list.
    return getattr(error, "message", None) or error.messages


def _add(request, candidacy, eligibility_request, kind):
    spec = ITEM_KINDS[kind]
    form = spec.form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = spec.add(
                eligibility_request=eligibility_request, by=request.user, data=form.cleaned_data
            )
        except (WorkflowError, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            saved(request, outcome, spec.added)
            return _to_list(candidacy, spec)
    return _item_page(request, candidacy, eligibility_request, form=form, kind=kind)


def _item(eligibility_request, kind, pk):
    # Another livret's item is as unknown as one that does not exist.
    model = ITEM_KINDS[kind].model
    return get_object_or_404(model.objects.filter(request=eligibility_request), pk=pk)


def _edit(request, candidacy, eligibility_request, kind, pk):
    spec = ITEM_KINDS[kind]
    item = _item(eligibility_request, kind, pk)
    form = spec.form(request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            # The service reads the stored row again (the form has already copied the new
            # values onto ``item`` in memory) to tell whether anything changed.
            outcome = spec.update(item, request.user, form.cleaned_data)
        except (WorkflowError, ValidationError) as error:
            form.add_error(None, _error_text(error))
        else:
            if outcome.changed:
                saved(request, outcome, spec.updated)
            else:
                messages.info(request, _("Aucune modification à enregistrer."))
            return _to_list(candidacy, spec)
    return _item_page(request, candidacy, eligibility_request, form=form, kind=kind, item=item)


def _delete(request, candidacy, eligibility_request, kind, pk):
    spec = ITEM_KINDS[kind]
    item = _item(eligibility_request, kind, pk)
    if request.method == "POST":
        try:
            outcome = spec.delete(item, request.user)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            saved(request, outcome, spec.deleted)
        return _to_list(candidacy, spec)
    return render(
        request,
        "livret/item_confirm_delete.html",
        page_context(candidacy, eligibility_request, kind=kind, item=item),
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
