"""The jury members' pages: their sessions, a session's agenda, the declaration per
candidate. Who may see what is ``jury.permissions``' call; writes are ``jury.services``'."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jury import convocation_document, interview, minutes, permissions, selectors, services
from jury.calendar import invitation_bytes
from jury.forms import (
    AbsenceForm,
    AttendanceForm,
    BlocNoteForm,
    DeclarationForm,
    InterviewForm,
    RevisionForm,
    stale_form_again,
)
from jury.models import Convocation, JurySession, Slot
from livret.dossier.narratives.text import difference
from referentiel import french as fr
from referentiel.ids import parse_id
from referentiel.models import Competence
from review.selectors.evidence_page import current_piece, read_page
from review.views.dossier import open_page
from vae import text_marks
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
from vae.documents.presentation import document_state
from vae.emails import contact_address
from vae.enums import DocumentStatus
from vae.navigation import spaces
from vae.permissions import is_owner
from vae.security_headers import private_file
from vae.workflow import TransitionForbidden, WorkflowError

RECORD_CLOSED = "Le compte rendu de cet entretien est clos : il n'est plus modifiable."


def _member(request):
    if not permissions.is_jury_member(request.user):
        raise PermissionDenied("Cette page est réservée aux membres du jury.")
    return permissions.member_of(request.user)


def _slot_of_my_session(request, pk) -> Slot:
    """A slot of a session the member sits in; any other is not found (nothing disclosed)."""
    member = _member(request)
    slot = get_object_or_404(Slot.objects.select_related("session", "candidacy__candidate"), pk=pk)
    if member is None or not permissions.sits_in(request.user, slot.session):
        raise Http404
    return slot


@login_required
@require_safe
def home(request):
    member = _member(request)
    sessions = list(selectors.sessions_of(request.user)) if member else []
    today = timezone.localdate()
    return render(
        request,
        "jury/home.html",
        {
            "member": member,
            "upcoming": [s for s in sessions if s.date >= today],
            "past": [s for s in reversed(sessions) if s.date < today],
            "other_spaces": [space for space in spaces(request.user) if space.key != "jury"],
            "contact_email": contact_address(),
        },
    )


@login_required
@require_safe
def session_agenda(request, pk):
    _member(request)
    session = get_object_or_404(
        permissions.SESSIONS.scope(JurySession.objects.all(), request.user).select_related(
            "president__user"
        ),
        pk=pk,
    )
    context = selectors.member_agenda(session, request.user)
    return render(request, "jury/session.html", context | {"minutes": minutes.minutes_of(session)})


@login_required
def declare(request, pk):
    slot = _slot_of_my_session(request, pk)
    if not permissions.can_declare(request.user, slot):
        messages.info(request, "Votre déclaration pour ce candidat est déjà enregistrée.")
        return redirect("jury:session", pk=slot.session_id)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        knows = form.cleaned_data["knows_candidate"]
        try:
            services.declare(
                slot=slot,
                by=request.user,
                no_conflict=not knows,
                details=form.cleaned_data["details"],
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Merci : le certificateur est prévenu et vous remplacera pour ce candidat."
                if knows
                else "Merci : votre déclaration est enregistrée.",
            )
            return redirect("jury:session", pk=slot.session_id)
    return render(request, "jury/declare.html", {"slot": slot, "form": form})


@login_required
def slot_outcome(request, pk):
    """On the session's day, a member records the interview or the candidate's absence."""
    slot = _slot_of_my_session(request, pk)
    absence = AbsenceForm(request.POST if "absence" in request.POST else None, prefix="absence")
    interview = InterviewForm(request.POST if "interview" in request.POST else None)
    error = None
    if request.method == "POST":
        # Each form names its button: the one posted is the one acted on.
        record, form = (
            (services.record_absence, absence)
            if "absence" in request.POST
            else (services.record_interview, interview)
        )
        if form.is_valid():
            try:
                record(candidacy=slot.candidacy, by=request.user, **form.cleaned_data)
            except WorkflowError as refused:
                error = refused
            else:
                messages.success(request, "C'est enregistré : le certificateur en est informé.")
                return redirect("jury:session", pk=slot.session_id)
    context = {"slot": slot, "absence": absence, "interview": interview, "error": error}
    return render(request, "jury/outcome.html", context)


# -- the candidate's file and the interview record ------------------------------------


def _readable_slot(request, pk) -> Slot:
    """A slot whose candidate's file the member may read; any other is not found."""
    slot = _slot_of_my_session(request, pk)
    if not permissions.can_read_file(request.user, slot):
        raise Http404
    return slot


