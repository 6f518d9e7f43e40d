"""Access to the candidate's livret 1 pages, and what every one of them shares.

Only the candidate opens these pages (anyone else: 404, the candidacy's existence is not
revealed). ``@livret1_editor`` also requires that the livret may be changed now: a GET is
sent back to the read-only summary with the reason, any other method is refused (403) and
nothing is written.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.eligibility import selectors, services
from livret.permissions import can_edit_livret1, can_open_livret1
from vae.enums import CandidacyState
from vae.models import Candidacy

UNSIGNED_MESSAGE = gettext_lazy(
    "Comme vous avez modifié votre livret, votre déclaration sur l'honneur a été annulée : "
    "vous devrez la signer de nouveau avant d'envoyer votre demande."
)


def load(request, candidacy_pk):
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


def not_editable_message(candidacy) -> str:
    return _(
        "Votre livret 1 ne peut plus être modifié : votre candidature est à l'état "
        "« %(state)s ». Il est affiché ci-dessous en lecture seule."
    ) % {"state": CandidacyState(candidacy.state).label}


def livret1_editor(view):
    """Decorate ``view(request, candidacy, eligibility_request, **kwargs)``: open to the
    candidate only while livret 1 is editable."""

    @login_required
    @wraps(view)
    def wrapper(request, candidacy_pk, *args, **kwargs):
        candidacy, eligibility_request = load(request, candidacy_pk)
        if not can_edit_livret1(request.user, candidacy):
            if request.method != "GET":
                raise PermissionDenied(not_editable_message(candidacy))
            messages.warning(request, not_editable_message(candidacy))
            return redirect("livret:livret1", candidacy_pk=candidacy.pk)
        return view(request, candidacy, eligibility_request, *args, **kwargs)

    return wrapper


def page_context(candidacy, eligibility_request, **extra) -> dict:
    """What every livret 1 page template needs."""
    return {"candidacy": candidacy, "eligibility_request": eligibility_request, **extra}


def saved(request, outcome, text=None) -> None:
    """Say what a save did (``services.Saved``), and that it unsigned the livret."""
    messages.success(request, text or _("Section enregistrée."))
    if outcome.unsigned:
        messages.warning(request, UNSIGNED_MESSAGE)
