"""The jury members' pages: their sessions, a session's agenda, the declaration per
candidate. Who may see what is ``jury.permissions``' call; writes are ``jury.services``'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from jury import convocation_document, permissions, selectors, services
from jury.calendar import invitation_bytes
from jury.forms import AbsenceForm, DeclarationForm, InterviewForm
from jury.models import Convocation, JurySession, Slot
from vae.documents.presentation import document_state
from vae.emails import contact_address
from vae.navigation import spaces
from vae.security_headers import private_file
from vae.workflow import WorkflowError


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
    return render(request, "jury/session.html", selectors.member_agenda(session, request.user))


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
    # Asked again here: a failed or lost rendering is retried, a ready one reused.
    document = convocation_document.request_pdf(convocation)
    return render(
        request,
        "jury/convocation.html",
        {
            "convocation": convocation,
            "facts": selectors.issued_details(convocation).context(),
            "state": document_state(document),
        },
    )


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