def _file_page(request, slot, *, posted=None, error=None, status=200):
    """The file with one form per part of the record; ``posted`` is the refused form,
    shown again in its place with what was typed."""
    context = selectors.candidate_file(slot)
    record = context["record"]
    writable = permissions.can_write_interview(request.user, slot)
    posted_key, posted_form = posted or (None, None)

    def form_for(key, form_class, initial):
        if key == posted_key:
            return posted_form
        return form_class(initial=initial, prefix=key) if writable else None

    context["attendance_form"] = form_for(
        "presence",
        AttendanceForm,
        {
            "attendance": record.attendance if record else "",
            "started_at": record.started_at if record else None,
            "ended_at": record.ended_at if record else None,
            "base_version": record.version if record else 0,
        },
    )
    blocs = []
    for bloc in context["blocs"]:
        note = bloc.note
        initial = {name: getattr(note, name) for name in interview.BLOC_FIELDS} if note else {}
        initial["base_version"] = note.version if note else 0
        lines = [
            replace(line, form=form_for(f"revision-{line.row.competence.pk}", RevisionForm, {}))
            for line in bloc.competences
        ]
        key = f"bloc-{bloc.bloc.pk}"
        stale = error if isinstance(error, interview.StaleSave) and key == posted_key else None
        blocs.append(
            replace(
                bloc,
                competences=lines,
                form=form_for(key, BlocNoteForm, initial),
                panel=_bloc_panel(slot, bloc.bloc, stale) if writable else None,
            )
        )
    context.update(blocs=blocs, writable=writable, error=error)
    return render(request, "jury/candidate_file.html", context, status=status)


def _bloc_panel(slot, bloc, stale=None) -> ConflictPanel:
    """The conflict panel beside a bloc's notes (``templates/includes/autosave_conflict.html``):
    hidden for the script, or shown with both versions after a stale ordinary post."""
    part = f"bloc-{bloc.pk}"
    page = reverse("jury:candidate_file", args=[slot.pk])
    fields = []
    for name in interview.BLOC_FIELDS:
        label = BlocNoteForm.base_fields[name].label
        if stale is None:
            fields.append(PanelField(name, f"{part}-{name}", label))
        else:
            mine, theirs = stale.mine[name], getattr(stale.theirs, name)
            diff = difference(mine, theirs)
            fields.append(PanelField.compared(name, f"{part}-{name}", label, mine, diff))
    return ConflictPanel(
        id=f"{part}-conflict",
        title=f"Les notes du bloc {bloc.code} ont été enregistrées entre-temps",
        intro=(
            "Pendant que vous écriviez, une autre version de ces notes a été enregistrée, par "
            "l'autre membre du jury ou depuis un autre appareil. Rien n'est perdu : vos notes "
            "sont ci-dessous. Choisissez ce que vous gardez ; le passage où les deux versions "
            "diffèrent est surligné."
        ),
        theirs_title="Version enregistrée entre-temps",
        action=page,
        keep_theirs_url=f"{page}#{part}",
        version_name=f"{part}-base_version",
        merge_hint=(
            "Le formulaire ci-dessous contient votre version : reprenez-y ce que vous voulez "
            f"garder de l'autre, puis cliquez sur « Enregistrer les notes du bloc {bloc.code} »."
        ),
        merge_js_hint=(
            "Les deux versions seront placées l'une après l'autre dans chaque champ : gardez "
            "ce que vous voulez de chacune, l'enregistrement reprendra automatiquement."
        ),
        fields=tuple(fields),
        hidden=(("part", part),),
        theirs_version=stale.theirs.version if stale else None,
        saved_label=fr.time(stale.theirs.updated_at) if stale and stale.theirs.updated_at else "",
    )


def _posted(request, slot):
    """The form the button names (``part``), bound, with what its service needs."""
    part = request.POST.get("part", "")
    kind, _sep, ident = part.partition("-")
    if part == "presence":
        return part, AttendanceForm(request.POST, prefix=part), None
    parsed = parse_id(ident)
    if kind == "bloc" and parsed is not None:
        bloc = get_object_or_404(slot.candidacy.targeted_blocs.all(), pk=parsed)
        return part, BlocNoteForm(request.POST, prefix=part), bloc
    if kind == "revision" and parsed is not None:
        competence = get_object_or_404(Competence, pk=parsed)
        return part, RevisionForm(request.POST, prefix=part), competence
    raise Http404


def _save_part(request, slot, part, form, target):
    data = form.cleaned_data
    if part == "presence":
        interview.save_attendance(slot=slot, by=request.user, **data)
        return "La présence et les horaires sont enregistrés."
    if part.startswith("bloc-"):
        interview.save_bloc_note(slot=slot, bloc=target, by=request.user, **data)
        return f"Les notes du bloc {target.code} sont enregistrées."
    interview.revise_rating(slot=slot, competence=target, by=request.user, **data)
    return f"L'appréciation révisée de {target.code} est enregistrée."


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def candidate_file(request, pk):
    slot = _readable_slot(request, pk)
    if request.method in ("GET", "HEAD"):
        return _file_page(request, slot)
    if not permissions.can_write_interview(request.user, slot):
        raise PermissionDenied("Le compte rendu de cet entretien est clos.")
    part, form, target = _posted(request, slot)
    if not form.is_valid():
        return _file_page(request, slot, posted=(part, form), status=400)
    try:
        done = _save_part(request, slot, part, form, target)
    except interview.StaleSave as stale:
        form = stale_form_again(form, stale)
        return _file_page(request, slot, posted=(part, form), error=stale, status=409)
    except WorkflowError as refused:
        form.add_error(None, refused.message)
        return _file_page(request, slot, posted=(part, form), status=400)
    messages.success(request, done)
    return redirect(f"{request.path}#{part}")


