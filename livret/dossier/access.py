"""Access to the candidate's livret 2 pages, shared by every livret 2 view.

``@dossier_page`` opens a page to the candidacy's owner once a dossier can exist
(anyone else: 404, the candidacy's existence is not revealed); ``editable=True`` also
requires that the dossier may be changed now: a GET is sent back to the overview with
the reason, any other method is refused (403) and nothing is written.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from livret.dossier.services import dossier_for
from livret.permissions import can_edit_dossier, can_open_dossier
from vae.enums import CandidacyState
from vae.models import Candidacy


def not_editable_message(candidacy) -> str:
    if candidacy.state == CandidacyState.DOSSIER_SUBMITTED:
        return _(
            "Votre dossier est déposé : il est en lecture seule, sauf s'il vous est renvoyé "
            "pour correction."
        )
    return _(
        "Votre dossier ne peut pas être modifié : votre candidature est à l'état « %(state)s »."
    ) % {"state": CandidacyState(candidacy.state).label}


def dossier_page(view=None, *, editable=False):
    """Decorate ``view(request, candidacy, dossier, **kwargs)``."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, candidacy_pk, *args, **kwargs):
            candidacy = get_object_or_404(
                Candidacy.objects.select_related("candidate", "certification"), pk=candidacy_pk
            )
            if not can_open_dossier(request.user, candidacy):
                raise Http404
            if editable and not can_edit_dossier(request.user, candidacy):
                if request.method not in ("GET", "HEAD"):
                    raise PermissionDenied(not_editable_message(candidacy))
                messages.warning(request, not_editable_message(candidacy))
                return redirect("livret:dossier", candidacy_pk=candidacy.pk)
            dossier = dossier_for(candidacy)
            return view(request, candidacy, dossier, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def dossier_context(candidacy, dossier, tab, **extra) -> dict:
    """What every livret 2 page template needs (``templates/livret/dossier/base.html``)."""
    return {
        "candidacy": candidacy,
        "dossier": dossier,
        "tab": tab,
        "can_edit": can_edit_dossier(candidacy.candidate, candidacy),
        **extra,
    }
