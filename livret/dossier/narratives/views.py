"""The candidate's narrative pages: the list, the editor (with its autosave endpoint), the
history of versions and the restore action.

Thin: access through ``livret.dossier.access``, who may edit through
``livret.permissions``, reads through ``selectors``, writes through ``services``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from livret.dossier.access import dossier_context, dossier_page, not_editable_message
from livret.dossier.models import NarrativeRevision
from livret.dossier.narratives.forms import COUNT_ID, NarrativeForm
from livret.dossier.narratives.selectors import (
    Status,
    find_activity,
    history,
    narrative_rows,
    targeted_activity,
)
from livret.dossier.narratives.services import (
    NarrativeConflict,
    restore_revision,
    save_narrative,
)
from livret.dossier.narratives.text import (
    NARRATIVE_MAX_CHARS,
    difference,
    format_count,
    time_label,
)
from livret.permissions import can_edit_dossier
from referentiel import french as fr
from vae.autosave import (
    UNREADABLE,
    ConflictPanel,
    PanelField,
    conflict_json,
    form_errors_json,
    json_error,
    read_json,
    saved_json,
)
from vae.workflow import TransitionForbidden

UNSIGNED_MESSAGE = gettext_lazy(
    "Votre déclaration sur l'honneur devra être signée de nouveau : elle ne couvre plus "
    "votre dossier depuis cette modification."
)


def _place_or_404(candidacy, dossier, activity_pk):
    place = find_activity(candidacy, dossier, activity_pk)
    if place is None:
        raise Http404
    return place


def _activity_or_404(candidacy, activity_pk):
    activity = targeted_activity(candidacy, activity_pk)
    if activity is None:
        raise Http404
    return activity


def _url(name, candidacy, activity):
    return reverse(name, kwargs={"candidacy_pk": candidacy.pk, "activity_pk": activity.pk})


def _save(request, dossier, activity, form):
    """Save the valid ``form``'s text (``services.save_narrative`` raises what it refuses)."""
    return save_narrative(
        (dossier, activity),
        request.user,
        form.cleaned_data["text"],
        form.cleaned_data["base_version"],
        resolving=form.resolving,
    )


@dossier_page
@require_GET
def narratives(request, candidacy, dossier):
    blocs = narrative_rows(candidacy, dossier)
    rows = [row for bloc in blocs for row in bloc.rows]
    context = dossier_context(
        candidacy,
        dossier,
        "narratives",
        blocs=blocs,
        sufficient=sum(row.status == Status.SUFFICIENT for row in rows),
        total=len(rows),
        minimum=format_count(settings.VAE_NARRATIVE_MIN_CHARS),
    )
    return render(request, "livret/dossier/narratives.html", context)


def _conflict_panel(conflict, narrative_url) -> ConflictPanel:
    """The conflict panel of the editor (hidden until a conflict, by the server or the
    script); with ``conflict``, both texts and where they part ways."""
    label = _("Votre récit")
    if conflict is None:
        fields = (PanelField("text", "text", label),)
    else:
        diff = difference(conflict.mine, conflict.theirs_text)
        fields = (PanelField.compared("text", "text", label, conflict.mine, diff),)
    return ConflictPanel(
        id="narrative-conflict",
        title=_("Ce récit a été modifié ailleurs"),
        intro=_(
            "Pendant que vous écriviez, une autre version de ce récit a été enregistrée "
            "depuis un autre onglet ou un autre appareil. Rien n'est perdu : votre version "
            "est gardée dans l'historique. Choisissez ce que vous gardez ; le passage où les "
            "deux versions diffèrent est surligné."
        ),
        theirs_title=_("Version enregistrée depuis un autre onglet ou appareil"),
        action=narrative_url,
        keep_theirs_url=narrative_url,
        version_name="base_version",
        merge_hint=_(
            "L'éditeur ci-dessous contient votre version : reprenez-y ce que vous voulez "
            "garder de l'autre version, puis cliquez sur « Enregistrer »."
        ),
        merge_js_hint=_(
            "Les deux versions seront placées l'une après l'autre dans l'éditeur : gardez ce "
            "que vous voulez de chacune, l'enregistrement reprendra automatiquement."
        ),
        fields=fields,
        hidden=(("resolution", "mine"),),
        theirs_version=conflict.theirs_version if conflict else None,
        saved_label=(
            time_label(conflict.theirs_saved_at) if conflict and conflict.theirs_saved_at else ""
        ),
    )


def _editor(request, candidacy, dossier, place, form, *, conflict=None, status=200):
    narrative, activity = place.narrative, place.activity
    # The count under the editor is of the text in it (after an error or a conflict, the
    # candidate's, not the stored one).
    length = len(str(form["text"].value() or "").strip())
    context = dossier_context(
        candidacy,
        dossier,
        "narratives",
        place=place,
        activity=activity,
        narrative=narrative,
        form=form if can_edit_dossier(request.user, candidacy) else None,
        conflict=conflict,
        conflict_panel=_conflict_panel(conflict, _url("livret:narrative", candidacy, activity)),
        narrative_url=_url("livret:narrative", candidacy, activity),
        autosave_url=_url("livret:narrative_autosave", candidacy, activity),
        history_url=_url("livret:narrative_history", candidacy, activity),
        count_id=COUNT_ID,
        length=length,
        length_label=format_count(length),
        minimum=settings.VAE_NARRATIVE_MIN_CHARS,
        max_chars=NARRATIVE_MAX_CHARS,
        max_chars_label=format_count(NARRATIVE_MAX_CHARS),
        saved_label=(
            time_label(narrative.updated_at) if narrative and narrative.updated_at else ""
        ),
    )
    return render(request, "livret/dossier/narrative.html", context, status=status)