@require_safe
@login_required
def evidence_page(request, pk, evidence_pk, number):
    """A piece of the candidate's dossier page by page, as the evaluators read it: the
    page, its extracted text, a link to the PDF at that page. Read-only, for the members
    who may read the file (``permissions.can_read_file``)."""
    slot = _readable_slot(request, pk)
    evidence = current_piece(slot.candidacy_id, evidence_pk)
    jump = open_page(
        request,
        candidacy=slot.candidacy,
        evidence=evidence,
        number=number,
        url_name="jury:evidence_page",
        owner_pk=slot.pk,
    )
    if jump is not None:
        return jump
    context = {
        "slot": slot,
        "candidacy": slot.candidacy,
        "evidence": evidence,
        "reader": read_page(
            slot.candidacy, evidence, number, terms=text_marks.terms_of(request.GET)
        ),
    }
    return render(request, "jury/evidence_page.html", context)


@never_cache
@require_POST
@login_required
def bloc_note_autosave(request, pk, bloc_pk):
    """A bloc's notes saved by static/js/autosave.js: the page's checks, the page's
    service, JSON answers as the narratives' (``vae.autosave``): 200 saved, 409 stale
    (both versions), 400 invalid, 403 closed."""
    slot = _readable_slot(request, pk)
    bloc = get_object_or_404(slot.candidacy.targeted_blocs.all(), pk=bloc_pk)
    if not permissions.can_write_interview(request.user, slot):
        return json_error(403, "forbidden", RECORD_CLOSED)
    fields = interview.BLOC_FIELDS
    data = read_json(request, (*fields, "base_version"), texts=fields)
    if data is None:
        return json_error(400, "invalid", UNREADABLE)
    form = BlocNoteForm(data)
    if not form.is_valid():
        return form_errors_json(form)
    try:
        saved = interview.save_bloc_note(slot=slot, bloc=bloc, by=request.user, **form.cleaned_data)
    except interview.StaleSave as stale:
        theirs = stale.theirs
        return conflict_json(
            stale.message,
            mine=stale.mine,
            theirs={name: getattr(theirs, name) for name in fields},
            version=theirs.version,
            saved_at=theirs.updated_at,
        )
    except TransitionForbidden as refused:
        return json_error(403, "forbidden", refused.message)
    except WorkflowError as refused:
        return json_error(400, "invalid", refused.message)
    row = saved.row
    return saved_json(version=row.version, saved_at=row.updated_at, changed=saved.changed)


# -- the candidate's convocation ------------------------------------------------------


def _readable_convocation(request, pk):
    """A convocation the user may read (``permissions.CONVOCATIONS``); any other, a
    cancelled one included, is not found: nothing is disclosed."""
    queryset = Convocation.objects.select_related("slot__session", "candidacy__candidate")
    return get_object_or_404(permissions.CONVOCATIONS.scope(queryset, request.user), pk=pk)


@login_required
@require_safe
def convocation(request, pk):
    convocation = _readable_convocation(request, pk)
    # Read only: the PDF was asked for when the convocation was issued
    # (``services.issue_convocation``); a failed one is asked again by a button (POST).
    document = convocation_document.stored_pdf(convocation)
    return render(
        request,
        "jury/convocation.html",
        {
            "convocation": convocation,
            # A certifier reads it too: their way back is their own candidacy page.
            "own": is_owner(request.user, convocation.candidacy),
            "facts": selectors.issued_details(convocation).context(),
            "state": document_state(document) if document is not None else None,
            "retry": document is None or document.status == DocumentStatus.FAILED,
        },
    )


@login_required
@require_POST
def convocation_pdf(request, pk):
    """« Préparer à nouveau » the convocation's PDF when its rendering failed (or was never
    asked): the rendering is queued again; a ready or pending one is left as it is."""
    convocation = _readable_convocation(request, pk)
    convocation_document.request_pdf(convocation)
    messages.info(request, "La convocation (PDF) est en préparation.")
    return redirect("jury:convocation", pk=convocation.pk)


@login_required
@require_safe
def convocation_ics(request, pk):
    convocation = _readable_convocation(request, pk)
    details = selectors.issued_details(convocation)
    response = HttpResponse(
        invitation_bytes(details.calendar_event()),
        content_type="text/calendar; method=REQUEST; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="convocation-{convocation.candidacy.reference}.ics"'
    )
    response["Cache-Control"] = "private, no-store"
    return private_file(response)
