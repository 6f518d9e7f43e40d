"""The evaluator's workspace: the dossiers of the panels they sit on."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from review import permissions
from review.selectors.workspace import workspace_page


@login_required
@require_safe
def workspace(request):
    if not permissions.is_evaluator(request.user):
        raise PermissionDenied(_("Cet espace est réservé aux évaluateurs."))
    page = workspace_page(request.user, request.GET.get("page"))
    return render(request, "review/workspace.html", {"rows": page.rows, "pages": page.pages})