@never_cache
@dossier_page
@require_http_methods(["GET", "POST"])
def narrative(request, candidacy, dossier, activity_pk):
    place = _place_or_404(candidacy, dossier, activity_pk)
    if request.method != "POST":
        initial = {"text": place.row.text, "base_version": place.row.version}
        form = NarrativeForm(activity=place.activity, initial=initial)
        return _editor(request, candidacy, dossier, place, form)
    if not can_edit_dossier(request.user, candidacy):
        raise PermissionDenied(not_editable_message(candidacy))
    form = NarrativeForm(request.POST, activity=place.activity)
    if form.is_valid():
        try:
            saved = _save(request, dossier, place.activity, form)
        except NarrativeConflict as conflict:
            # The editor keeps the candidate's text, now based on the current version:
            # saving it again (as is or merged) is a deliberate choice.
            form = NarrativeForm(
                activity=place.activity,
                initial={
                    "text": conflict.mine,
                    "base_version": conflict.theirs_version,
                    "resolution": "merge",
                },
            )
            return _editor(request, candidacy, dossier, place, form, conflict=conflict, status=409)
        except TransitionForbidden as error:
            raise PermissionDenied(error.message) from error
        except ValidationError as error:
            form.add_error("text", error)
        else:
            messages.success(request, _("Récit enregistré."))
            if saved.unsigned:
                messages.warning(request, UNSIGNED_MESSAGE)
            return redirect(_url("livret:narrative", candidacy, place.activity))
    return _editor(request, candidacy, dossier, place, form)


# -- autosave --------------------------------------------------------------------------------


def _conflict_json(conflict):
    return conflict_json(
        conflict.message,
        mine={"text": conflict.mine, "base_version": conflict.base_version},
        theirs={"text": conflict.theirs_text},
        version=conflict.theirs_version,
        saved_at=conflict.theirs_saved_at,
    )


def _saved_json(saved):
    narrative = saved.narrative
    return saved_json(
        version=narrative.version,
        saved_at=narrative.updated_at,
        changed=saved.changed,
        unsigned=saved.unsigned,
        length=len(narrative.text.strip()),
    )


@never_cache
@dossier_page
@require_POST
def narrative_autosave(request, candidacy, dossier, activity_pk):
    """Save from the editor's script; answers JSON.

    200 ``{status: "saved", version, saved_at, saved_label, unsigned, changed, length}``,
    409 ``{status: "conflict", message, mine: {text, base_version},
    theirs: {text, version, saved_at, saved_label}}``, 400 ``{status: "invalid", message,
    errors}``, 403 ``{status: "forbidden", message}``.
    """
    activity = _activity_or_404(candidacy, activity_pk)
    if not can_edit_dossier(request.user, candidacy):
        return json_error(403, "forbidden", not_editable_message(candidacy))
    data = read_json(request, ("text", "base_version", "resolution"), texts=("text",))
    if data is None:
        return json_error(400, "invalid", UNREADABLE)
    form = NarrativeForm(data, activity=activity)
    if not form.is_valid():
        return form_errors_json(form)
    try:
        return _saved_json(_save(request, dossier, activity, form))
    except NarrativeConflict as conflict:
        return _conflict_json(conflict)
    except TransitionForbidden as error:
        return json_error(403, "forbidden", error.message)
    except ValidationError as error:
        return json_error(400, "invalid", error.messages[0], errors={"text": error.messages})


# -- history and restore -----------------------------------------------------------------


@dossier_page
@require_GET
def narrative_history(request, candidacy, dossier, activity_pk):
    place = _place_or_404(candidacy, dossier, activity_pk)
    context = dossier_context(
        candidacy,
        dossier,
        "narratives",
        place=place,
        activity=place.activity,
        narrative=place.narrative,
        revisions=history(place.narrative),
        narrative_url=_url("livret:narrative", candidacy, place.activity),
    )
    return render(request, "livret/dossier/narrative_history.html", context)


def _date_label(moment) -> str:
    moment = timezone.localtime(moment)
    return _("%(date)s à %(time)s") % {
        "date": fr.date(moment),
        "time": time_label(moment),
    }


@dossier_page(editable=True)
@require_POST
def narrative_restore(request, candidacy, dossier, activity_pk, revision_pk):
    activity = _activity_or_404(candidacy, activity_pk)
    revision = get_object_or_404(
        NarrativeRevision.objects.select_related("narrative"),
        pk=revision_pk,
        narrative__dossier=dossier,
        narrative__activity=activity,
    )
    try:
        restored = restore_revision(revision, request.user)
    except TransitionForbidden as error:
        raise PermissionDenied(error.message) from error
    if restored.changed:
        messages.success(
            request,
            _(
                "La version du %(date)s a été restaurée. Le texte qu'elle remplace est gardé "
                "dans l'historique."
            )
            % {"date": _date_label(revision.created_at)},
        )
    else:
        messages.info(request, _("Cette version est déjà le texte actuel de votre récit."))
    if restored.unsigned:
        messages.warning(request, UNSIGNED_MESSAGE)
    return redirect(_url("livret:narrative", candidacy, activity))
