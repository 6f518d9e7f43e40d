"""The PDF export of livret 2: the candidate's export tab, and the download itself.

The tab is one of the candidate's livret 2 pages (``@dossier_page``). The download also
serves the certifiers (``livret.export.can_export``), whose back office links to it;
anyone else gets a 404 that does not reveal the candidacy.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from livret.dossier import dossier_for
from livret.dossier_access import dossier_context, dossier_page
from livret.export import build_export, can_export, frozen_since_last_submission, render_export
from vae.models import Candidacy


@require_GET
@dossier_page
def dossier_pdf(request, candidacy, dossier):
    submissions = list(dossier.submissions.order_by("-number"))
    frozen = bool(submissions) and frozen_since_last_submission(candidacy)
    context = dossier_context(
        candidacy,
        dossier,
        "export",
        submissions=submissions,
        # The current version is the last submission itself while the dossier is frozen.
        current_submission=submissions[0] if frozen else None,
    )
    return render(request, "livret/dossier/export.html", context)


@require_GET
@login_required
def dossier_pdf_download(request, candidacy_pk):
    candidacy = get_object_or_404(
        Candidacy.objects.select_related("candidate", "certification"), pk=candidacy_pk
    )
    if not can_export(request.user, candidacy):
        raise Http404
    dossier = dossier_for(candidacy)
    submission = None
    depot = request.GET.get("depot")
    if depot is not None:
        if not re.fullmatch(r"[0-9]{1,5}", depot):
            raise Http404
        submission = get_object_or_404(dossier.submissions, number=int(depot))
    export = build_export(candidacy, dossier, submission=submission)
    response = HttpResponse(render_export(export), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: never kept by a shared cache or the browser's history.
    response["Cache-Control"] = "private, no-store"
    return response
