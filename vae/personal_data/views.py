"""The person's own data: the page that explains it and the archive's download (always
the signed-in person's own: there is no id in these URLs, so nobody can ask for someone
else's archive); and the way to the privacy notice."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from referentiel.models import PrivacyPage
from vae.models import RetentionPolicy
from vae.personal_data.archive import archive_filename, stream_archive


@require_safe
@login_required
def my_data(request):
    return render(
        request, "vae/personal_data/my_data.html", {"policy": RetentionPolicy.load(request)}
    )


@require_safe
@login_required
def my_data_archive(request):
    response = StreamingHttpResponse(stream_archive(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_filename()}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Personal data: never kept by a shared cache or the browser's history.
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def privacy_notice(request):
    """The privacy notice, wherever the certifier put it: the footer of every page and the
    sign-up form link here, so that no page pays a query to find it."""
    page = PrivacyPage.objects.live().public().first()
    url = page.get_url(request) if page is not None else None
    if not url:
        raise Http404
    return redirect(url)
